// h2spec, the HTTP/2 conformance suite (146 cases of RFC 7540 and RFC 7541), against a real Riffle
// server. `npm run tools:h2spec` builds it into .tools/bin (it needs Go; .ci/run does this).
// Expected to fail: only 3.5/2, an invalid preface, which on a port that also serves HTTP/1.1 is
// answered as HTTP/1.1 (the bytes are not HTTP/2's), not by closing the connection.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { startTestServer } from './helpers.ts';

const H2SPEC = process.env.H2SPEC ?? join(import.meta.dirname, '../../.tools/bin/h2spec');

test('h2spec: every case passes but the invalid preface of a shared port', { skip: existsSync(H2SPEC) ? false : `${H2SPEC} not built: npm run tools:h2spec (needs Go)` }, async () => {
  const s = await startTestServer();
  try {
    // GET /info has a body, which the flow-control cases need.
    const run = await promisify(execFile)(H2SPEC, ['-h', '127.0.0.1', '-p', String(s.port), '-P', '/info', '-o', '5'], { maxBuffer: 16 * 1024 * 1024 })
      .catch((e: { stdout: string; stderr: string }) => e);
    const out = run.stdout;
    const summary = /(\d+) tests, (\d+) passed, (\d+) skipped, (\d+) failed/.exec(out);
    assert.ok(summary, `no h2spec summary in:\n${out}\n${run.stderr}`);
    const failures = out.slice(out.indexOf('Failures:')).split('\n').filter((l) => l.includes('×')).map((l) => l.trim());
    assert.deepEqual(failures, summary[4] === '0' ? [] : ['× 2: Sends invalid connection preface'], out);
    assert.equal(Number(summary[3]), 0, 'no case skipped');
    assert.ok(Number(summary[2]) >= 140, summary[0]);
  } finally {
    await s.close();
  }
});
