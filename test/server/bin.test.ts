// `riffle server` as a process: prints where it listens and where its data lives, serves, and exits
// cleanly on SIGTERM and SIGINT; bad configuration exits 1 with a clear message.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { request } from './helpers.ts';

const BIN = fileURLToPath(new URL('../../src/bin/riffle.ts', import.meta.url));

function run(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, exited, out: () => out, err: () => err };
}

describe('riffle server (process)', () => {
  test('invalid configuration exits 1 with the reason', async () => {
    const p = run(['server', '--port', 'eighty']);
    assert.equal(await p.exited, 1);
    assert.match(p.err(), /Invalid value 'eighty' for --port/);
  });

  test('unknown command exits 2 with usage', async () => {
    const p = run(['serve']);
    assert.equal(await p.exited, 2);
    assert.match(p.err(), /Usage:/);
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    test(`starts, serves, and shuts down cleanly on ${signal}`, async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'riffle-bin-test-'));
      let p: ReturnType<typeof run> | undefined;
      try {
        p = run(['server', '--port', '0', '--data-dir', dataDir], { KSQL_LISTENERS: 'http://127.0.0.1:8088' });
        const deadline = Date.now() + 30_000;
        while (!/listening on http:\/\/127\.0\.0\.1:\d+/.test(p.out()) && Date.now() < deadline) {
          if (p.child.exitCode !== null) break;
          await new Promise((r) => setTimeout(r, 50));
        }
        const port = Number(/listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(p.out())?.[1]);
        assert.ok(port > 0, `stdout: ${p.out()} stderr: ${p.err()}`);
        assert.ok(p.out().includes(`Data directory: ${dataDir}`), p.out());
        assert.equal((await request('http1', port, '/info')).status, 200);
        assert.equal((await request('http2', port, '/info')).status, 200);
        p.child.kill(signal);
        assert.equal(await p.exited, 0, p.err());
        assert.match(p.out(), /Riffle server stopped/);
      } finally {
        if (p && p.child.exitCode === null) p.child.kill('SIGKILL');
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
  }
});
