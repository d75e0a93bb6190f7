// Pull queries on tables through the engine API: key lookups, IN, key ranges, windowed bounds,
// table scans and LIMIT, the errors ksqlDB gives when scans are disabled, and prepared shapes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KsqlError } from '../../src/common/errors.ts';
import { openEngine } from '../../src/engine/engine.ts';
import type { EngineApi, Session } from '../../src/engine/engine-api.ts';
import { likelyKeyPartition, locateKeyPartitions } from '../../src/engine/pull-locate.ts';
import { partitionForKey } from '../../src/runtime/partitioner.ts';
import { TaskStore } from '../../src/runtime/task-store.ts';

const STREAM = `CREATE STREAM events (id STRING KEY, n INT) WITH (KAFKA_TOPIC='events', PARTITIONS=4, VALUE_FORMAT='JSON');`;

async function withEngine(body: (engine: EngineApi, session: Session) => Promise<void>): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'riffle-pull-'));
  const engine = await openEngine({ dataDir, scheduling: 'manual', properties: { 'ksql.streams.auto.offset.reset': 'earliest' } });
  try {
    await body(engine, engine.newSession());
  } finally {
    await engine.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Rows of a pull query, bigints as numbers, sorted for order-free comparison. */
async function pull(engine: EngineApi, session: Session, sql: string): Promise<unknown[][]> {
  const h = await engine.query(session, sql);
  const out: unknown[][] = [];
  for await (const r of h.rows) out.push(r.values.map((v) => (typeof v === 'bigint' ? Number(v) : v)));
  return out.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

async function pullError(engine: EngineApi, session: Session, sql: string): Promise<string> {
  try {
    await engine.query(session, sql);
  } catch (e) {
    assert.ok(e instanceof KsqlError, `a KsqlError for ${sql}`);
    return e.message;
  }
  assert.fail(`expected an error for: ${sql}`);
}

/** events: ids '1'..'9' at 1 s apart, `count` rows per id over tumbling 1 s windows when windowed. */
async function load(engine: EngineApi, session: Session, windowed: boolean): Promise<void> {
  await engine.execute(session, STREAM);
  await engine.execute(session, `CREATE TABLE counts AS SELECT id, COUNT(*) AS c, SUM(n) AS total FROM events
    ${windowed ? 'WINDOW TUMBLING (SIZE 1 SECOND)' : ''} GROUP BY id;`);
  const records = [];
  for (let i = 1; i <= 9; i++) {
    for (let j = 0; j < 3; j++) records.push({ partition: i % 4, timestamp: 10_000 + j * 1000, key: Buffer.from(String(i)), value: Buffer.from(JSON.stringify({ N: i })) });
  }
  await engine.produce('events', records);
  await engine.runUntilIdle();
}

void test('key lookups, IN lists and literal conversion', async () => {
  await withEngine(async (engine, session) => {
    await load(engine, session, false);
    assert.deepEqual(await pull(engine, session, `SELECT * FROM counts WHERE id = '3';`), [['3', 3, 9]]);
    assert.deepEqual(await pull(engine, session, `SELECT id, total FROM counts WHERE id IN ('2', '7', 'missing');`), [['2', 6], ['7', 21]]);
    assert.deepEqual(await pull(engine, session, `SELECT * FROM counts WHERE id = 'missing';`), []);
    assert.deepEqual(await pull(engine, session, `SELECT * FROM counts WHERE id = CONCAT('4', '');`), [['4', 3, 12]]);
    // The same shape with another literal takes the prepared path and still answers correctly.
    for (let i = 1; i <= 9; i++) assert.deepEqual(await pull(engine, session, `SELECT * FROM counts WHERE id = '${i}';`), [[String(i), 3, 3 * i]]);
    assert.match(await pullError(engine, session, 'SELECT * FROM counts WHERE id IN (NULL);'), /Primary key columns can not be NULL: \(ID = null\)/);
    assert.match(await pullError(engine, session, 'SELECT * FROM counts WHERE id = NULL;'), /Comparison with NULL not supported: STRING = NULL/);
    assert.match(await pullError(engine, session, 'SELECT * FROM counts WHERE id = 3;'), /Cannot compare ID \(STRING\) to 3 \(INTEGER\) with EQUAL/);
  });
});

void test('key ranges, table scans and the messages when scans are disabled', async () => {
  await withEngine(async (engine, session) => {
    await load(engine, session, false);
    assert.deepEqual((await pull(engine, session, `SELECT id FROM counts WHERE id <= '3';`)).flat(), ['1', '2', '3']);
    assert.deepEqual((await pull(engine, session, `SELECT id FROM counts WHERE id > '7';`)).flat(), ['8', '9']);
    assert.deepEqual((await pull(engine, session, `SELECT id FROM counts WHERE id BETWEEN '4' AND '5';`)).flat(), ['4', '5']);
    assert.deepEqual((await pull(engine, session, `SELECT id FROM counts WHERE total > 20;`)).flat(), ['7', '8', '9']);
    assert.equal((await pull(engine, session, 'SELECT * FROM counts;')).length, 9);
    assert.equal((await pull(engine, session, 'SELECT * FROM counts LIMIT 4;')).length, 4);

    session.properties.set('ksql.query.pull.table.scan.enabled', 'false');
    assert.deepEqual((await pull(engine, session, `SELECT id FROM counts WHERE id < '2';`)).flat(), ['1']);
    assert.match(await pullError(engine, session, 'SELECT * FROM counts;'), /^Query requires table scan to be enabled/);
    assert.match(await pullError(engine, session, 'SELECT * FROM counts WHERE total > 20;'), /^WHERE clause missing key column for disjunct/);
    assert.match(await pullError(engine, session, `SELECT * FROM counts WHERE id != '1';`), /^Bound on key columns '\[`ID` STRING KEY\]' must currently be '='/);
    assert.match(await pullError(engine, session, `SELECT * FROM counts WHERE id > '1' AND id < '5';`), /cannot be combined with other comparisons such as an IN predicate/);
    assert.match(await pullError(engine, session, 'SELECT * FROM counts WHERE id = CAST(total AS STRING);'), /A comparison must be between a key column and a resolvable expression/);
    assert.match(await pullError(engine, session, `SELECT * FROM counts WHERE CONCAT(id, 'x') = '1x';`), /A comparison must directly reference a key column/);
    assert.match(await pullError(engine, session, `SELECT * FROM counts WHERE id <= '3' OR id = '5';`), /^Query requires table scan to be enabled/);
    session.properties.set('ksql.query.pull.range.scan.enabled', 'false');
    assert.match(await pullError(engine, session, `SELECT * FROM counts WHERE id <= '3';`), /^Query requires table scan to be enabled/);
  });
});

void test('windowed tables: lookups with WINDOWSTART/WINDOWEND bounds, ISO strings and header keys', async () => {
  await withEngine(async (engine, session) => {
    await load(engine, session, true);
    assert.deepEqual(await pull(engine, session, `SELECT id, WINDOWSTART, WINDOWEND, c FROM counts WHERE id = '2';`),
      [['2', 10000, 11000, 1], ['2', 11000, 12000, 1], ['2', 12000, 13000, 1]]);
    assert.deepEqual((await pull(engine, session, `SELECT WINDOWSTART FROM counts WHERE id = '2' AND WINDOWSTART >= 11000;`)).flat(), [11000, 12000]);
    assert.deepEqual((await pull(engine, session, `SELECT WINDOWSTART FROM counts WHERE id = '2' AND 11000 < WINDOWSTART;`)).flat(), [12000]);
    assert.deepEqual((await pull(engine, session, `SELECT WINDOWSTART FROM counts WHERE id = '2' AND WINDOWSTART = 11000;`)).flat(), [11000]);
    assert.deepEqual((await pull(engine, session, `SELECT WINDOWSTART FROM counts WHERE id = '2' AND WINDOWEND <= 12000;`)).flat(), [10000, 11000]);
    assert.deepEqual((await pull(engine, session, `SELECT WINDOWSTART FROM counts WHERE id = '2' AND WINDOWSTART >= '1970-01-01T00:00:11';`)).flat(), [11000, 12000]);
    assert.equal((await pull(engine, session, 'SELECT * FROM counts WHERE WINDOWSTART > 11000;')).length, 9);
    const h = await engine.query(session, `SELECT * FROM counts WHERE id = '1';`);
    assert.deepEqual(h.columns.map((c) => `${c.name}${c.isKey ? ' KEY' : ''}`), ['ID KEY', 'WINDOWSTART KEY', 'WINDOWEND KEY', 'C', 'TOTAL']);
    for await (const r of h.rows) void r;
    session.properties.set('ksql.query.pull.table.scan.enabled', 'false');
    assert.match(await pullError(engine, session, 'SELECT * FROM counts WHERE WINDOWSTART > 11000;'), /^WHERE clause missing key column for disjunct/);
    assert.match(await pullError(engine, session, `SELECT * FROM counts WHERE id <= '1';`), /^Query requires table scan to be enabled/);
  });
});

void test('multi-column keys must bind every key column; validator rules and LIMIT', async () => {
  await withEngine(async (engine, session) => {
    await engine.execute(session, STREAM.replace("VALUE_FORMAT='JSON'", "FORMAT='JSON'"));
    await engine.execute(session, 'CREATE TABLE pairs AS SELECT id, n, COUNT(*) AS c FROM events GROUP BY id, n;');
    await engine.produce('events', [1, 2, 3].map((i) => ({ key: Buffer.from(JSON.stringify(String(i))), value: Buffer.from(JSON.stringify({ N: i * 10 })) })));
    await engine.runUntilIdle();
    assert.deepEqual(await pull(engine, session, `SELECT * FROM pairs WHERE id = '2' AND n = 20;`), [['2', 20, 1]]);
    assert.deepEqual(await pull(engine, session, `SELECT * FROM pairs WHERE id = '2';`), [['2', 20, 1]]);
    session.properties.set('ksql.query.pull.table.scan.enabled', 'false');
    assert.match(await pullError(engine, session, `SELECT * FROM pairs WHERE id = '2';`), /^Multi-column sources must specify every key in the WHERE clause\. Specified: \[`ID`\] Expected: \[`ID` STRING KEY, `N` INTEGER KEY\]/);
    session.properties.delete('ksql.query.pull.table.scan.enabled');
    assert.match(await pullError(engine, session, 'SELECT * FROM pairs GROUP BY id;'), /^Pull queries don't support GROUP BY clauses\. See https/);
    assert.match(await pullError(engine, session, 'SELECT * FROM pairs LIMIT -1;'), /^Pull queries don't support negative integers in the LIMIT clause/);
    session.properties.set('ksql.query.pull.limit.clause.enabled', 'false');
    assert.match(await pullError(engine, session, 'SELECT * FROM pairs LIMIT 1;'), /^LIMIT clause in pull queries is currently disabled/);
  });
});

void test('locateKeyPartitions follows the repartition partitioner, or names every partition', () => {
  const keys = [['a'], ['b'], ['c']];
  const located = locateKeyPartitions(keys, { kind: 'key-bytes', partitions: 4 });
  for (const [p, idx] of located) for (const i of idx) assert.equal(partitionForKey(TaskStore.keyOf(keys[i]!), 4), p);
  assert.deepEqual([...locateKeyPartitions([['a']], { kind: 'unknown', partitions: 3 })], [[0, [0]], [1, [0]], [2, [0]]]);
});

void test('likelyKeyPartition: where the default partitioner puts a source key, unless the key changed on the way', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'riffle-pull-'));
  const engine = await openEngine({ dataDir, scheduling: 'manual' });
  try {
    const session = engine.newSession();
    await engine.execute(session, STREAM);
    await engine.execute(session, 'CREATE TABLE by_id AS SELECT id, COUNT(*) AS c FROM events GROUP BY id;');
    await engine.execute(session, 'CREATE TABLE by_n AS SELECT n, COUNT(*) AS c FROM events GROUP BY n;');
    const runners = [...engine.runners.values()];
    const byId = runners.find((r) => r.queryId.includes('BY_ID'))!;
    const byN = runners.find((r) => r.queryId.includes('BY_N'))!;
    const likely = likelyKeyPartition(byId.subs, 1, 4);
    assert.ok(likely, 'a table keyed like its source has a likely partition');
    // KAFKA-format STRING keys serialize to their UTF-8 bytes.
    for (const id of ['a', 'b', 'c', '42']) assert.equal(likely([id]), partitionForKey(Buffer.from(id), 4));
    // GROUP BY a value column goes through a repartition topic: no source partition applies.
    assert.equal(likelyKeyPartition(byN.subs, 1, 4), undefined);
    // Rows produced where the default partitioner puts them are found by the prepared lookup too.
    await engine.produce('events', ['a', 'b', 'c'].map((id) => ({ partition: partitionForKey(Buffer.from(id), 4), timestamp: 1, key: Buffer.from(id), value: Buffer.from('{"N":1}') })));
    await engine.runUntilIdle();
    for (const id of ['a', 'b', 'c', 'a']) assert.deepEqual(await pull(engine, session, `SELECT * FROM by_id WHERE id = '${id}';`), [[id, 1]]);
  } finally {
    await engine.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
