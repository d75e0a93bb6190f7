// The interactive session of shell-interactive.test.ts against Riffle as a user starts it:
// `riffle server --port 0` in a child process with a temporary data directory (loopback only).

import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { interactiveScenario } from './interactive-scenario.ts';
import { delay, ptyAvailable } from './pty-shell.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const skip = !existsSync(path.join(ROOT, 'src/engine/engine.ts'))
  ? 'the Riffle engine (src/engine/engine.ts) is not built yet'
  : !ptyAvailable() && 'needs util-linux script';

let server: ChildProcess | undefined;
let url = '';
let dataDir = '';

before(async () => {
  if (skip) return;
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'riffle-cli-server-'));
  server = spawn(process.execPath, [path.join(ROOT, 'src/bin/riffle.ts'), 'server', '--port', '0', '--data-dir', dataDir], {
    env: { ...process.env, KSQL_LISTENERS: 'http://127.0.0.1:8088' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  server.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  server.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  // Only a bound against a server that never starts; a loaded machine can take a while.
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && server.exitCode === null) {
    const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
    if (m) {
      url = m[1]!;
      return;
    }
    await delay(50);
  }
  assert.fail(`Riffle server did not start:\n${out}`);
});

after(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server!.on('exit', resolve));
    server.kill('SIGTERM');
    const timer = setTimeout(() => server!.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
  if (dataDir !== '') rmSync(dataDir, { recursive: true, force: true });
});

test('a person at the shell, against Riffle itself', { skip, timeout: 180_000 }, async () => {
  await interactiveScenario(url);
});
