// The dual-protocol listener on real sockets: HTTP/1.1 and h2c prior knowledge on one port, prefaces
// split across packets, pipelining, large bodies, garbage. An echo handler stands in for the routes.

import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createDualProtocolServer, type DualProtocolServer } from '../../src/server/http-listener.ts';
import { closeDual, listenLocally, request1, request2 } from './helpers.ts';

describe('dual-protocol listener', () => {
  let dual: DualProtocolServer;
  let port: number;
  before(async () => {
    dual = createDualProtocolServer((req, res) => {
      let size = 0;
      req.on('data', (c: Buffer) => (size += c.length));
      req.on('end', () => {
        (res as http.ServerResponse).writeHead(200, { 'content-type': 'text/plain' });
        res.end(`${req.httpVersion} ${req.method} ${req.url} ${size}`);
      });
    }, (_req, socket) => socket.destroy(), (stream) => {
      const answer = (size: number) => stream.respondWith(200, 'text/plain', `2.0 ${stream.method} ${stream.path} ${size}`);
      const whole = stream.completeBody();
      if (whole) return answer(whole.length);
      let size = 0;
      stream.body.on('data', (c: Buffer) => (size += c.length));
      stream.body.on('end', () => answer(size));
    }, (err) => assert.fail(String(err)));
    port = await listenLocally(dual);
  });
  after(() => closeDual(dual));

  test('HTTP/1.1 and HTTP/2 share the port', async () => {
    assert.equal((await request1(port, '/a', { method: 'POST', body: 'hello' })).body, '1.1 POST /a 5');
    assert.equal((await request2(port, '/b', { method: 'POST', body: 'hello!' })).body, '2.0 POST /b 6');
  });

  test('large bodies over both protocols', async () => {
    const body = Buffer.alloc(3 * 1024 * 1024, 0x61);
    assert.equal((await request1(port, '/big', { method: 'POST', body })).body, `1.1 POST /big ${body.length}`);
    assert.equal((await request2(port, '/big', { method: 'POST', body })).body, `2.0 POST /big ${body.length}`);
  });

  test('the HTTP/2 preface split across packets is still recognised', async () => {
    const sock = net.connect(port, '127.0.0.1');
    await new Promise((r) => sock.once('connect', r));
    const received = new Promise<Buffer>((r) => sock.once('data', r));
    sock.write('PRI * HTTP/2');
    await new Promise((r) => setTimeout(r, 30));
    sock.write('.0\r\n\r\nSM\r\n\r\n');
    // Client SETTINGS frame (empty): length 0, type 4, flags 0, stream 0.
    sock.write(Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0]));
    const first = await received;
    assert.equal(first[3], 0x04, 'server answers with a SETTINGS frame');
    sock.destroy();
  });

  test('an HTTP/1.1 request arriving byte by byte, and pipelined requests', async () => {
    const sock = net.connect(port, '127.0.0.1');
    await new Promise((r) => sock.once('connect', r));
    let text = '';
    sock.on('data', (c: Buffer) => (text += c.toString()));
    const req = 'GET /one HTTP/1.1\r\nHost: x\r\n\r\nGET /two HTTP/1.1\r\nHost: x\r\n\r\n';
    sock.write(req.slice(0, 1));
    await new Promise((r) => setTimeout(r, 30));
    sock.write(req.slice(1));
    const deadline = Date.now() + 5000;
    while (!text.includes('1.1 GET /two 0') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.match(text, /1\.1 GET \/one 0[\s\S]*1\.1 GET \/two 0/);
    sock.destroy();
  });

  test('garbage gets a 400 and does not hurt the server', async () => {
    const sock = net.connect(port, '127.0.0.1');
    await new Promise((r) => sock.once('connect', r));
    const reply = new Promise<string>((r) => {
      let t = '';
      sock.on('data', (c: Buffer) => (t += c.toString()));
      sock.on('close', () => r(t));
    });
    sock.write('\x00\x01\x02 not http at all\r\n\r\n');
    assert.match(await reply, /^HTTP\/1\.1 400/);
    assert.equal((await request1(port, '/after')).status, 200);
  });
});
