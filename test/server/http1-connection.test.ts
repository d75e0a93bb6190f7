// Riffle's own HTTP/1.1 connection handler (src/server/http1-connection.ts), over raw sockets: the
// bytes it writes match node:http's, pipelined requests are answered in order, bodies may arrive in
// pieces, and whatever it does not serve (chunked bodies, Expect, HTTP/1.0, a missing Host, bare
// LF) goes to node:http on the same connection, with the same outcome as before.

import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from './helpers.ts';

/** Opens a socket, writes `parts` (pausing between them), and collects what comes back until `done` says so or the socket ends. */
async function exchange(port: number, parts: readonly string[], done: (text: string) => boolean, pauseMs = 20): Promise<{ text: string; ended: boolean }> {
  const socket = net.connect(port, '127.0.0.1');
  let text = '';
  let ended = false;
  const finished = new Promise<void>((resolve) => {
    socket.on('data', (d: Buffer) => {
      text += d.toString('latin1');
      if (done(text)) resolve();
    });
    socket.on('close', () => {
      ended = true;
      resolve();
    });
    socket.on('error', () => resolve());
  });
  await new Promise<void>((r) => socket.once('connect', () => r()));
  for (const p of parts) {
    socket.write(p);
    await new Promise((r) => setTimeout(r, pauseMs));
  }
  const timer = setTimeout(() => socket.destroy(), 10_000);
  await finished;
  clearTimeout(timer);
  // A closing server shows up as 'close' soon after its last bytes.
  await new Promise((r) => setTimeout(r, 50));
  socket.destroy();
  return { text, ended };
}

const responses = (text: string) => text.split(/(?=HTTP\/1\.1 \d{3} )/).filter((s) => s !== '');
const count = (n: number) => (text: string) => responses(text).length >= n && /\r\n\r\n[\s\S]*$/.test(text);

describe('HTTP/1.1 connection handler', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t?.close());

  test('a response is written as node:http writes it', async () => {
    const { text } = await exchange(t.port, ['GET /healthcheck HTTP/1.1\r\nHost: x\r\n\r\n'], (s) => s.includes('isHealthy'));
    const [head, body] = text.split('\r\n\r\n');
    const lines = head!.split('\r\n');
    assert.equal(lines[0], 'HTTP/1.1 200 OK');
    assert.deepEqual(lines.slice(1).map((l) => l.slice(0, l.indexOf(':'))), ['content-length', 'content-type', 'Date', 'Connection', 'Keep-Alive']);
    assert.equal(Number(/content-length: (\d+)/.exec(head!)![1]), Buffer.byteLength(body!));
    assert.match(head!, /\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5$/);
    assert.match(head!, /\r\nDate: \w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT\r\n/);
  });

  test('pipelined requests are answered in order; a body may arrive in pieces', async () => {
    const ksql = JSON.stringify({ ksql: 'SHOW STREAMS;' });
    const { text } = await exchange(t.port, [
      'GET /info HTTP/1.1\r\nHost: x\r\n\r\nGET /healthcheck HTTP/1.1\r\nHost: x\r\n\r\n',
      `POST /ksql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${ksql.length}\r\n\r\n${ksql.slice(0, 5)}`,
      ksql.slice(5),
    ], count(3));
    const rs = responses(text);
    assert.equal(rs.length, 3);
    assert.match(rs[0]!, /KsqlServerInfo/);
    assert.match(rs[1]!, /isHealthy/);
    assert.match(rs[2]!, /"@type":"streams"/);
  });

  test('Connection: close is honoured', async () => {
    const { text, ended } = await exchange(t.port, ['GET /info HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'], () => false);
    assert.match(text, /^HTTP\/1\.1 200 OK\r\n/);
    assert.match(text, /\r\nConnection: close\r\n/);
    assert.ok(ended, 'the server closed the connection');
  });

  test('chunked bodies, Expect and HTTP/1.0 go to node:http, on the same connection', async () => {
    const ksql = JSON.stringify({ ksql: 'SHOW STREAMS;' });
    const chunked = `POST /ksql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${ksql.length.toString(16)}\r\n${ksql}\r\n0\r\n\r\n`;
    const { text } = await exchange(t.port, [chunked, 'GET /healthcheck HTTP/1.1\r\nHost: x\r\n\r\n'], count(2));
    const rs = responses(text);
    assert.match(rs[0]!, /^HTTP\/1\.1 200 OK[\s\S]*"@type":"streams"/);
    assert.match(rs[1]!, /isHealthy/);

    const expect = await exchange(t.port, [`POST /ksql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: ${ksql.length}\r\n\r\n`, ksql], (s) => s.includes('"@type":"streams"'));
    assert.match(expect.text, /^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 OK/);

    const old = await exchange(t.port, ['GET /info HTTP/1.0\r\n\r\n'], (s) => s.includes('KsqlServerInfo'));
    assert.match(old.text, /^HTTP\/1\.1 200 OK/);
  });

  test('requests node:http refuses are refused as before, and the server goes on', async () => {
    const noHost = await exchange(t.port, ['GET /info HTTP/1.1\r\n\r\n'], (s) => s.includes('\r\n\r\n'));
    assert.match(noHost.text, /^HTTP\/1\.1 400 /);
    const garbage = await exchange(t.port, ['GET /info HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n'], (s) => s.includes('\r\n\r\n'));
    assert.match(garbage.text, /^HTTP\/1\.1 400 /);
    const lf = await exchange(t.port, ['GET /info HTTP/1.1\nHost: x\n\n'], () => false);
    assert.ok(lf.ended);
    const ok = await exchange(t.port, ['GET /info HTTP/1.1\r\nHost: x\r\n\r\n'], (s) => s.includes('KsqlServerInfo'));
    assert.match(ok.text, /^HTTP\/1\.1 200 OK/);
  });
});
