// ksqlDB semantics that the conformance corpus pins down, checked end to end on a real engine
// (embedded log, lmdb state): failing function arguments and constructor elements become null,
// string literals coerce in ARRAY/MAP constructors, JSON decimals take the column's scale, sink
// timestamps that are negative drop the record, and EMIT FINAL drops windows stream time jumped past.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEngine } from '../../src/engine/engine.ts';
import type { EngineApi } from '../../src/engine/engine-api.ts';

async function withEngine(body: (engine: EngineApi) => Promise<void>): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'riffle-semantics-'));
  try {
    const engine = await openEngine({
      dataDir, scheduling: 'manual',
      properties: { 'ksql.streams.auto.offset.reset': 'earliest', 'ksql.streams.cache.max.bytes.buffering': '0' },
    });
    try {
      await body(engine);
    } finally {
      await engine.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const json = (v: unknown): Buffer => Buffer.from(JSON.stringify(v));
const text = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? Number(x) : x instanceof Map ? Object.fromEntries(x) : x));

void test('a failing function argument or constructor element is null, and logged', async () => {
  await withEngine(async (engine) => {
    const s = engine.newSession();
    await engine.execute(s, `CREATE STREAM src (k STRING KEY, d STRING) WITH (KAFKA_TOPIC='src', PARTITIONS=1, VALUE_FORMAT='JSON');`);
    await engine.execute(s, `CREATE STREAM out AS SELECT k,
      IFNULL(CAST(PARSE_DATE(d, 'yyyy-MM-dd') AS STRING), 'none') AS fallback,
      ARRAY[1, STRINGTODATE(d, 'yyyyMMdd')] AS arr,
      STRUCT(a := 'x', b := STRINGTODATE(d, 'yyyyMMdd')) AS st,
      PARSE_DATE(d, 'yyyy-MM-dd') AS whole
      FROM src;`);
    await engine.produce('src', [{ key: Buffer.from('k'), value: json({ D: 'garbage' }) }]);
    await engine.runUntilIdle();
    const rows = await engine.readTopic('OUT');
    assert.equal(rows.length, 1);
    assert.equal(text(rows[0]!.value), text(['none', [1, null], { A: 'x', B: null }, null]));
    const errors = engine.processingLog().filter((e) => e.type === 'RECORD_PROCESSING_ERROR');
    assert.ok(errors.length >= 4, `each failure is logged: ${errors.map((e) => e.message).join(' | ')}`);
  });
});

void test('string literals coerce to the element type of ARRAY and MAP constructors', async () => {
  await withEngine(async (engine) => {
    const s = engine.newSession();
    await engine.execute(s, `CREATE STREAM src (k STRING KEY, a INT, b BIGINT, f BOOLEAN) WITH (KAFKA_TOPIC='src', PARTITIONS=1, VALUE_FORMAT='JSON');`);
    await engine.execute(s, `CREATE STREAM out AS SELECT k, ARRAY[null, 10, '2e1', a, b] AS l, MAP(k := f, 'x' := 'no', 10 := 'true') AS m FROM src;`);
    const out = engine.sources().find((x) => x.name === 'OUT')!;
    assert.deepEqual(out.schema.value.map((c) => c.type), [
      { kind: 'ARRAY', element: { kind: 'DECIMAL', precision: 19, scale: 0 } },
      { kind: 'MAP', key: { kind: 'STRING' }, value: { kind: 'BOOLEAN' } },
    ]);
    await engine.produce('src', [{ key: Buffer.from('k'), value: json({ A: 30, B: 40, F: true }) }]);
    await engine.runUntilIdle();
    const [row] = await engine.readTopic('OUT');
    assert.deepEqual((row!.value![0] as unknown[]).map((v) => (v === null ? null : String(v))), [null, '10', '20', '30', '40']);
    assert.equal(text(row!.value![1]), text({ k: true, x: false, 10: true }));
  });
});

void test('a JSON decimal is read at the column scale', async () => {
  await withEngine(async (engine) => {
    const s = engine.newSession();
    await engine.execute(s, `CREATE STREAM src (k STRING KEY, d DECIMAL(6,4)) WITH (KAFKA_TOPIC='src', PARTITIONS=1, VALUE_FORMAT='JSON');`);
    await engine.execute(s, 'CREATE STREAM out AS SELECT * FROM src;');
    await engine.produce('src', [{ key: Buffer.from('k'), value: Buffer.from('{"D": 0.1}') }]);
    await engine.runUntilIdle();
    const [row] = await engine.readTopic('OUT');
    assert.equal(String(row!.value![0]), '0.1000');
  });
});

void test('a negative timestamp from the sink TIMESTAMP column drops the record', async () => {
  await withEngine(async (engine) => {
    const s = engine.newSession();
    await engine.execute(s, `CREATE STREAM src (k STRING KEY, id BIGINT) WITH (KAFKA_TOPIC='src', PARTITIONS=1, VALUE_FORMAT='JSON');`);
    await engine.execute(s, `CREATE STREAM ts WITH (TIMESTAMP='sink_ts') AS SELECT k, id AS sink_ts, id FROM src;`);
    await engine.produce('src', [1, -2, 3].map((id) => ({ key: Buffer.from('k'), value: json({ ID: id }), timestamp: 1000 })));
    await engine.runUntilIdle();
    const rows = await engine.readTopic('TS');
    assert.deepEqual(rows.map((r) => r.timestamp), [1, 3]);
    assert.ok(engine.processingLog().some((e) => e.type === 'PRODUCTION_ERROR' && /Invalid timestamp: -2/.test(e.message)));
  });
});

void test('EMIT FINAL emits windows as they close; windows stream time jumped past expire unemitted', async () => {
  await withEngine(async (engine) => {
    const s = engine.newSession();
    await engine.execute(s, `CREATE STREAM src (k STRING KEY, v STRING) WITH (KAFKA_TOPIC='src', PARTITIONS=1, VALUE_FORMAT='JSON');`);
    await engine.execute(s, `CREATE TABLE out AS SELECT k, COUNT(*) AS n FROM src
      WINDOW TUMBLING (SIZE 2 MILLISECONDS, GRACE PERIOD 1 MILLISECONDS) GROUP BY k EMIT FINAL;`);
    // Stream time 3 closes [0,2) exactly; the jump from 3 to 9 passes [2,4)'s retention (size + grace).
    await engine.produce('src', [0, 1, 2, 3, 9].map((timestamp) => ({ key: Buffer.from('a'), value: json({ V: 'x' }), timestamp })));
    await engine.runUntilIdle();
    const rows = await engine.readTopic('OUT');
    assert.deepEqual(rows.map((r) => [r.window?.start, Number(r.value![0])]), [[0, 2]]);
  });
});
