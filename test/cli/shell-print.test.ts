// PRINT from the shell, as ksqlDB's CLI does it: `riffle cli URL -e "PRINT ..."` against a real
// Riffle server shows the topic's formats and records as text, and a missing topic as an error.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { postJson, startTestServer, type TestServer } from '../server/helpers.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

let t: TestServer;
before(async () => {
  t = await startTestServer();
  for (const ksql of [
    "CREATE STREAM PR (K STRING KEY, V INT) WITH (kafka_topic='pr', key_format='KAFKA', value_format='JSON', partitions=1);",
    "INSERT INTO PR (K, V) VALUES ('a', 1);",
    "INSERT INTO PR (K, V) VALUES ('b', 2);",
  ]) {
    const r = await postJson('http1', t.port, '/ksql', { ksql });
    assert.equal(r.status, 200, r.body);
  }
});
after(() => t?.close());

function cli(sql: string): Promise<{ stdout: string; stderr: string; code: number }> {
  return run(process.execPath, [path.join(ROOT, 'src/bin/riffle.ts'), 'cli', `http://127.0.0.1:${t.port}`, '-e', sql], { timeout: 60_000 })
    .then(({ stdout, stderr }) => ({ stdout, stderr, code: 0 }))
    .catch((e: { stdout: string; stderr: string; code: number }) => ({ stdout: e.stdout, stderr: e.stderr, code: e.code }));
}

test('PRINT FROM BEGINNING LIMIT shows the formats and each record', { timeout: 90_000 }, async () => {
  const { stdout, stderr } = await cli("PRINT 'pr' FROM BEGINNING LIMIT 2;");
  const lines = stdout.split('\n').filter((l) => l.startsWith('Key format') || l.startsWith('Value format') || l.startsWith('rowtime'));
  assert.deepEqual(lines.slice(0, 2), ['Key format: KAFKA_STRING', 'Value format: JSON or KAFKA_STRING'], stdout + stderr);
  assert.match(lines[2]!, /^rowtime: .* Z, key: a, value: \{"V":1\}, partition: 0$/);
  assert.match(lines[3]!, /^rowtime: .* Z, key: b, value: \{"V":2\}, partition: 0$/);
});

test('PRINT of a missing topic is an error the shell shows', { timeout: 90_000 }, async () => {
  const { stdout, stderr } = await cli("PRINT 'missing_topic';");
  assert.match(stdout + stderr, /Could not find topic 'missing_topic'/);
});
