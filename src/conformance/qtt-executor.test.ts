// The QTT executor end to end against a stand-in engine: topic creation, input serialization,
// emission-order output reading across partitions, count/value mismatches, negative statements.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { INTEGER, STRING } from '../common/sql-type.ts';
import { KsqlError } from '../common/errors.ts';
import { setOpenEngine } from './engine-host.ts';
import { column, fakeOpenEngine } from './fake-engine.ts';
import { parseLossless } from './json.ts';
import { expandNode } from './loader.ts';
import { runCase } from './runner.ts';

after(() => setOpenEngine(undefined));

const fmt = (f: string) => ({ info: { format: f as 'JSON', properties: {} }, features: [] });
const src = (name: string, topic: string) => ({
  name, type: 'STREAM' as const, topic,
  schema: { key: [column('K', STRING, 'KEY')], value: [column('V', INTEGER)] },
  keyFormat: { ...fmt('KAFKA'), window: undefined }, valueFormat: fmt('JSON'),
});

setOpenEngine(fakeOpenEngine({
  statements: [
    { match: 'CREATE STREAM INPUT', source: src('INPUT', 'input') },
    { match: 'CREATE STREAM OUTPUT', source: src('OUTPUT', 'OUTPUT'), passThrough: { from: 'input', to: 'OUTPUT' } },
    { match: 'BAD', error: new KsqlError('statement', "Source 'NOPE' does not exist.") },
  ],
}));

function caseOf(node: string) {
  return expandNode({ path: '/x/t.json', display: 'qtt/t.json' }, 't', parseLossless(node) as never, 'qtt')[0]!;
}

const statements = `["CREATE STREAM INPUT (K STRING KEY, V INT) WITH (kafka_topic='input', value_format='JSON');",
  "CREATE STREAM OUTPUT AS SELECT * FROM INPUT;"]`;
const inputs = `[{"topic":"input","key":"a","value":{"V":1},"timestamp":3},{"topic":"input","key":"bb","value":{"V":2}},
  {"topic":"input","key":"c","value":{"V":3},"timestamp":1}]`;

void test('passes when outputs match in emission order across partitions', async () => {
  const r = await runCase(caseOf(`{"name":"ok","statements":${statements},"inputs":${inputs},"outputs":[
    {"topic":"OUTPUT","key":"a","value":{"v":1.0},"timestamp":3},{"topic":"OUTPUT","key":"bb","value":{"V":2}},
    {"topic":"OUTPUT","key":"c","value":{"V":3},"timestamp":1}]}`));
  assert.deepEqual([r.status, r.reason], ['passed', '']);
});

void test('fails on count, order, value and timestamp mismatches', async () => {
  const count = await runCase(caseOf(`{"name":"n","statements":${statements},"inputs":${inputs},"outputs":[{"topic":"OUTPUT","key":"a","value":{"V":1}}]}`));
  assert.match(count.reason, /Expected <1> records but it was <3>/);
  const order = await runCase(caseOf(`{"name":"n","statements":${statements},"inputs":${inputs},"outputs":[
    {"topic":"OUTPUT","key":"bb","value":{"V":2}},{"topic":"OUTPUT","key":"a","value":{"V":1}},{"topic":"OUTPUT","key":"c","value":{"V":3}}]}`));
  assert.equal(order.status, 'failed');
  const value = await runCase(caseOf(`{"name":"n","statements":${statements},"inputs":${inputs},"outputs":[
    {"topic":"OUTPUT","key":"a","value":{"V":7}},{"topic":"OUTPUT","key":"bb","value":{"V":2}},{"topic":"OUTPUT","key":"c","value":{"V":3}}]}`));
  assert.match(value.reason, /value mismatch/);
  const ts = await runCase(caseOf(`{"name":"n","statements":${statements},"inputs":${inputs},"outputs":[
    {"topic":"OUTPUT","key":"a","value":{"V":1},"timestamp":4},{"topic":"OUTPUT","key":"bb","value":{"V":2}},{"topic":"OUTPUT","key":"c","value":{"V":3}}]}`));
  assert.match(ts.reason, /timestamp mismatch/);
});

void test('negative cases: last statement rejected passes; earlier rejection fails; no error fails', async () => {
  const neg = await runCase(caseOf(`{"name":"n","statements":["CREATE STREAM INPUT (K STRING KEY, V INT) WITH (kafka_topic='input', value_format='JSON');","BAD"],
    "expectedException":{"type":"io.confluent.ksql.util.KsqlStatementException","message":"does not exist"}}`));
  assert.deepEqual([neg.status, neg.negativeMessageMatched], ['passed', true]);
  const early = await runCase(caseOf(`{"name":"n","statements":["BAD","CREATE STREAM INPUT (K STRING KEY, V INT) WITH (kafka_topic='input', value_format='JSON');"],
    "expectedException":{"type":"io.confluent.ksql.util.KsqlStatementException"}}`));
  assert.match(early.reason, /Only the last statement/);
  const none = await runCase(caseOf(`{"name":"n","statements":${statements},"inputs":${inputs},"expectedException":{"message":"x"}}`));
  assert.match(none.reason, /Expected test to throw/);
  const countNeg = await runCase(caseOf(`{"name":"n","statements":${statements},"inputs":${inputs},"outputs":[{"topic":"OUTPUT","key":"a","value":{"V":1}}],
    "expectedException":{"type":"io.confluent.ksql.util.KsqlException","message":"Expected <1> records but it was <3>"}}`));
  assert.deepEqual([countNeg.status, countNeg.negativeMessageMatched], ['passed', true]);
});

void test('post-conditions on sources', async () => {
  const ok = await runCase(caseOf(`{"name":"n","statements":${statements},"inputs":[],"outputs":[],
    "expectedException":null, "post":{"sources":[{"name":"OUTPUT","type":"stream","schema":"k string key, V INT"}]}, "inputs":${inputs}}`));
  assert.equal(ok.status, 'passed', ok.reason);
  const bad = await runCase(caseOf(`{"name":"n","statements":${statements},"inputs":${inputs},
    "post":{"sources":[{"name":"OUTPUT","type":"table"}]}}`));
  assert.match(bad.reason, /expected type TABLE but was STREAM/);
});

void test('an engine crash is a failed case, not a crashed run', async () => {
  setOpenEngine(() => Promise.reject(new Error('kaboom')));
  try {
    const r = await runCase(caseOf(`{"name":"n","statements":${statements},"inputs":${inputs}}`));
    assert.equal(r.status, 'failed');
    assert.match(r.reason, /kaboom/);
  } finally {
    setOpenEngine(fakeOpenEngine({ statements: [] }));
  }
});
