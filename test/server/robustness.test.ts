// End to end: what must not hurt the server - oversized bodies, clients that disconnect mid-stream,
// clients that stop reading (bounded buffer, error row for that client only), many concurrent push
// clients, and shutdown with streams open.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eventually, lines, openStream, postJson, PROTOCOLS, request, startTestServer, type TestServer } from './helpers.ts';

const EARLIEST = { 'ksql.streams.auto.offset.reset': 'earliest' };

describe('robustness', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ 'riffle.server.max.request.bytes': '65536', 'riffle.push.client.buffer.bytes': '4096' });
    const r = await postJson('http1', t.port, '/ksql', {
      ksql: "CREATE STREAM R (K STRING KEY, ID INT, PAD STRING) WITH (kafka_topic='r', value_format='JSON', partitions=1);",
    });
    assert.equal(r.status, 200, r.body);
  });
  after(() => t?.close());

  async function insert(k: string, from: number, count: number, pad = ''): Promise<void> {
    const stmts: string[] = [];
    for (let i = from; i < from + count; i++) stmts.push(`INSERT INTO R (K, ID, PAD) VALUES ('${k}', ${i}, '${pad}');`);
    const r = await postJson('http1', t.port, '/ksql', { ksql: stmts.join('\n') });
    assert.equal(r.status, 200, r.body);
  }

  for (const p of PROTOCOLS) {
    test(`${p}: an oversized body is 413 and the server keeps serving`, async () => {
      const big = JSON.stringify({ ksql: 'LIST STREAMS; -- ' + 'x'.repeat(200_000) });
      const r = await request(p, t.port, '/ksql', { method: 'POST', body: big, headers: { 'content-type': 'application/json' } });
      assert.equal(r.status, 413);
      const body = JSON.parse(r.body);
      assert.equal(body['@type'], 'generic_error');
      assert.equal(body.error_code, 41300);
      assert.equal((await request(p, t.port, '/info')).status, 200);
    });

    test(`${p}: a client that disconnects mid-stream frees its query at once`, async () => {
      const s = openStream(p, t.port, '/query-stream', { body: JSON.stringify({ sql: "SELECT * FROM R WHERE K = 'never' EMIT CHANGES;", properties: EARLIEST }) });
      assert.equal(await s.status, 200);
      await s.waitFor((b) => lines(b).length >= 1);
      await eventually(() => t.server.context.pushQueries.activeCount === 1);
      s.destroy();
      await eventually(() => t.server.context.pushQueries.activeCount === 0);
      assert.equal((await request(p, t.port, '/healthcheck')).status, 200);
    });
  }

  test('an oversized /inserts-stream line ends that stream with an error', async () => {
    const r = await request('http2', t.port, '/inserts-stream', { method: 'POST', body: `{"target":"R"}\n{"K":"big","ID":1}\n{"K":"big","PAD":"${'y'.repeat(70_000)}"}\n` });
    assert.equal(r.status, 200);
    const acks = lines(r.body).map((l) => JSON.parse(l));
    assert.deepEqual(acks[0], { seq: 0, status: 'ok' });
    assert.equal(acks[1].status, 'error');
    assert.equal(acks[1].error_code, 41300);
  });

  test('a client that stops reading gets an error row; a reading client and the engine carry on', async () => {
    const sql = "SELECT ID, PAD FROM R WHERE K = 'flood' EMIT CHANGES;";
    // HTTP/2 flow control stops the server's writes once the paused client's window (64 KiB) is full.
    const slow = openStream('http2', t.port, '/query-stream', { body: JSON.stringify({ sql, properties: EARLIEST }) });
    const fast = openStream('http1', t.port, '/query-stream', { body: JSON.stringify({ sql: sql.replace(';', ' LIMIT 400;'), properties: EARLIEST }) });
    assert.equal(await slow.status, 200);
    assert.equal(await fast.status, 200);
    await slow.waitFor((b) => lines(b).length >= 1);
    slow.pause();
    const pad = 'p'.repeat(1000);
    for (let i = 0; i < 400; i += 50) await insert('flood', i, 50, pad);
    await fast.ended;
    assert.equal(lines(fast.text()).length, 401, 'the reading client got every row');
    await eventually(() => t.server.context.pushQueries.activeCount === 0);
    slow.resume();
    await slow.ended;
    const last = JSON.parse(lines(slow.text()).at(-1)!);
    assert.equal(last['@type'], 'generic_error');
    assert.equal(last.error_code, 50000);
    assert.match(last.message, /did not read its results fast enough/);
    assert.ok(lines(slow.text()).length < 401);
  });

  test('many concurrent push clients over both protocols all get their rows', async () => {
    const clients = Array.from({ length: 20 }, (_, i) =>
      openStream(i % 2 === 0 ? 'http1' : 'http2', t.port, '/query-stream', {
        body: JSON.stringify({ sql: "SELECT ID FROM R WHERE K = 'many' EMIT CHANGES LIMIT 5;", properties: EARLIEST }),
      }),
    );
    for (const c of clients) assert.equal(await c.status, 200);
    await insert('many', 0, 5);
    for (const c of clients) {
      await c.ended;
      assert.deepEqual(lines(c.text()).slice(1).map((l) => JSON.parse(l)), [[0], [1], [2], [3], [4]]);
    }
  });

  test('shutdown ends open streams cleanly and refuses new work', async () => {
    const own = await startTestServer();
    try {
      await postJson('http1', own.port, '/ksql', { ksql: "CREATE STREAM Z (ID INT) WITH (kafka_topic='z', value_format='JSON', partitions=1);" });
      const s1 = openStream('http1', own.port, '/query-stream', { body: JSON.stringify({ sql: 'SELECT * FROM Z EMIT CHANGES;' }), headers: { accept: 'application/vnd.ksql.v1+json' } });
      const s2 = openStream('http2', own.port, '/query-stream', { body: JSON.stringify({ sql: 'SELECT * FROM Z EMIT CHANGES;' }), headers: { accept: 'application/json' } });
      await s1.waitFor((b) => b.length > 0);
      await s2.waitFor((b) => b.length > 0);
      await own.server.close();
      await s1.ended;
      await s2.ended;
      assert.ok(s1.text().endsWith(']'), s1.text());
      JSON.parse(s2.text());
    } finally {
      await own.close();
    }
  });
});
