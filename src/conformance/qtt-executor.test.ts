// The QTT executor end to end on the real engine (embedded log and lmdb in a temp dir per case):
// topic creation, input serialization, emission-order output reading across partitions,
// count/order/value/timestamp mismatches, negative statements, post-conditions, a crashing engine.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { partitionForKey } from '../runtime/partitioner.ts';
import { loadOpenEngine, setOpenEngine } from './engine-host.ts';
import { parseLossless } from './json.ts';
import { expandNode } from './loader.ts';
import { runCase } from './runner.ts';

after(() => setOpenEngine(undefined));

function caseOf(node: string) {
  return expandNode({ path: '/x/t.json', display: 'qtt/t.json' }, 't', parseLossless(node) as never, 'qtt')[0]!;
}

const CREATE_INPUT = "CREATE STREAM INPUT (K STRING KEY, V INT) WITH (kafka_topic='input', value_format='JSON');";
const statements = `["${CREATE_INPUT}", "CREATE STREAM OUTPUT AS SELECT * FROM INPUT;"]`;
const inputs = `[{"topic":"input","key":"a","value":{"V":1},"timestamp":3},{"topic":"input","key":"bb","value":{"V":2}},
  {"topic":"input","key":"c","value":{"V":3},"timestamp":1},{"topic":"input","key":"d","value":{"V":4}}]`;
/** The four outputs in emission order, one JSON record each, so a test can alter one of them. */
const outputs = ['{"topic":"OUTPUT","key":"a","value":{"V":1},"timestamp":3}', '{"topic":"OUTPUT","key":"bb","value":{"V":2}}',
  '{"topic":"OUTPUT","key":"c","value":{"V":3},"timestamp":1}', '{"topic":"OUTPUT","key":"d","value":{"V":4}}'];
const withOutputs = (list: readonly string[]) => `{"name":"n","statements":${statements},"inputs":${inputs},"outputs":[${list.join(',')}]}`;

void test('the sink spreads these keys over partitions out of emission order (what the next test relies on)', () => {
  // OUTPUT has INPUT's 4 partitions and the sink partitions by key hash, as Kafka's producer does.
  const partitions = ['a', 'bb', 'c', 'd'].map((k) => partitionForKey(new TextEncoder().encode(k), 4));
  const partitionMajor = [...partitions].sort((x, y) => x - y);
  assert.notDeepEqual(partitions, partitionMajor, `partitions ${partitions.join(',')} are already in partition-major order`);
});

void test('passes when outputs match in emission order across partitions', async () => {
  // 1.0 for an INT: ksqlDB's comparison is numeric; field names are case-insensitive.
  const r = await runCase(caseOf(withOutputs(['{"topic":"OUTPUT","key":"a","value":{"v":1.0},"timestamp":3}', ...outputs.slice(1)])));
  assert.deepEqual([r.status, r.reason], ['passed', '']);
});

void test('fails on count, order, value and timestamp mismatches', async () => {
  const count = await runCase(caseOf(withOutputs([outputs[0]!])));
  assert.match(count.reason, /Expected <1> records but it was <4>/);
  const order = await runCase(caseOf(withOutputs([outputs[1]!, outputs[0]!, outputs[2]!, outputs[3]!])));
  assert.equal(order.status, 'failed');
  assert.match(order.reason, /message 0: key mismatch/);
  const value = await runCase(caseOf(withOutputs(['{"topic":"OUTPUT","key":"a","value":{"V":7}}', ...outputs.slice(1)])));
  assert.match(value.reason, /value mismatch/);
  const ts = await runCase(caseOf(withOutputs(['{"topic":"OUTPUT","key":"a","value":{"V":1},"timestamp":4}', ...outputs.slice(1)])));
  assert.match(ts.reason, /timestamp mismatch/);
});

void test('negative cases: last statement rejected passes; earlier rejection fails; no error fails', async () => {
  const BAD = 'CREATE STREAM BAD AS SELECT * FROM NOPE;';
  const neg = await runCase(caseOf(`{"name":"n","statements":["${CREATE_INPUT}","${BAD}"],
    "expectedException":{"type":"io.confluent.ksql.util.KsqlStatementException","message":"NOPE does not exist"}}`));
  assert.deepEqual([neg.status, neg.reason, neg.negativeMessageMatched], ['passed', '', true]);
  const early = await runCase(caseOf(`{"name":"n","statements":["${BAD}","${CREATE_INPUT}"],
    "expectedException":{"type":"io.confluent.ksql.util.KsqlStatementException"}}`));
  assert.equal(early.status, 'failed');
  assert.match(early.reason, /Only the last statement/);
  const none = await runCase(caseOf(`{"name":"n","statements":${statements},"inputs":${inputs},"expectedException":{"message":"x"}}`));
  assert.equal(none.status, 'failed');
  assert.match(none.reason, /Expected test to throw/);
  const countNeg = await runCase(caseOf(`{"name":"n","statements":${statements},"inputs":${inputs},"outputs":[${outputs[0]!}],
    "expectedException":{"type":"io.confluent.ksql.util.KsqlException","message":"Expected <1> records but it was <4>"}}`));
  assert.deepEqual([countNeg.status, countNeg.negativeMessageMatched], ['passed', true]);
});

void test('post-conditions on sources', async () => {
  // "inputs" twice: the last one counts, as with Jackson.
  const ok = await runCase(caseOf(`{"name":"n","statements":${statements},"inputs":[],"outputs":[${outputs.join(',')}],
    "expectedException":null, "post":{"sources":[{"name":"OUTPUT","type":"stream","schema":"k string key, V INT"}]}, "inputs":${inputs}}`));
  assert.deepEqual([ok.status, ok.reason], ['passed', '']);
  const bad = await runCase(caseOf(`{"name":"n","statements":${statements},"inputs":${inputs},
    "post":{"sources":[{"name":"OUTPUT","type":"table"}]}}`));
  assert.match(bad.reason, /expected type TABLE but was STREAM/);
  const schema = await runCase(caseOf(`{"name":"n","statements":${statements},"inputs":${inputs},
    "post":{"sources":[{"name":"OUTPUT","type":"stream","schema":"K STRING KEY, V BIGINT"}]}}`));
  assert.match(schema.reason, /expected schema .* but was/);
});

void test('an engine that fails to open is a failed case, not a crashed run', async () => {
  // The real engine, given a data directory it cannot create (a regular file stands in the way).
  const dir = mkdtempSync(join(tmpdir(), 'riffle-qtt-crash-'));
  const blocker = join(dir, 'not-a-directory');
  writeFileSync(blocker, '');
  const openEngine = await loadOpenEngine();
  setOpenEngine((options) => openEngine({ ...options, dataDir: join(blocker, 'data') }));
  try {
    const r = await runCase(caseOf(`{"name":"n","statements":${statements},"inputs":${inputs}}`));
    assert.equal(r.status, 'failed');
    assert.match(r.reason, /^crash: .*(ENOTDIR|EEXIST)/);
  } finally {
    setOpenEngine(undefined);
    rmSync(dir, { recursive: true, force: true });
  }
});
