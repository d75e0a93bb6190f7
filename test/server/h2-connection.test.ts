// Riffle's HTTP/2 connection handler (src/server/h2/) on real sockets, driven frame by frame by a
// raw client: flow control in both directions, the stream limit, malformed requests, connection
// errors, resets (including a rapid-reset flood), and what happens to the other connections. The
// handler echoes what it read, like a route that reads the whole body.

import assert from 'node:assert/strict';
import http2 from 'node:http2';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { OutputBuffer } from '../../src/server/h2/frames.ts';
import { HpackDecoder } from '../../src/server/h2/hpack.ts';
import { createDualProtocolServer, type DualProtocolServer } from '../../src/server/http-listener.ts';
import { closeDual, listenLocally } from './helpers.ts';

interface Frame { type: number; flags: number; stream: number; payload: Buffer }

const DATA = 0, HEADERS = 1, RST_STREAM = 3, SETTINGS = 4, PING = 6, GOAWAY = 7, WINDOW_UPDATE = 8;

function frame(type: number, flags: number, stream: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  const out = new OutputBuffer();
  out.frame(type, flags, stream, payload);
  return Buffer.from(out.take());
}

function setting(id: number, value: number): Buffer {
  const b = Buffer.alloc(6);
  b.writeUInt16BE(id, 0);
  b.writeUInt32BE(value, 2);
  return b;
}

function uint32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(v);
  return b;
}

/** A request head as HPACK literals without indexing (no table state needed). */
function requestBlock(method: string, path: string, extra: [string, string][] = []): Buffer {
  const lit = (name: string, value: string) => Buffer.concat([Buffer.from([0x00, name.length]), Buffer.from(name), Buffer.from([value.length]), Buffer.from(value)]);
  return Buffer.concat([lit(':method', method), lit(':scheme', 'http'), lit(':path', path), lit(':authority', 'localhost'), ...extra.map(([n, v]) => lit(n, v))]);
}

class RawClient {
  readonly socket: net.Socket;
  readonly frames: Frame[] = [];
  #buf = Buffer.alloc(0);
  #waiters: (() => void)[] = [];
  closed = false;

  constructor(port: number, settings: Buffer[] = []) {
    this.socket = net.connect(port, '127.0.0.1');
    this.socket.write(Buffer.concat([Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'), frame(SETTINGS, 0, 0, Buffer.concat(settings))]));
    this.socket.on('data', (c: Buffer) => {
      this.#buf = Buffer.concat([this.#buf, c]);
      while (this.#buf.length >= 9) {
        const len = this.#buf.readUIntBE(0, 3);
        if (this.#buf.length < 9 + len) break;
        const f = { type: this.#buf[3]!, flags: this.#buf[4]!, stream: this.#buf.readUInt32BE(5) & 0x7fffffff, payload: this.#buf.subarray(9, 9 + len) };
        this.#buf = this.#buf.subarray(9 + len);
        if (f.type === SETTINGS && !(f.flags & 1)) this.socket.write(frame(SETTINGS, 1, 0));
        this.frames.push(f);
      }
      this.#wake();
    });
    this.socket.on('close', () => {
      this.closed = true;
      this.#wake();
    });
    this.socket.on('error', () => {});
  }

  #wake(): void {
    for (const w of this.#waiters.splice(0)) w();
  }

  send(...frames: Buffer[]): void {
    this.socket.write(Buffer.concat(frames));
  }

  /** Waits for a frame `match` accepts (or the socket to close, then undefined). */
  async next(match: (f: Frame) => boolean, timeoutMs = 5000): Promise<Frame | undefined> {
    const deadline = Date.now() + timeoutMs;
    let seen = 0;
    for (;;) {
      for (; seen < this.frames.length; seen++) if (match(this.frames[seen]!)) return this.frames[seen];
      if (this.closed) return undefined;
      if (Date.now() > deadline) throw new Error(`no matching frame; got ${JSON.stringify(this.frames.map((f) => [f.type, f.flags, f.stream]))}`);
      await new Promise<void>((r) => {
        this.#waiters.push(r);
        setTimeout(r, 50);
      });
    }
  }

  /** The body of stream `id`'s response, once it ended. */
  async body(id: number): Promise<string> {
    await this.next((f) => f.stream === id && (f.type === DATA || f.type === HEADERS) && (f.flags & 1) === 1);
    return Buffer.concat(this.frames.filter((f) => f.stream === id && f.type === DATA).map((f) => f.payload)).toString();
  }

  close(): void {
    this.socket.destroy();
  }
}

describe('HTTP/2 connection handler', () => {
  let dual: DualProtocolServer;
  let port: number;
  before(async () => {
    dual = createDualProtocolServer(() => assert.fail('HTTP/1.1 not expected'), (_r, s) => s.destroy(), (stream) => {
      if (stream.path === '/hold') return; // never reads, never answers
      const whole = stream.completeBody();
      const answer = (body: Buffer) => {
        if (stream.path === '/big') return stream.respondWith(200, 'text/plain', 'x'.repeat(Number(body.toString())));
        if (stream.path === '/stream') {
          stream.writeHead(200, { 'content-type': 'text/plain' });
          stream.write('one ');
          stream.write('two ');
          return stream.end('three');
        }
        stream.respondWith(200, 'text/plain', `${stream.method} ${stream.path} ${body.length}`);
      };
      if (whole) return answer(whole);
      const chunks: Buffer[] = [];
      stream.body.on('data', (c: Buffer) => chunks.push(c));
      stream.body.on('end', () => answer(Buffer.concat(chunks)));
    }, (err) => assert.fail(String(err)));
    port = await listenLocally(dual);
  });
  after(() => closeDual(dual));

  test('requests sent together are each answered on their own stream', async () => {
    const c = new RawClient(port);
    c.send(...[1, 3, 5].map((id) => Buffer.concat([frame(HEADERS, 4, id, requestBlock('POST', `/s${id}`)), frame(DATA, 1, id, Buffer.from('abc'))])));
    assert.deepEqual(await Promise.all([1, 3, 5].map((id) => c.body(id))), ['POST /s1 3', 'POST /s3 3', 'POST /s5 3']);
    const head = c.frames.find((f) => f.type === HEADERS && f.stream === 1)!;
    const fields: string[] = [];
    new HpackDecoder().decode(head.payload, (n, v) => fields.push(`${n}: ${v}`));
    assert.deepEqual(fields.slice(0, 2), [':status: 200', 'content-type: text/plain']);
    assert.match(fields[2]!, /^date: \w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    c.close();
  });

  test('a response larger than the client window waits for WINDOW_UPDATE, and the window may go negative', async () => {
    // RFC 9113 6.9.2: the client shrinks its initial window after the response started.
    const c = new RawClient(port, [setting(0x4, 3)]);
    await c.next((f) => f.type === SETTINGS && (f.flags & 1) === 1);
    c.send(frame(HEADERS, 4, 1, requestBlock('POST', '/big')), frame(DATA, 1, 1, Buffer.from('10')));
    await c.next((f) => f.type === DATA && f.stream === 1);
    c.send(frame(SETTINGS, 0, 0, setting(0x4, 1)));
    // Window now 1 - 3 = -2: an update of 3 allows one byte.
    c.send(frame(WINDOW_UPDATE, 0, 1, uint32(3)));
    await new Promise((r) => setTimeout(r, 100));
    const sent = () => c.frames.filter((f) => f.type === DATA && f.stream === 1).reduce((n, f) => n + f.payload.length, 0);
    assert.equal(sent(), 4);
    c.send(frame(WINDOW_UPDATE, 0, 1, uint32(100)));
    assert.equal(await c.body(1), 'x'.repeat(10));
    c.close();
  });

  test('a request body larger than the initial windows is credited back as it is read', async () => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    const body = Buffer.alloc(5 * 1024 * 1024, 0x62);
    const text = await new Promise<string>((resolve, reject) => {
      const s = session.request({ ':method': 'POST', ':path': '/upload' });
      let t = '';
      s.on('data', (d: Buffer) => (t += d.toString()));
      s.on('end', () => resolve(t));
      s.on('error', reject);
      s.end(body);
    });
    assert.equal(text, `POST /upload ${body.length}`);
    session.close();
  });

  test('several writes become several DATA frames, the last one ending the stream', async () => {
    const c = new RawClient(port);
    c.send(frame(HEADERS, 5, 1, requestBlock('GET', '/stream')));
    assert.equal(await c.body(1), 'one two three');
    assert.deepEqual(c.frames.filter((f) => f.type === DATA).map((f) => [f.payload.toString(), f.flags]), [['one ', 0], ['two ', 0], ['three', 1]]);
    c.close();
  });

  test('malformed requests are reset; the connection goes on', async () => {
    const c = new RawClient(port);
    c.send(frame(HEADERS, 5, 1, requestBlock('GET', '/x', [['Upper', 'x']])));
    c.send(frame(HEADERS, 5, 3, requestBlock('GET', '/x', [['connection', 'close']])));
    c.send(frame(HEADERS, 4, 5, requestBlock('POST', '/x', [['content-length', '1']])), frame(DATA, 1, 5, Buffer.from('toolong')));
    for (const id of [1, 3, 5]) {
      const rst = await c.next((f) => f.type === RST_STREAM && f.stream === id);
      assert.equal(rst!.payload.readUInt32BE(0), 0x1, `stream ${id}: PROTOCOL_ERROR`);
    }
    c.send(frame(HEADERS, 5, 7, requestBlock('GET', '/fine')));
    assert.equal(await c.body(7), 'GET /fine 0');
    c.close();
  });

  test('PING is answered with the same payload', async () => {
    const c = new RawClient(port);
    c.send(frame(PING, 0, 0, Buffer.from('12345678')));
    const pong = await c.next((f) => f.type === PING);
    assert.equal(pong!.flags, 1);
    assert.equal(pong!.payload.toString(), '12345678');
    c.close();
  });

  test('streams past the advertised limit are refused', async () => {
    // A zero window keeps every response open, so the streams stay active.
    const c = new RawClient(port, [setting(0x4, 0)]);
    const settings = await c.next((f) => f.type === SETTINGS && (f.flags & 1) === 0);
    let limit = 0;
    for (let at = 0; at < settings!.payload.length; at += 6) if (settings!.payload.readUInt16BE(at) === 0x3) limit = settings!.payload.readUInt32BE(at + 2);
    assert.ok(limit > 0, 'SETTINGS_MAX_CONCURRENT_STREAMS advertised');
    const frames: Buffer[] = [];
    for (let i = 0; i <= limit; i++) frames.push(frame(HEADERS, 5, 1 + 2 * i, requestBlock('GET', '/x')));
    c.send(...frames);
    const rst = await c.next((f) => f.type === RST_STREAM);
    assert.equal(rst!.stream, 1 + 2 * limit);
    assert.equal(rst!.payload.readUInt32BE(0), 0x7, 'REFUSED_STREAM');
    c.close();
  });

  test('a broken header block ends that connection with GOAWAY, not the others', async () => {
    const healthy = http2.connect(`http://127.0.0.1:${port}`);
    const c = new RawClient(port);
    c.send(frame(HEADERS, 5, 1, Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff])));
    const away = await c.next((f) => f.type === GOAWAY);
    assert.equal(away!.payload.readUInt32BE(4), 0x9, 'COMPRESSION_ERROR');
    assert.equal(await c.next(() => false).catch(() => 'open'), undefined, 'socket closed');
    const text = await new Promise<string>((resolve) => {
      const s = healthy.request({ ':method': 'GET', ':path': '/still' });
      let t = '';
      s.on('data', (d: Buffer) => (t += d.toString()));
      s.on('end', () => resolve(t));
      s.end();
    });
    assert.equal(text, 'GET /still 0');
    healthy.close();
  });

  test('a flood of stream resets (rapid reset) ends the connection with ENHANCE_YOUR_CALM', async () => {
    const c = new RawClient(port, [setting(0x4, 0)]);
    const frames: Buffer[] = [];
    for (let i = 0; i < 1500; i++) {
      const id = 1 + 2 * i;
      frames.push(frame(HEADERS, 4, id, requestBlock('POST', '/x')), frame(RST_STREAM, 0, id, uint32(0x8)));
    }
    c.send(...frames);
    const away = await c.next((f) => f.type === GOAWAY);
    assert.equal(away!.payload.readUInt32BE(4), 0xb);
    c.close();
  });

  test('body bytes nobody reads count against the connection window: a client cannot make the server hold more', async () => {
    const c = new RawClient(port);
    const settings = await c.next((f) => f.type === SETTINGS && (f.flags & 1) === 0);
    let streamWindow = 65535;
    for (let at = 0; at < settings!.payload.length; at += 6) if (settings!.payload.readUInt16BE(at) === 0x4) streamWindow = settings!.payload.readUInt32BE(at + 2);
    const connectionWindow = 65535 + c.frames.filter((f) => f.type === WINDOW_UPDATE && f.stream === 0).reduce((n, f) => n + f.payload.readUInt32BE(0), 0);
    // Fill whole stream windows on held streams until past the connection window.
    const streams = Math.ceil(connectionWindow / streamWindow) + 1;
    const chunk = Buffer.alloc(16384);
    for (let i = 0; i < streams; i++) {
      const id = 1 + 2 * i;
      const frames = [frame(HEADERS, 4, id, requestBlock('POST', '/hold'))];
      for (let sent = 0; sent + chunk.length <= streamWindow; sent += chunk.length) frames.push(frame(DATA, 0, id, chunk));
      c.send(...frames);
    }
    const away = await c.next((f) => f.type === GOAWAY, 15000);
    assert.equal(away!.payload.readUInt32BE(4), 0x3, 'FLOW_CONTROL_ERROR');
    assert.equal(c.frames.filter((f) => f.type === WINDOW_UPDATE && f.stream === 0).length, 1, 'no connection credit for unread bytes');
    c.close();
  });

  test('a header block past 256 KB (CONTINUATION flood) ends the connection; a header list past 64 KB resets its stream', async () => {
    const CONTINUATION = 0x9;
    const flood = new RawClient(port);
    const frames = [frame(HEADERS, 0, 1, requestBlock('GET', '/x'))];
    for (let i = 0; i < 20; i++) frames.push(frame(CONTINUATION, 0, 1, Buffer.alloc(16000, 0x82)));
    flood.send(...frames);
    const away = await flood.next((f) => f.type === GOAWAY);
    assert.equal(away!.payload.readUInt32BE(4), 0xb, 'ENHANCE_YOUR_CALM');
    flood.close();

    // One 70,000-byte field: a literal with a 7-bit-prefix length (127 + varint of the rest).
    const big = new RawClient(port);
    const value = Buffer.alloc(70_000, 0x61);
    const length = [0x7f];
    for (let rest = value.length - 127; ; rest >>= 7) {
      if (rest < 0x80) {
        length.push(rest);
        break;
      }
      length.push((rest & 0x7f) | 0x80);
    }
    const field = Buffer.concat([Buffer.from([0x00, 0x01, 0x78, ...length]), value]);
    const block = Buffer.concat([requestBlock('GET', '/x'), field]);
    const parts = [frame(HEADERS, 1, 1, block.subarray(0, 16000))];
    for (let at = 16000; at < block.length; at += 16000) parts.push(frame(0x9, at + 16000 >= block.length ? 4 : 0, 1, block.subarray(at, at + 16000)));
    big.send(...parts, frame(HEADERS, 5, 3, requestBlock('GET', '/small')));
    const rst = await big.next((f) => f.type === RST_STREAM && f.stream === 1);
    assert.equal(rst!.payload.readUInt32BE(0), 0x1, 'PROTOCOL_ERROR');
    assert.equal(await big.body(3), 'GET /small 0');
    big.close();
  });

  test('frames on stream 0 or larger than allowed are connection errors', async () => {
    for (const [bad, code] of [[frame(DATA, 0, 0, Buffer.from('x')), 0x1], [frame(HEADERS, 4, 1, Buffer.alloc(20000)), 0x6]] as const) {
      const c = new RawClient(port);
      c.send(bad);
      const away = await c.next((f) => f.type === GOAWAY);
      assert.equal(away!.payload.readUInt32BE(4), code);
      c.close();
    }
  });
});
