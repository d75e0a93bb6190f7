// The README's walk-through, pasted as a newcomer would: its curl commands, taken from README.md,
// run against a real server process started the way `npm start` starts one. Once as written, and
// once with every request over HTTP/2 (curl --http2-prior-knowledge).

import assert from 'node:assert/strict';
import { execFile, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import { SERVER_V8_FLAGS } from '../src/bin/server-v8-flags.ts';

const ROOT = join(import.meta.dirname, '..');
const hasCurl = spawnSync('curl', ['--version']).status === 0;

/** The commands of the README's walk-through block, each with its comment. */
function walkthrough(): { comment: string; command: string }[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## A five-minute walk-through'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)![1]!;
  return block.trim().split(/\n\n/).map((chunk) => {
    const lines = chunk.split('\n');
    return { comment: lines[0]!.replace(/^# /, ''), command: lines.slice(1).join('\n') };
  });
}

async function startServer(): Promise<{ port: number; stop: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'riffle-readme-'));
  const child = spawn(process.execPath, [...SERVER_V8_FLAGS, join(ROOT, 'src/bin/riffle.ts'), 'server', '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (l) => {
      const m = /listening on http:\/\/[^:]+:(\d+)/.exec(l);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return {
    port,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function run(command: string, port: number, http2: boolean): Promise<string> {
  let c = command.replaceAll('localhost:8088', `127.0.0.1:${port}`);
  if (http2) c = c.replaceAll('--http1.1', '--http2-prior-knowledge');
  // The push query runs until Ctrl-C: three seconds stand in for the reader's patience.
  if (c.includes(' -N ')) c = c.replace('curl ', 'curl --max-time 3 ');
  const { stdout } = await promisify(execFile)('bash', ['-c', c]).catch((e: { code: number; stdout: string }) => {
    if (e.code === 28) return e; // curl's exit code when --max-time ends the push query
    throw e;
  });
  return stdout;
}

describe('README walk-through', { skip: hasCurl ? false : 'curl is not installed' }, () => {
  for (const http2 of [false, true]) {
    test(http2 ? 'every request over HTTP/2' : 'as written (HTTP/1.1, the pull query over HTTP/2)', async () => {
      const steps = walkthrough();
      assert.deepEqual(steps.map((s) => s.comment.split(':')[0]), ['A stream over a new topic', 'A few rows', 'A table maintained by a persistent query',
        'A pull query', "The topic's raw records, as ksqlDB's PRINT shows them", 'A push query']);
      const server = await startServer();
      try {
        const [stream, rows, table, pull, print, push] = steps.map((s) => s.command);
        assert.match(await run(stream!, server.port, http2), /"@type":"currentStatus".*"status":"SUCCESS"/);
        // ksqlDB answers INSERT ... VALUES with no entities.
        assert.equal(await run(rows!, server.port, http2), '[]');
        assert.match(await run(table!, server.port, http2), /"status":"SUCCESS"/);
        // The table catches up with the three rows within moments.
        let answer = '';
        for (let i = 0; i < 50 && !answer.includes('["alice",2]'); i++) {
          answer = await run(pull!, server.port, http2);
          if (!answer.includes('["alice",2]')) await new Promise((r) => setTimeout(r, 100));
        }
        assert.match(answer, /^\{"queryId":"[^"]+","columnNames":\["USER_ID","VIEWS"\],"columnTypes":\["STRING","BIGINT"\]\}\n\["alice",2\]\n$/);
        const printed = await run(print!, server.port, http2);
        assert.equal((printed.match(/rowtime: /g) ?? []).length, 3, printed);
        const pushed = (await run(push!, server.port, http2)).trim().split('\n');
        assert.deepEqual(pushed.slice(1), ['["alice","/home",10]', '["bob","/docs",20]', '["alice","/docs",30]']);
      } finally {
        await server.stop();
      }
    });
  }
});
