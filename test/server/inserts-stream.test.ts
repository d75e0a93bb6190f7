// End to end: /inserts-stream over HTTP/2 (delimited and JSON-array acks, bad rows, unknown targets,
// streamed request bodies) and its refusal over HTTP/1.1 (40004). Inserted rows are read back.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { lines, openStream, postJson, request, startTestServer, type TestServer } from './helpers.ts';

const EARLIEST = { 'ksql.streams.auto.offset.reset': 'earliest' };

describe('/inserts-stream', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
    const r = await postJson('http1', t.port, '/ksql', {
      ksql: "CREATE STREAM INS (K STRING KEY, ID INT, AMOUNT DECIMAL(4, 2)) WITH (kafka_topic='ins', value_format='JSON', partitions=1);",
    });
    assert.equal(r.status, 200, r.body);
  });
  after(() => t?.close());

  async function readBack(key: string, limit: number): Promise<unknown[]> {
    const r = await postJson('http2', t.port, '/query-stream', { sql: `SELECT ID, AMOUNT FROM INS WHERE K = '${key}' EMIT CHANGES LIMIT ${limit};`, properties: EARLIEST });
    assert.equal(r.status, 200, r.body);
    return lines(r.body).slice(1).map((l) => JSON.parse(l));
  }

  test('over HTTP/1.1 it is 400 / 40004', async () => {
    const r = await request('http1', t.port, '/inserts-stream', { method: 'POST', body: '{"target":"INS"}\n{"K":"x","ID":1}' });
    assert.equal(r.status, 400);
    assert.deepEqual(JSON.parse(r.body), { '@type': 'generic_error', error_code: 40004, message: 'This endpoint is only available when using HTTP2' });
  });

  test('delimited acks, one per row, in order; rows are inserted', async () => {
    const body = '{"target":"ins"}\n{"K":"d","ID":1,"AMOUNT":1.50}\n{"K":"d","ID":2,"AMOUNT":10.25}';
    const r = await request('http2', t.port, '/inserts-stream', { method: 'POST', body });
    assert.equal(r.status, 200, r.body);
    assert.equal(r.headers['content-type'], 'application/vnd.ksqlapi.delimited.v1');
    assert.equal(r.body, '{"seq":0,"status":"ok"}\n{"seq":1,"status":"ok"}\n');
    assert.deepEqual(await readBack('d', 2), [[1, 1.5], [2, 10.25]]);
  });

  test('Accept: application/json gives one JSON array of acks ([] for no rows)', async () => {
    const r = await request('http2', t.port, '/inserts-stream', { method: 'POST', body: '{"target":"INS"}\n{"K":"j","ID":7}\n', headers: { accept: 'application/json' } });
    assert.equal(r.status, 200, r.body);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(r.body), [{ seq: 0, status: 'ok' }]);
    const none = await request('http2', t.port, '/inserts-stream', { method: 'POST', body: '{"target":"INS"}', headers: { accept: 'application/json' } });
    assert.equal(none.body, '[]');
  });

  test('a malformed row ends the stream with an InsertError; earlier rows stay', async () => {
    const body = '{"target":"INS"}\n{"K":"m","ID":1}\n{"K":"m",\n{"K":"m","ID":3}\n';
    const r = await request('http2', t.port, '/inserts-stream', { method: 'POST', body });
    assert.equal(r.status, 200);
    const acks = lines(r.body).map((l) => JSON.parse(l));
    assert.deepEqual(acks[0], { seq: 0, status: 'ok' });
    assert.deepEqual(acks[1], { '@type': 'InsertError', error_code: 40000, message: 'Invalid JSON in inserts stream', status: 'error', seq: 1 });
    assert.equal(acks.length, 2);
    assert.deepEqual(await readBack('m', 1), [[1, null]]);
  });

  test('a row the engine rejects ends the stream with its error', async () => {
    const r = await request('http2', t.port, '/inserts-stream', { method: 'POST', body: '{"target":"INS"}\n{"K":"e","NO_SUCH_COLUMN":1}' });
    assert.equal(r.status, 200);
    const [ack] = lines(r.body).map((l) => JSON.parse(l));
    assert.equal(ack.status, 'error');
    assert.equal(ack.seq, 0);
    assert.equal(typeof ack.error_code, 'number');
    assert.equal(typeof ack.message, 'string');
  });

  test('unknown targets and missing fields are refused before streaming', async () => {
    const unknown = await request('http2', t.port, '/inserts-stream', { method: 'POST', body: '{"target":"NOPE"}\n{"ID":1}' });
    assert.equal(unknown.status, 400);
    assert.deepEqual(JSON.parse(unknown.body), { '@type': 'generic_error', error_code: 40001, message: 'Cannot insert values into an unknown stream/table: NOPE' });
    const missing = await request('http2', t.port, '/inserts-stream', { method: 'POST', body: '{"properties":{}}\n' });
    assert.equal(missing.status, 400);
    assert.match(JSON.parse(missing.body).message, /^Invalid JSON in request: Missing required creator property 'target'/);
    const badJson = await request('http2', t.port, '/inserts-stream', { method: 'POST', body: '{"target":\n' });
    assert.equal(badJson.status, 400);
    assert.equal(JSON.parse(badJson.body).error_code, 40000);
  });

  test('rows streamed over time are acknowledged as they arrive', async () => {
    const s = openStream('http2', t.port, '/inserts-stream', { body: '{"target":"INS"}\n', keepRequestOpen: true });
    assert.equal(await s.status, 200);
    s.write('{"K":"s","ID":1}\n');
    await s.waitFor((b) => b.includes('"seq":0'));
    s.write('{"K":"s","ID":2}');
    s.end();
    await s.ended;
    assert.equal(s.text(), '{"seq":0,"status":"ok"}\n{"seq":1,"status":"ok"}\n');
  });
});
