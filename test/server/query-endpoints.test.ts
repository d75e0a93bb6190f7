// End to end over both protocols: /query-stream in its three formats, /query (old API), /close-query
// and the /ws/query WebSocket, with rows inserted through /ksql.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { WebSocket } from 'ws';
import { eventually, lines, openStream, postJson, PROTOCOLS, startTestServer, type TestServer } from './helpers.ts';

const EARLIEST = { 'ksql.streams.auto.offset.reset': 'earliest' };
const DELIMITED = 'application/vnd.ksqlapi.delimited.v1';

describe('queries', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
    const r = await postJson('http1', t.port, '/ksql', {
      ksql:
        "CREATE STREAM S (K STRING KEY, ID INT, NAME STRING) WITH (kafka_topic='s', value_format='JSON', partitions=1);" +
        "INSERT INTO S (K, ID, NAME) VALUES ('a', 1, 'one');" +
        "INSERT INTO S (K, ID, NAME) VALUES ('b', 2, 'two');",
    });
    assert.equal(r.status, 200, r.body);
  });
  after(() => t?.close());

  for (const p of PROTOCOLS) {
    describe(p, () => {
      test('/query-stream delimited (default): metadata line, then one array per row', async () => {
        const r = await postJson(p, t.port, '/query-stream', { sql: 'SELECT * FROM S EMIT CHANGES LIMIT 2;', properties: EARLIEST });
        assert.equal(r.status, 200, r.body);
        assert.equal(r.headers['content-type'], DELIMITED);
        const [meta, ...rows] = lines(r.body).map((l) => JSON.parse(l));
        assert.match(meta.queryId, /\S/);
        assert.deepEqual(meta.columnNames, ['K', 'ID', 'NAME']);
        assert.deepEqual(meta.columnTypes, ['STRING', 'INTEGER', 'STRING']);
        assert.deepEqual(rows, [['a', 1, 'one'], ['b', 2, 'two']]);
        assert.ok(r.body.endsWith('\n'));
      });

      test('/query-stream application/json: one JSON array', async () => {
        const r = await postJson(p, t.port, '/query-stream', { sql: 'SELECT * FROM S EMIT CHANGES LIMIT 2;', properties: EARLIEST }, { accept: 'application/json' });
        assert.equal(r.status, 200, r.body);
        assert.equal(r.headers['content-type'], 'application/json');
        assert.ok(!r.body.includes('\n'));
        const [meta, ...rows] = JSON.parse(r.body);
        assert.deepEqual(meta.columnNames, ['K', 'ID', 'NAME']);
        assert.deepEqual(rows, [['a', 1, 'one'], ['b', 2, 'two']]);
      });

      test('/query-stream application/vnd.ksql.v1+json: StreamedRow array ending in Limit Reached', async () => {
        const r = await postJson(p, t.port, '/query-stream', { sql: 'SELECT * FROM S EMIT CHANGES LIMIT 2;', properties: EARLIEST }, { accept: 'application/vnd.ksql.v1+json' });
        assert.equal(r.status, 200, r.body);
        assert.equal(r.headers['content-type'], 'application/vnd.ksql.v1+json');
        const ls = r.body.split('\n');
        assert.match(ls[0]!, /^\[\{"header":\{"queryId":"[^"]+","schema":"`K` STRING, `ID` INTEGER, `NAME` STRING"\}\},$/);
        assert.equal(ls[1], '{"row":{"columns":["a",1,"one"]}},');
        assert.equal(ls[2], '{"row":{"columns":["b",2,"two"]}},');
        assert.equal(ls[3], '{"finalMessage":"Limit Reached"}]');
        assert.equal(ls.length, 4);
        assert.equal(JSON.parse(r.body).length, 4);
      });

      test('/query-stream: a SELECT that cannot run is 400 / 40001 with statementText', async () => {
        const r = await postJson(p, t.port, '/query-stream', { sql: 'SELECT * FROM NO_SUCH_STREAM EMIT CHANGES;' });
        assert.equal(r.status, 400);
        const body = JSON.parse(r.body);
        assert.equal(body['@type'], 'statement_error');
        assert.equal(body.error_code, 40001);
        assert.equal(body.statementText, 'SELECT * FROM NO_SUCH_STREAM EMIT CHANGES;');
      });

      test('/query-stream: invalid JSON and a missing sql are 400 / 40000', async () => {
        const bad = await postJson(p, t.port, '/query-stream', 'not json');
        assert.equal(bad.status, 400);
        assert.equal(JSON.parse(bad.body).error_code, 40000);
        const missing = await postJson(p, t.port, '/query-stream', { properties: {} });
        assert.equal(missing.status, 400);
        const body = JSON.parse(missing.body);
        assert.equal(body['@type'], 'generic_error');
        assert.match(body.message, /^Invalid JSON in request: Missing required creator property 'sql'/);
      });

      test('/query (old API) without Accept: StreamedRow array', async () => {
        const r = await postJson(p, t.port, '/query', { ksql: 'SELECT * FROM S EMIT CHANGES LIMIT 1;', streamsProperties: EARLIEST });
        assert.equal(r.status, 200, r.body);
        assert.equal(r.headers['content-type'], 'application/vnd.ksql.v1+json');
        const rows = JSON.parse(r.body);
        assert.equal(rows[0].header.schema, '`K` STRING, `ID` INTEGER, `NAME` STRING');
        assert.deepEqual(rows[1], { row: { columns: ['a', 1, 'one'] } });
        assert.deepEqual(rows[2], { finalMessage: 'Limit Reached' });
      });

      test('/query with Accept */* answers delimited', async () => {
        const r = await postJson(p, t.port, '/query', { ksql: 'SELECT * FROM S EMIT CHANGES LIMIT 1;', streamsProperties: EARLIEST }, { accept: '*/*' });
        assert.equal(r.status, 200, r.body);
        assert.equal(r.headers['content-type'], DELIMITED);
        const [meta, row] = lines(r.body).map((l) => JSON.parse(l));
        assert.deepEqual(meta.columnTypes, ['STRING', 'INTEGER', 'STRING']);
        assert.deepEqual(row, ['a', 1, 'one']);
      });

      test('/query: empty ksql is 400 / 40000, bad SQL 40001', async () => {
        const empty = await postJson(p, t.port, '/query', { ksql: '' });
        assert.equal(empty.status, 400);
        assert.deepEqual(JSON.parse(empty.body), { '@type': 'generic_error', error_code: 40000, message: '"ksql" field must be populated' });
        const bad = await postJson(p, t.port, '/query', { ksql: 'SELECT FROM WHERE;' });
        assert.equal(bad.status, 400);
        assert.equal(JSON.parse(bad.body).error_code, 40001);
      });

      test('/close-query ends a running push query; unknown ids are 400', async () => {
        const s = openStream(p, t.port, '/query-stream', { body: JSON.stringify({ sql: 'SELECT * FROM S EMIT CHANGES;', properties: EARLIEST }) });
        assert.equal(await s.status, 200);
        await s.waitFor((b) => lines(b).length >= 3);
        const queryId = JSON.parse(lines(s.text())[0]!).queryId as string;
        const closed = await postJson(p, t.port, '/close-query', { queryId });
        assert.equal(closed.status, 200);
        assert.equal(closed.body, '');
        await s.ended;
        const again = await postJson(p, t.port, '/close-query', { queryId });
        assert.equal(again.status, 400);
        assert.deepEqual(JSON.parse(again.body), { '@type': 'generic_error', error_code: 40000, message: `No query with id ${queryId}` });
        const missing = await postJson(p, t.port, '/close-query', {});
        assert.equal(missing.status, 400);
        assert.match(JSON.parse(missing.body).message, /Missing required creator property 'queryId'/);
      });

      test('push query rows arrive as they are inserted', async () => {
        const s = openStream(p, t.port, '/query-stream', { body: JSON.stringify({ sql: "SELECT ID FROM S WHERE K = 'live' EMIT CHANGES LIMIT 2;", properties: EARLIEST }) });
        assert.equal(await s.status, 200);
        await s.waitFor((b) => lines(b).length >= 1);
        for (const id of [100, 101]) {
          const r = await postJson('http1', t.port, '/ksql', { ksql: `INSERT INTO S (K, ID, NAME) VALUES ('live', ${id}, 'x');` });
          assert.equal(r.status, 200, r.body);
        }
        await s.ended;
        assert.deepEqual(lines(s.text()).slice(1).map((l) => JSON.parse(l)), [[100], [101]]);
      });
    });
  }

  test('pull query on a table: buffered StreamedRow, KEY in the header, no final message', async () => {
    const created = await postJson('http1', t.port, '/ksql', { ksql: 'CREATE TABLE COUNTS AS SELECT K, COUNT(*) AS C FROM S GROUP BY K;', streamsProperties: EARLIEST });
    assert.equal(created.status, 200, created.body);
    assert.match(JSON.parse(created.body)[0].commandStatus.queryId, /^CTAS_COUNTS_/);
    for (const p of PROTOCOLS) {
      let body = '';
      await eventually(async () => {
        body = (await postJson(p, t.port, '/query-stream', { sql: "SELECT * FROM COUNTS WHERE K = 'a';" }, { accept: 'application/vnd.ksql.v1+json' })).body;
        return body.includes('"row"');
      });
      assert.match(body, /^\[\{"header":\{"queryId":"[^"]+","schema":"`K` STRING KEY, `C` BIGINT"\}\},\n\{"row":\{"columns":\["a",1\]\}\}\]$/);
      const none = await postJson(p, t.port, '/query', { ksql: "SELECT * FROM COUNTS WHERE K = 'nothing';" });
      assert.match(none.body, /^\[\{"header":\{"queryId":"[^"]+","schema":"`K` STRING KEY, `C` BIGINT"\}\}\]$/);
    }
  });

  test('pull query on a stream: a bounded push ending in Query Completed', async () => {
    const r = await postJson('http1', t.port, '/query', { ksql: "SELECT * FROM S WHERE K = 'a';" });
    assert.match(r.body, /^\[\{"header":\{"queryId":"[^"]+","schema":"`K` STRING, `ID` INTEGER, `NAME` STRING"\}\},\n\{"row":\{"columns":\["a",1,"one"\]\}\},\n\{"finalMessage":"Query Completed"\}\]$/);
  });

  test('HTTP/2: every delimited line is its own DATA frame', async () => {
    const s = openStream('http2', t.port, '/query-stream', { body: JSON.stringify({ sql: 'SELECT * FROM S EMIT CHANGES LIMIT 2;', properties: EARLIEST }), headers: { accept: DELIMITED } });
    await s.ended;
    assert.ok(s.chunks.length >= 3);
    for (const c of s.chunks) {
      assert.ok(c.endsWith('\n') && c.indexOf('\n') === c.length - 1, `frame holds one line: ${JSON.stringify(c)}`);
      JSON.parse(c);
    }
  });

  test('/ws/query: schema, rows, final message, close 1000', async () => {
    const request = encodeURIComponent(JSON.stringify({ ksql: 'SELECT * FROM S EMIT CHANGES LIMIT 2;', streamsProperties: EARLIEST }));
    const ws = new WebSocket(`ws://127.0.0.1:${t.port}/ws/query?request=${request}&version=1`);
    const messages: string[] = [];
    ws.on('message', (m) => messages.push(String(m)));
    const [code, reason] = await new Promise<[number, string]>((resolve, reject) => {
      ws.on('close', (c, r) => resolve([c, String(r)]));
      ws.on('error', reject);
    });
    assert.equal(code, 1000);
    assert.equal(reason, 'done');
    const schema = JSON.parse(messages[0]!);
    assert.deepEqual(schema.map((f: { name: string }) => f.name), ['K', 'ID', 'NAME']);
    assert.deepEqual(schema[1], { name: 'ID', schema: { type: 'INTEGER', fields: null, memberSchema: null } });
    assert.deepEqual(JSON.parse(messages[1]!), { row: { columns: ['a', 1, 'one'] } });
    assert.deepEqual(JSON.parse(messages[3]!), { finalMessage: 'Limit Reached' });
  });

  test('/ws/query: a bad request closes with 1003', async () => {
    for (const query of ['request=%7Bnot-json', `request=${encodeURIComponent(JSON.stringify({ ksql: 'SELECT * FROM NOPE EMIT CHANGES;' }))}`]) {
      const ws = new WebSocket(`ws://127.0.0.1:${t.port}/ws/query?${query}`);
      const [code] = await new Promise<[number, string]>((resolve, reject) => {
        ws.on('close', (c, r) => resolve([c, String(r)]));
        ws.on('error', reject);
      });
      assert.equal(code, 1003);
    }
  });

  test('push queries are released when they end', async () => {
    await eventually(() => t.server.context.pushQueries.activeCount === 0);
  });
});
