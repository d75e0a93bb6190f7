// Bad input never stops a query or loses accepted data: malformed records and failing expressions
// go to the processing log while later records flow on; bad SQL is rejected with a KsqlError
// (category, message, position for parse errors) and leaves no source, topic or query behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KsqlError } from '../../src/common/errors.ts';
import { openEngine } from '../../src/engine/engine.ts';
import type { EngineApi, ExecuteFailure, ProduceOptions, Session } from '../../src/engine/engine-api.ts';

const SOURCE = `CREATE STREAM s (id BIGINT KEY, name VARCHAR, n INT)
  WITH (KAFKA_TOPIC='s', PARTITIONS=1, KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON');`;

async function withEngine(body: (engine: EngineApi, session: Session) => Promise<void>): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'riffle-bad-input-'));
  const engine = await openEngine({ dataDir, scheduling: 'manual', properties: { 'ksql.streams.auto.offset.reset': 'earliest' } });
  try {
    const session = engine.newSession();
    await engine.execute(session, SOURCE);
    await body(engine, session);
  } finally {
    await engine.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** A KAFKA-format BIGINT key: 8 bytes big-endian. */
function key(id: number): Uint8Array {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(id));
  return b;
}

const record = (id: number, json: string, rawKey?: Uint8Array): ProduceOptions => ({ key: rawKey ?? key(id), value: Buffer.from(json) });
const good = (id: number, name: string | null, n: number): ProduceOptions => record(id, JSON.stringify({ NAME: name, N: n }));

/** [id, ...values] of every record in a sink topic. */
async function rows(engine: EngineApi, topic: string): Promise<unknown[][]> {
  return (await engine.readTopic(topic)).map((r) => [Number(r.key![0]), ...(r.value ?? [])].map((v) => (typeof v === 'bigint' ? Number(v) : v)));
}

async function executeFailure(engine: EngineApi, session: Session, sql: string): Promise<ExecuteFailure> {
  try {
    await engine.execute(session, sql);
  } catch (e) {
    const failure = e as ExecuteFailure;
    assert.ok(failure.error instanceof KsqlError, `a KsqlError for: ${sql}`);
    return failure;
  }
  assert.fail(`expected an error for: ${sql}`);
}

void test('malformed records go to the processing log; the query keeps running and later records flow', async () => {
  await withEngine(async (engine, session) => {
    await engine.execute(session, 'CREATE STREAM doubled AS SELECT id, name, n * 2 AS n2 FROM s EMIT CHANGES;');
    await engine.produce('s', [
      good(1, 'a', 1),
      record(2, '{"NAME":"b",'), // invalid JSON
      record(3, '{"NAME":"c","N":"x"}'), // a string for an INT column
      record(4, '{"NAME":"d","N":4}', Uint8Array.of(0, 0, 4)), // truncated KAFKA BIGINT key
      record(5, '[1,2]'), // not an object
      record(6, '{"NAME":"f","N":"6"}'), // a numeric string is coerced, as in ksqlDB
    ]);
    await engine.runUntilIdle();
    assert.deepEqual(await rows(engine, 'DOUBLED'), [[1, 'a', 2], [6, 'f', 12]]);

    const log = engine.processingLog();
    assert.deepEqual(log.map((e) => [e.type, e.queryId, e.topic]), Array(4).fill(['DESERIALIZATION_ERROR', 'CSAS_DOUBLED_0', 's']));
    const messages = log.map((e) => e.message);
    assert.match(messages[0]!, /^Failed to deserialize value from topic: s\. .*JSON/);
    assert.match(messages[1]!, /^Failed to deserialize value from topic: s\. .*Can't coerce string to type\. targetType: INTEGER, path: \$\.N/);
    assert.match(messages[2]!, /^Failed to deserialize key from topic: s\. .*Size of data received by LongDeserializer is not 8/);
    assert.match(messages[3]!, /^Failed to deserialize value from topic: s\. .*Can't convert type/);

    assert.deepEqual(engine.persistentQueries().map((q) => [q.id, q.state, q.error]), [['CSAS_DOUBLED_0', 'RUNNING', undefined]]);
    await engine.produce('s', [good(7, 'g', 7), good(8, 'h', 8)]);
    await engine.runUntilIdle();
    assert.deepEqual(await rows(engine, 'DOUBLED'), [[1, 'a', 2], [6, 'f', 12], [7, 'g', 14], [8, 'h', 16]]);
    assert.equal(engine.processingLog().length, 4, 'bad records are skipped once, not retried');
  });
});

void test('a processing-log message states its context once', async () => {
  await withEngine(async (engine, session) => {
    await engine.execute(session, 'CREATE STREAM copy AS SELECT * FROM s EMIT CHANGES;');
    await engine.produce('s', [record(1, '{"NAME":"c","N":"x"}')]);
    await engine.runUntilIdle();
    const [entry] = engine.processingLog();
    assert.equal(entry!.message.split('Failed to deserialize').length, 2, entry!.message);
  });
});

void test('a function failing at runtime logs the record, yields NULL and the query goes on', async () => {
  await withEngine(async (engine, session) => {
    await engine.execute(session, 'CREATE STREAM parsed AS SELECT id, CAST(name AS INT) AS num, n FROM s EMIT CHANGES;');
    await engine.produce('s', [good(1, '12', 1), good(2, 'abc', 2), good(3, '34', 3)]);
    await engine.runUntilIdle();
    assert.deepEqual(await rows(engine, 'PARSED'), [[1, 12, 1], [2, null, 2], [3, 34, 3]]);
    const log = engine.processingLog();
    assert.equal(log.length, 1);
    assert.equal(log[0]!.type, 'RECORD_PROCESSING_ERROR');
    assert.equal(log[0]!.queryId, 'CSAS_PARSED_0');
    assert.equal(log[0]!.partition, 0);
    assert.equal(log[0]!.offset, 1, 'the entry points at the failing record');
    assert.match(log[0]!.message, /Cannot cast 'abc' to INTEGER/);
    assert.equal(engine.persistentQueries()[0]!.state, 'RUNNING');
  });
});

void test('GROUP BY aggregates exactly the readable records and skips null keys', async () => {
  await withEngine(async (engine, session) => {
    await engine.execute(session, 'CREATE TABLE totals AS SELECT name, COUNT(*) AS cnt, SUM(n) AS total FROM s GROUP BY name EMIT CHANGES;');
    await engine.produce('s', [
      good(1, 'a', 1), record(2, '{"NAME":"a",'), good(3, 'b', 3), good(4, null, 4),
      record(5, '{"NAME":"a","N":"x"}'), good(6, 'a', 6),
    ]);
    await engine.runUntilIdle();
    const latest = new Map((await engine.readTopic('TOTALS')).map((r) => [r.key![0], r.value!.map(Number)]));
    assert.deepEqual([...latest].sort(), [['a', [2, 7]], ['b', [1, 3]]]);
    assert.deepEqual(engine.processingLog().map((e) => e.type).sort(), ['DESERIALIZATION_ERROR', 'DESERIALIZATION_ERROR', 'RECORD_PROCESSING_ERROR']);
    assert.match(engine.processingLog().find((e) => e.type === 'RECORD_PROCESSING_ERROR')!.message, /GROUP BY key is null/);
    await engine.produce('s', [good(7, 'b', 10)]);
    await engine.runUntilIdle();
    const after = await engine.readTopic('TOTALS');
    assert.deepEqual(after[after.length - 1]!.value!.map(Number), [2, 13]);
  });
});

void test('parse errors carry line and column, and nothing in the script runs', async () => {
  await withEngine(async (engine, session) => {
    const f = await executeFailure(engine, session,
      "CREATE STREAM first AS SELECT id, name FROM s;\nCREATE STREAM second AS SELECT id,\n  name FROM s WHERE (n > 1;");
    assert.equal(f.error.category, 'parse');
    assert.deepEqual(f.error.position, { line: 3, column: 27 });
    assert.match(f.error.message, /^line 3:27: Syntax Error\nExpecting '\)'/);
    assert.equal(f.completed.length, 0);
    assert.equal(engine.source('FIRST'), undefined, 'a script that does not parse runs no statement');

    const q = await engine.query(session, 'SELECT * FROM s EMIT;').then(() => undefined, (e: unknown) => e);
    assert.ok(q instanceof KsqlError && q.category === 'parse', 'query() rejects with a KsqlError');
    assert.deepEqual(q.position, { line: 1, column: 21 });
    const unterminated = await executeFailure(engine, session, "INSERT INTO s (id, name) VALUES (1, 'oops);");
    assert.equal(unterminated.error.category, 'parse');
    assert.equal(unterminated.error.position?.line, 1);
  });
});

void test('unknown names and type errors are statement errors that leave nothing behind', async () => {
  await withEngine(async (engine, session) => {
    const cases: [string, RegExp][] = [
      ['CREATE STREAM x AS SELECT id, nope FROM s;', /^SELECT column 'NOPE' cannot be resolved\.$/],
      ['CREATE STREAM x AS SELECT id, name FROM s WHERE nope = 1;', /^WHERE column 'NOPE' cannot be resolved\.$/],
      ['CREATE STREAM x AS SELECT id, name FROM missing;', /^MISSING does not exist\.$/],
      ['CREATE STREAM x AS SELECT id, name FROM s WHERE name;', /Should evaluate to boolean but is NAME \(STRING\)/],
      ["CREATE STREAM x AS SELECT id, name FROM s WHERE n > 'abc';", /Cannot compare N \(INTEGER\) to 'abc' \(STRING\)/],
      ['CREATE STREAM x AS SELECT id, name + 1 AS bad FROM s;', /\(NAME \+ 1\).*STRING/],
      ['CREATE STREAM x AS SELECT id, UCASE(n) AS u FROM s;', /Function 'ucase' does not accept parameters \(INTEGER\)/],
      ['CREATE STREAM x AS SELECT id, NOSUCHFN(n) AS u FROM s;', /Can't find any functions with the name 'NOSUCHFN'/],
      ['CREATE TABLE x AS SELECT name, SUM(name) AS t FROM s GROUP BY name;', /Function 'SUM' does not accept parameters \(STRING\)/],
      ['CREATE STREAM x AS SELECT id, CAST(n AS FOO) AS u FROM s;', /Unknown type: FOO/],
      ["INSERT INTO s (id, name, n) VALUES (1, 'a', 'abc');", /Expected type INTEGER for column N/],
      ["INSERT INTO s (id, nope) VALUES (1, 'a');", /Column name NOPE does not exist/],
    ];
    for (const [sql, message] of cases) {
      const f = await executeFailure(engine, session, sql);
      assert.equal(f.error.category, 'statement', sql);
      assert.equal(f.error.errorCode, 40001, sql);
      assert.match(f.error.message, message, sql);
      assert.equal(f.error.statementText, sql);
    }
    const unknown = await engine.query(session, 'SELECT nope FROM s EMIT CHANGES;').then(() => undefined, (e: unknown) => e);
    assert.ok(unknown instanceof KsqlError && unknown.category === 'statement');
    assert.match(unknown.message, /SELECT column 'NOPE' cannot be resolved/);

    assert.deepEqual(engine.sources().map((x) => x.name), ['S']);
    assert.deepEqual(engine.persistentQueries(), []);
    assert.deepEqual((await engine.log.listTopics()).map((t) => t.name).filter((n) => !n.startsWith('_confluent-ksql-')), ['s']);
    assert.equal(await engine.log.endOffset('s', 0), 0, 'no failed INSERT wrote a record');
  });
});

void test('a failing statement stops its script; the statements before it stay done', async () => {
  await withEngine(async (engine, session) => {
    const f = await executeFailure(engine, session, [
      'CREATE STREAM kept AS SELECT id, name FROM s;',
      'CREATE STREAM broken AS SELECT id, nope FROM s;',
      'CREATE STREAM never AS SELECT id, name FROM s;',
    ].join('\n'));
    assert.equal(f.completed.length, 1);
    assert.equal(f.error.statementText, 'CREATE STREAM broken AS SELECT id, nope FROM s;');
    assert.deepEqual(engine.sources().map((x) => x.name).sort(), ['KEPT', 'S']);
    await engine.produce('s', [good(1, 'a', 1)]);
    await engine.runUntilIdle();
    assert.deepEqual(await rows(engine, 'KEPT'), [[1, 'a']]);
  });
});

void test('insertRow rejects a value of the wrong type', async () => {
  await withEngine(async (engine, session) => {
    const err = await engine.insertRow(session, 'S', { ID: 1, NAME: 'a', N: 'abc' }).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof KsqlError, 'a KsqlError');
    assert.equal(await engine.log.endOffset('s', 0), 0);
  });
});

void test('a failing function argument in WHERE is logged against the query that evaluated it', async () => {
  await withEngine(async (engine, session) => {
    await engine.execute(session, 'CREATE STREAM numeric AS SELECT id, name FROM s WHERE ABS(CAST(name AS INT)) > 0 EMIT CHANGES;');
    await engine.execute(session, 'CREATE STREAM plain AS SELECT id, n FROM s EMIT CHANGES;');
    await engine.produce('s', [good(1, '12', 1), good(2, 'abc', 2)]);
    await engine.runUntilIdle();
    assert.deepEqual(await rows(engine, 'NUMERIC'), [[1, '12']]);
    assert.equal((await rows(engine, 'PLAIN')).length, 2);
    const log = engine.processingLog();
    assert.equal(log.length, 1, JSON.stringify(log));
    assert.equal(log[0]!.queryId, 'CSAS_NUMERIC_0');
    assert.match(log[0]!.message, /^Error in WHERE expression: /);
  });
});
