// The RQTT executor on the real engine behind the real REST server (the default HTTP driver):
// admin responses, query rows (order-insensitive unless verifyOrder), final messages, scale-exact
// values, row counts, push queries waiting for inputs, expected errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseLossless } from './json.ts';
import { expandNode } from './loader.ts';
import { runCase } from './runner.ts';

const run = (node: string) =>
  runCase(expandNode({ path: '/r/t.json', display: 'rqtt/t.json' }, 't', parseLossless(node) as never, 'rqtt')[0]!);

// One partition, so a full scan answers in key order (a, then b) whatever order the inputs came in.
const TABLE = "CREATE SOURCE TABLE T (ID STRING PRIMARY KEY, C BIGINT, D DOUBLE) WITH (kafka_topic='t', value_format='JSON', partitions=1);";
const tableInputs = '[{"topic":"t","key":"b","value":{"C":2,"D":0.5}},{"topic":"t","key":"a","value":{"C":1,"D":43.0}}]';
const header = '{"header":{"schema":"`ID` STRING KEY, `C` BIGINT, `D` DOUBLE"}}';
const rowA = '{"row":{"columns":["a",1,43.0]}}';
const rowB = '{"row":{"columns":["b",2,0.5]}}';
const pull = (rows: readonly string[], extra = '') =>
  `{"name":"n","statements":["${TABLE}","SELECT * FROM T;"],"inputs":${tableInputs},${extra}
    "responses":[{"admin":{"@type":"currentStatus"}},{"query":[${[header, ...rows].join(',')}]}]}`;

const STREAM = "CREATE STREAM S (I STRING) WITH (kafka_topic='s', value_format='JSON', partitions=1);";

void test('matches admin and pull-query responses, rows as a multiset', async () => {
  const r = await run(pull([rowB, rowA]));
  assert.deepEqual([r.status, r.reason], ['passed', '']);
});

void test('verifyOrder, scale-exact doubles and row counts are enforced', async () => {
  const ordered = await run(pull([rowA, rowB], '"outputConditions":{"verifyOrder":true},'));
  assert.deepEqual([ordered.status, ordered.reason], ['passed', '']);
  const misordered = await run(pull([rowB, rowA], '"outputConditions":{"verifyOrder":true},'));
  assert.equal(misordered.status, 'failed');
  assert.match(misordered.reason, /mismatch at responses\[1\]->query\[1\]->row->columns: expected \["b",2,0.5\] but was \["a",1,43.0\]/);
  // 43 where the server sends 43.0: ksqlDB compares the JSON numbers' text (scale) exactly.
  const scale = await run(pull([rowB, '{"row":{"columns":["a",1,43]}}']));
  assert.equal(scale.status, 'failed');
  assert.match(scale.reason, /unexpected row columns \["a",1,/);
  const count = await run(pull([]));
  assert.match(count.reason, /row count mismatch/);
});

void test('push queries: final message on LIMIT; open queries stop at the expected size', async () => {
  const limit = await run(`{"name":"n","statements":["${STREAM}","SELECT I FROM S EMIT CHANGES LIMIT 2;"],
    "inputs":[{"topic":"s","value":{"I":"x"}},{"topic":"s","value":{"I":"y"}}],
    "responses":[{"admin":{"@type":"currentStatus"}},{"query":[{"header":{"schema":"\`I\` STRING","queryId|starts_with":"transient"}},
    {"row":{"columns":["x"]}},{"row":{"columns":["y"]}},{"finalMessage":"Limit Reached"}]}]}`);
  assert.deepEqual([limit.status, limit.reason], ['passed', '']);
  // Inputs are produced once the query's header arrived; the query never ends by itself.
  const open = await run(`{"name":"n","statements":["${STREAM}","SELECT I FROM S EMIT CHANGES;"],
    "inputs":[{"topic":"s","value":{"I":"x"}}],"inputConditions":{"waitForActivePushQuery":true},
    "responses":[{"admin":{"@type":"currentStatus"}},{"query":[{"header":{"schema":"\`I\` STRING"}},{"row":{"columns":["x"]}}]}]}`);
  assert.deepEqual([open.status, open.reason], ['passed', '']);
});

void test('expected errors: statement error with status passes; wrong status fails; none fails', async () => {
  const BAD = 'INSERT INTO S SELECT * FROM NOPE;';
  const err = await run(`{"name":"n","statements":["${STREAM}","${BAD}"],
    "expectedError":{"type":"io.confluent.ksql.rest.entity.KsqlStatementErrorMessage","message":"NOPE does not exist","status":400}}`);
  assert.deepEqual([err.status, err.reason, err.negativeMessageMatched], ['passed', '', true]);
  const status = await run(`{"name":"n","statements":["${STREAM}","${BAD}"],
    "expectedError":{"type":"io.confluent.ksql.rest.entity.KsqlStatementErrorMessage","status":500}}`);
  assert.equal(status.status, 'failed');
  assert.match(status.reason, /expected error .* status 500 but got .* status 400/);
  const none = await run(`{"name":"n","statements":["${STREAM}"],"expectedError":{"message":"x"}}`);
  assert.match(none.reason, /Expected last statement to return an error/);
});
