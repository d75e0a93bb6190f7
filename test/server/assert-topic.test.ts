// ASSERT TOPIC on /ksql, as ksqlDB's migrations tool and Java client use it: an `assert_topic`
// entity when the assertion holds (at once or within its TIMEOUT), 417 / 41700 naming what does
// not hold otherwise, and statement errors for properties it cannot check.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { postJson, PROTOCOLS, startTestServer, type TestServer } from './helpers.ts';

describe('ASSERT TOPIC', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
    const r = await postJson('http1', t.port, '/ksql', { ksql: "CREATE STREAM A (V INT) WITH (kafka_topic='asserted', value_format='JSON', partitions=2);" });
    assert.equal(r.status, 200, r.body);
  });
  after(() => t?.close());

  for (const protocol of PROTOCOLS) {
    test(`${protocol}: a topic that exists with the asserted partitions`, async () => {
      const ksql = "ASSERT TOPIC asserted WITH (PARTITIONS=2) TIMEOUT 1 SECONDS;";
      const r = await postJson(protocol, t.port, '/ksql', { ksql });
      assert.equal(r.status, 200, r.body);
      assert.deepEqual(JSON.parse(r.body), [{ '@type': 'assert_topic', statementText: ksql, topicName: 'asserted', exists: true, warnings: [] }]);
    });
  }

  test('a missing topic, a mismatched configuration and an existing topic asserted not to exist are 417 / 41700', async () => {
    const cases: [string, RegExp][] = [
      ["ASSERT TOPIC missing TIMEOUT 200 MILLISECONDS;", /^Topic missing does not exist\.$/],
      ["ASSERT TOPIC asserted WITH (PARTITIONS=3) TIMEOUT 100 MILLISECONDS;", /^Mismatched configuration for topic asserted: For config partitions, expected 3 got 2\.$/],
      ["ASSERT NOT EXISTS TOPIC asserted TIMEOUT 100 MILLISECONDS;", /^Topic asserted exists\.$/],
    ];
    for (const [ksql, message] of cases) {
      const r = await postJson('http1', t.port, '/ksql', { ksql });
      assert.equal(r.status, 417, r.body);
      const body = JSON.parse(r.body) as { error_code: number; message: string };
      assert.equal(body.error_code, 41700);
      assert.match(body.message, message);
    }
    const ok = await postJson('http1', t.port, '/ksql', { ksql: 'ASSERT NOT EXISTS TOPIC missing;' });
    assert.equal(ok.status, 200, ok.body);
    assert.equal((JSON.parse(ok.body) as { exists: boolean }[])[0]!.exists, false);
  });

  test('waits within its timeout for a topic created meanwhile', async () => {
    const waiting = postJson('http1', t.port, '/ksql', { ksql: 'ASSERT TOPIC later TIMEOUT 20 SECONDS;' });
    const created = await postJson('http1', t.port, '/ksql', { ksql: "CREATE STREAM L (V INT) WITH (kafka_topic='later', value_format='JSON', partitions=1);" });
    assert.equal(created.status, 200, created.body);
    const r = await waiting;
    assert.equal(r.status, 200, r.body);
  });

  test('an unknown property is a statement error', async () => {
    const r = await postJson('http1', t.port, '/ksql', { ksql: 'ASSERT TOPIC asserted WITH (FOO=1);' });
    assert.equal(r.status, 400, r.body);
    assert.match(r.body, /Cannot assert unknown topic property: FOO/);
  });
});
