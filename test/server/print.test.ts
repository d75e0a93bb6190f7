// PRINT on /query, over both protocols: ksqlDB's text layout (formats, then one line per record),
// FROM BEGINNING, INTERVAL and LIMIT, a PRINT that follows new records until the client leaves,
// and a clear error for a topic that does not exist.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openStream, postJson, PROTOCOLS, startTestServer, type TestServer } from './helpers.ts';

const ROW = /^rowtime: \d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d\.\d{3} Z, key: (.*), value: (.*), partition: 0$/;

describe('PRINT', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
    const ddl = await postJson('http1', t.port, '/ksql', {
      ksql: "CREATE STREAM P (K BIGINT KEY, NAME STRING) WITH (kafka_topic='print_me', key_format='KAFKA', value_format='JSON', partitions=1);",
    });
    assert.equal(ddl.status, 200, ddl.body);
    for (let i = 1; i <= 4; i++) {
      const r = await postJson('http1', t.port, '/ksql', { ksql: `INSERT INTO P (K, NAME) VALUES (${i}, 'n${i}');` });
      assert.equal(r.status, 200, r.body);
    }
  });
  after(() => t?.close());

  for (const protocol of PROTOCOLS) {
    test(`${protocol}: FROM BEGINNING LIMIT prints the formats, then each record`, async () => {
      const r = await postJson(protocol, t.port, '/query', { ksql: "PRINT 'print_me' FROM BEGINNING LIMIT 3;" });
      assert.equal(r.status, 200, r.body);
      const lines = r.body.split('\n').filter((l) => l !== '');
      assert.deepEqual(lines.slice(0, 2), ['Key format: KAFKA_BIGINT or KAFKA_DOUBLE', 'Value format: JSON or KAFKA_STRING']);
      assert.deepEqual(lines.slice(2).map((l) => ROW.exec(l)?.slice(1)), [['1', '{"NAME":"n1"}'], ['2', '{"NAME":"n2"}'], ['3', '{"NAME":"n3"}']]);
    });
  }

  test('INTERVAL prints every n-th record; an unquoted name matches the topic ignoring case', async () => {
    const r = await postJson('http2', t.port, '/query', { ksql: 'PRINT PRINT_ME FROM BEGINNING INTERVAL 2 LIMIT 2;' });
    assert.equal(r.status, 200, r.body);
    const rows = r.body.split('\n').filter((l) => ROW.test(l)).map((l) => ROW.exec(l)![1]);
    assert.deepEqual(rows, ['1', '3']);
  });

  test('without FROM BEGINNING it follows new records until the client leaves', async () => {
    const s = openStream('http1', t.port, '/query', { body: JSON.stringify({ ksql: "PRINT 'print_me';" }) });
    assert.equal(await s.status, 200);
    await new Promise((resolve) => setTimeout(resolve, 300)); // let the PRINT reach the end of the topic
    const insert = await postJson('http1', t.port, '/ksql', { ksql: "INSERT INTO P (K, NAME) VALUES (5, 'n5');" });
    assert.equal(insert.status, 200, insert.body);
    const body = await s.waitFor((b) => b.includes('"n5"'));
    assert.ok(!body.includes('"n1"'), 'earlier records are not printed');
    s.destroy();
    const after = await postJson('http1', t.port, '/query', { ksql: "PRINT 'print_me' FROM BEGINNING LIMIT 1;" });
    assert.equal(after.status, 200, 'the server carries on');
  });

  test('a topic that does not exist is a statement error', async () => {
    for (const protocol of PROTOCOLS) {
      const r = await postJson(protocol, t.port, '/query', { ksql: "PRINT 'nope';" });
      assert.equal(r.status, 400, r.body);
      const body = JSON.parse(r.body) as { error_code: number; message: string };
      assert.equal(body.error_code, 40001);
      assert.match(body.message, /Could not find topic 'nope'/);
    }
  });
});
