// The RQTT executor against a stand-in engine: admin responses, query rows (order-insensitive
// unless verifyOrder), final messages, scale-exact values, expected errors.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BIGINT, DOUBLE, STRING } from '../common/sql-type.ts';
import { KsqlError } from '../common/errors.ts';
import { setOpenEngine } from './engine-host.ts';
import { fakeOpenEngine } from './fake-engine.ts';
import { parseLossless } from './json.ts';
import { expandNode } from './loader.ts';
import { runCase } from './runner.ts';

before(() => setOpenEngine(fakeOpenEngine({
  statements: [
    { match: 'CREATE STREAM', source: undefined },
    { match: 'INSERT BAD', error: new KsqlError('statement', 'Failed to prepare statement: nope') },
  ],
  queries: [
    {
      match: 'FROM T', kind: 'pull',
      columns: [{ name: 'ID', type: STRING, isKey: true }, { name: 'C', type: BIGINT, isKey: false }, { name: 'D', type: DOUBLE, isKey: false }],
      rows: [['a', 1n, 43], ['b', 2n, 0.5]],
    },
    { match: 'FROM S', kind: 'push', columns: [{ name: 'I', type: STRING, isKey: false }], rows: [['x'], ['y']], endReason: 'Limit Reached' },
    { match: 'FROM OPEN', kind: 'push', columns: [{ name: 'I', type: STRING, isKey: false }], rows: [['x']] },
  ],
})));
after(() => setOpenEngine(undefined));

const run = (node: string) =>
  runCase(expandNode({ path: '/r/t.json', display: 'rqtt/t.json' }, 't', parseLossless(node) as never, 'rqtt')[0]!);

const header = '{"header":{"schema":"`ID` STRING KEY, `C` BIGINT, `D` DOUBLE"}}';

void test('matches admin and pull-query responses, rows as a multiset', async () => {
  const r = await run(`{"name":"n","statements":["CREATE STREAM X;","SELECT * FROM T;"],"responses":[
    {"admin":{"@type":"currentStatus"}},
    {"query":[${header},{"row":{"columns":["b",2,0.5]}},{"row":{"columns":["a",1,43.0]}}]}]}`);
  assert.deepEqual([r.status, r.reason], ['passed', '']);
});

void test('verifyOrder, scale-exact doubles and row counts are enforced', async () => {
  const ordered = await run(`{"name":"n","statements":["CREATE STREAM X;","SELECT * FROM T;"],"outputConditions":{"verifyOrder":true},
    "responses":[{"admin":{"@type":"currentStatus"}},{"query":[${header},{"row":{"columns":["b",2,0.5]}},{"row":{"columns":["a",1,43.0]}}]}]}`);
  assert.equal(ordered.status, 'failed');
  const scale = await run(`{"name":"n","statements":["CREATE STREAM X;","SELECT * FROM T;"],
    "responses":[{"admin":{"@type":"currentStatus"}},{"query":[${header},{"row":{"columns":["b",2,0.5]}},{"row":{"columns":["a",1,43]}}]}]}`);
  assert.equal(scale.status, 'failed');
  const count = await run(`{"name":"n","statements":["CREATE STREAM X;","SELECT * FROM T;"],
    "responses":[{"admin":{"@type":"currentStatus"}},{"query":[${header}]}]}`);
  assert.match(count.reason, /row count mismatch/);
});

void test('push queries: final message on LIMIT; open queries stop at the expected size', async () => {
  const limit = await run(`{"name":"n","statements":["CREATE STREAM X;","SELECT I FROM S EMIT CHANGES LIMIT 2;"],
    "responses":[{"admin":{"@type":"currentStatus"}},{"query":[{"header":{"schema":"\`I\` STRING","queryId|starts_with":"transient"}},
    {"row":{"columns":["x"]}},{"row":{"columns":["y"]}},{"finalMessage":"Limit Reached"}]}]}`);
  assert.deepEqual([limit.status, limit.reason], ['passed', '']);
  const open = await run(`{"name":"n","statements":["CREATE STREAM X;","SELECT I FROM OPEN EMIT CHANGES;"],
    "inputConditions":{"waitForActivePushQuery":true},
    "responses":[{"admin":{"@type":"currentStatus"}},{"query":[{"header":{"schema":"\`I\` STRING"}},{"row":{"columns":["x"]}}]}]}`);
  assert.deepEqual([open.status, open.reason], ['passed', '']);
});

void test('expected errors: statement error with status passes; none fails', async () => {
  const err = await run(`{"name":"n","statements":["CREATE STREAM X;","INSERT BAD;"],
    "expectedError":{"type":"io.confluent.ksql.rest.entity.KsqlStatementErrorMessage","message":"nope","status":400}}`);
  assert.deepEqual([err.status, err.negativeMessageMatched], ['passed', true]);
  const none = await run(`{"name":"n","statements":["CREATE STREAM X;"],"expectedError":{"message":"x"}}`);
  assert.match(none.reason, /Expected last statement to return an error/);
});
