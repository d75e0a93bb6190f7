// Load generator child of the pull benchmark: keeps `concurrency` pull queries by random key in
// flight against one server for a fixed time, over HTTP/1.1 (keep-alive agent) or HTTP/2 (one
// session, many streams), and prints {count, errors, seconds, p50_ms, p99_ms} as JSON on stdout.
import http from 'node:http';
import http2 from 'node:http2';
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

function http1Sender(): { send: Send; close: () => void } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const send: Send = (body, done) => {
    const req = http.request({
      host: '127.0.0.1', port, method: 'POST', path: '/query-stream', agent,
      headers: { 'content-type': 'application/json', accept: 'application/json', 'content-length': Buffer.byteLength(body) },
    }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => done(res.statusCode === 200));
    });
    req.on('error', () => done(false));
    req.end(body);
  };
  return { send, close: () => agent.destroy() };
}

function http2Sender(): { send: Send; close: () => void } {
  const session = http2.connect(`http://127.0.0.1:${port}`);
  session.on('error', () => undefined);
  const send: Send = (body, done) => {
    const stream = session.request({ ':method': 'POST', ':path': '/query-stream', 'content-type': 'application/json', accept: 'application/json' });
    let status = 0;
    stream.on('response', (h) => { status = Number(h[':status']); });
    stream.on('data', () => undefined);
    stream.on('end', () => done(status === 200));
    stream.on('error', () => done(false));
    stream.end(body);
  };
  return { send, close: () => session.close() };
}

const sender = values.protocol === 'http2' ? http2Sender() : http1Sender();
const start = performance.now();
const measureFrom = start + warmupMs;
const stopAt = measureFrom + runMs;
const latencies: number[] = [];
let errors = 0;
let inFlight = 0;

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
process.stdout.write(JSON.stringify({ count: latencies.length, errors, seconds: runMs / 1000, p50_ms: pct(0.5), p99_ms: pct(0.99) }) + '\n');
