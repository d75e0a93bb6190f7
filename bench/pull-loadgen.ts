// Load generator child of the pull benchmark: keeps `concurrency` pull queries by random key in
// flight against one server for a fixed time, over HTTP/1.1 (keep-alive connections) or HTTP/2
// (one session, many streams), and prints {count, errors, seconds, p50_ms, p99_ms} as JSON on stdout.
import net from 'node:net';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    port: { type: 'string' }, protocol: { type: 'string', default: 'http1' },
    seconds: { type: 'string', default: '5' }, warmup: { type: 'string', default: '1' },
    concurrency: { type: 'string', default: '32' }, keys: { type: 'string', default: '100000' },
    table: { type: 'string', default: 'USERS_Q' },
  },
});
const port = Number(values.port);
const concurrency = Number(values.concurrency);
const keys = Number(values.keys);
const warmupMs = Number(values.warmup) * 1000;
const runMs = Number(values.seconds) * 1000;
const bodyFor = (): string => JSON.stringify({ sql: `SELECT * FROM ${values.table} WHERE ID = ${Math.floor(Math.random() * keys)};`, properties: {} });

type Send = (body: string, done: (ok: boolean) => void) => void;

/**
 * HTTP/1.1 over raw keep-alive sockets, one request in flight per connection (what a keep-alive
 * agent with `concurrency` sockets does), with a minimal response parser: node:http's client
 * costs several times the server's work per request, and this process shares the cores with the
 * server under test.
 */
function http1Sender(): { send: Send; close: () => void } {
  const head = `POST /query-stream HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\ncontent-type: application/json\r\naccept: application/json\r\ncontent-length: `;
  const idle: Connection[] = [];
  const all: Connection[] = [];
  const send: Send = (body, done) => {
    const c = idle.pop() ?? connect();
    c.done = done;
    c.socket.write(`${head}${Buffer.byteLength(body)}\r\n\r\n${body}`);
  };
  interface Connection { socket: net.Socket; buf: Buffer; done: ((ok: boolean) => void) | undefined }
  const connect = (): Connection => {
    const c: Connection = { socket: net.connect(port, '127.0.0.1'), buf: Buffer.alloc(0), done: undefined };
    c.socket.setNoDelay(true);
    all.push(c);
    const fail = () => {
      const d = c.done;
      c.done = undefined;
      d?.(false);
    };
    c.socket.on('data', (chunk: Buffer) => {
      c.buf = c.buf.length === 0 ? chunk : Buffer.concat([c.buf, chunk]);
      const r = completeResponse(c.buf);
      if (r === undefined) return;
      c.buf = c.buf.subarray(r.length);
      const d = c.done;
      c.done = undefined;
      idle.push(c);
      d?.(r.status === 200);
    });
    c.socket.on('error', fail);
    c.socket.on('close', () => {
      const i = idle.indexOf(c);
      if (i >= 0) idle.splice(i, 1);
      fail();
    });
    return c;
  };
  return { send, close: () => { for (const c of all) c.socket.destroy(); } };
}

const CRLF = Buffer.from('\r\n');
const HEADERS_END = Buffer.from('\r\n\r\n');

/** The status and byte length of the first complete response in `buf` (Content-Length or chunked), if complete. */
function completeResponse(buf: Buffer): { status: number; length: number } | undefined {
  const headEnd = buf.indexOf(HEADERS_END);
  if (headEnd < 0) return undefined;
  const head = buf.toString('latin1', 0, headEnd);
  const status = Number(head.slice(9, 12));
  let at = headEnd + 4;
  const cl = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  if (cl) {
    const end = at + Number(cl[1]);
    return end <= buf.length ? { status, length: end } : undefined;
  }
  if (!/\r\ntransfer-encoding:\s*chunked/i.test(head)) throw new Error(`response without length: ${head}`);
  while (true) {
    const lineEnd = buf.indexOf(CRLF, at);
    if (lineEnd < 0) return undefined;
    const size = parseInt(buf.toString('latin1', at, lineEnd), 16);
    const next = lineEnd + 2 + size + 2;
    if (next > buf.length) return undefined;
    if (size === 0) return { status, length: next };
    at = next;
  }
}

/**
 * HTTP/2 (h2c, prior knowledge) over one raw socket: many streams, hand-made frames. Requests use
 * HPACK literals (no dynamic table), so they can be written without an encoder; responses are
 * only framed, not decoded: a stream succeeded when its HEADERS begin with `:status: 200` (static
 * table index 8, how nghttp2 encodes it) and it ends. node:http2's client costs more CPU per
 * request than the bare server it measures.
 */
function http2Sender(): { send: Send; close: () => void } {
  const socket = net.connect({ port, host: '127.0.0.1', noDelay: true });
  const pending = new Map<number, { ok: boolean; done: (ok: boolean) => void }>();
  let nextId = 1;
  const frame = (type: number, flags: number, stream: number, payload: Buffer): Buffer => {
    const head = Buffer.alloc(9);
    head.writeUIntBE(payload.length, 0, 3);
    head[3] = type;
    head[4] = flags;
    head.writeUInt32BE(stream, 5);
    return Buffer.concat([head, payload]);
  };
  const literal = (index: number, value: string): Buffer => {
    // "Literal Header Field without Indexing — Indexed Name" (RFC 7541 6.2.2), 4-bit name prefix.
    const name = index < 15 ? Buffer.from([index]) : Buffer.from([0x0f, index - 15]);
    return Buffer.concat([name, Buffer.from([value.length]), Buffer.from(value, 'latin1')]);
  };
  // :method POST (3), :scheme http (6), :path, :authority, content-type, accept.
  const headerBlock = Buffer.concat([Buffer.from([0x83, 0x86]), literal(4, '/query-stream'), literal(1, `127.0.0.1:${port}`),
    literal(31, 'application/json'), literal(19, 'application/json')]);
  const settingsAck = frame(0x4, 0x1, 0, Buffer.alloc(0));
  const windowUpdate = Buffer.alloc(4);
  windowUpdate.writeUInt32BE(0x7fffffff - 65535);
  // Preface, empty SETTINGS, and a connection window large enough for the whole run.
  socket.write(Buffer.concat([Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1'), frame(0x4, 0, 0, Buffer.alloc(0)), frame(0x8, 0, 0, windowUpdate)]));
  let buf: Buffer = Buffer.alloc(0);
  const finish = (id: number, ok: boolean): void => {
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    p.done(ok && p.ok);
  };
  socket.on('data', (chunk: Buffer) => {
    buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
    let at = 0;
    while (buf.length - at >= 9) {
      const length = buf.readUIntBE(at, 3);
      if (buf.length - at < 9 + length) break;
      const type = buf[at + 3]!;
      const flags = buf[at + 4]!;
      const id = buf.readUInt32BE(at + 5) & 0x7fffffff;
      const payload = buf.subarray(at + 9, at + 9 + length);
      at += 9 + length;
      if (type === 0x1) { // HEADERS
        const p = pending.get(id);
        if (p) p.ok = payload[0] === 0x88;
        if (flags & 0x1) finish(id, true);
      } else if (type === 0x0) { // DATA
        if (flags & 0x1) finish(id, true);
      } else if (type === 0x3) { // RST_STREAM
        finish(id, false);
      } else if (type === 0x4 && !(flags & 0x1)) { // SETTINGS
        socket.write(settingsAck);
      } else if (type === 0x6 && !(flags & 0x1)) { // PING
        socket.write(frame(0x6, 0x1, 0, Buffer.from(payload)));
      } else if (type === 0x7) { // GOAWAY
        for (const key of [...pending.keys()]) finish(key, false);
      }
    }
    buf = at === buf.length ? Buffer.alloc(0) : buf.subarray(at);
  });
  const failAll = () => {
    for (const key of [...pending.keys()]) finish(key, false);
  };
  socket.on('error', failAll);
  socket.on('close', failAll);
  const send: Send = (body, done) => {
    const id = nextId;
    nextId += 2;
    pending.set(id, { ok: false, done });
    // HEADERS (END_HEADERS) then DATA (END_STREAM), in one write.
    socket.write(Buffer.concat([frame(0x1, 0x4, id, headerBlock), frame(0x0, 0x1, id, Buffer.from(body))]));
  };
  return { send, close: () => socket.destroy() };
}

const sender = values.protocol === 'http2' ? http2Sender() : http1Sender();
const start = performance.now();
const measureFrom = start + warmupMs;
const stopAt = measureFrom + runMs;
const latencies: number[] = [];
let errors = 0;
let inFlight = 0;
/** Every completed request, warm-up included (the parent divides server CPU time by it). */
let total = 0;

await new Promise<void>((resolve) => {
  const next = (): void => {
    const now = performance.now();
    if (now >= stopAt) {
      if (inFlight === 0) resolve();
      return;
    }
    inFlight++;
    const t0 = now;
    sender.send(bodyFor(), (ok) => {
      inFlight--;
      total++;
      const t1 = performance.now();
      if (t0 >= measureFrom && t1 <= stopAt) {
        if (ok) latencies.push(t1 - t0);
        else errors++;
      }
      next();
    });
  };
  for (let i = 0; i < concurrency; i++) next();
});
sender.close();
latencies.sort((a, b) => a - b);
const pct = (p: number): number => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
process.stdout.write(JSON.stringify({ count: latencies.length, total, errors, seconds: runMs / 1000, p50_ms: pct(0.5), p99_ms: pct(0.99) }) + '\n');
