// ksqlDB's test-only functions exist only where the conformance runner passes them: an engine
// opened with them runs the variadic test UDAF, one opened without them does not know it.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openEngine } from '../engine/engine.ts';
import { builtinFunctions } from '../functions/registry.ts';
import { TEST_FUNCTIONS } from './test-functions.ts';

void test('the server registry has no test functions', () => {
  const r = builtinFunctions();
  for (const name of ['TEST_UDF', 'BAD_UDF', 'WHENCONDITION']) assert.equal(r.scalar(name), undefined, name);
  for (const name of ['VAR_ARG', 'MID_VAR_ARG', 'TEST_UDAF']) assert.equal(r.aggregate(name), undefined, name);
  assert.equal(r.table('TEST_UDTF'), undefined);
});

void test('an engine given the test functions runs them; MID_VAR_ARG starts from its literal arguments', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'riffle-test-functions-'));
  try {
    const engine = await openEngine({
      dataDir, scheduling: 'manual', extraFunctions: TEST_FUNCTIONS,
      properties: { 'ksql.streams.auto.offset.reset': 'earliest', 'ksql.streams.cache.max.bytes.buffering': '0' },
    });
    try {
      const s = engine.newSession();
      await engine.execute(s, `CREATE STREAM src (id BIGINT KEY, n BIGINT, a STRING) WITH (KAFKA_TOPIC='src', PARTITIONS=1, FORMAT='JSON');`);
      await engine.execute(s, 'CREATE TABLE out AS SELECT id, MID_VAR_ARG(n, a, a, 7, 3) AS r FROM src GROUP BY id;');
      await engine.produce('src', [{ key: Buffer.from('1'), value: Buffer.from('{"N": 6, "A": "hi"}') }]);
      await engine.runUntilIdle();
      const rows = await engine.readTopic('OUT');
      assert.deepEqual(rows.map((r) => r.value), [[6n + 2n + 2n + 10n]]);
      await assert.rejects(engine.execute(s, 'CREATE TABLE bad AS SELECT id, MID_VAR_ARG(n, a, 3) AS r FROM src GROUP BY id;'),
        (e: { error?: Error }) => /Function 'MID_VAR_ARG' does not accept parameters \(BIGINT, STRING, INTEGER\)/.test(e.error?.message ?? ''));
    } finally {
      await engine.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
