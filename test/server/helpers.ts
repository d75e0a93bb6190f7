// Test harness for the server: starts a real server (real engine, temp data dir, port 0) in-process
// and talks to it over real sockets with node:http (a plain agent) and node:http2 (prior knowledge).

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load-config.ts';
import type { EngineApi } from '../../src/engine/engine-api.ts';
import { openEngine } from '../../src/engine/engine.ts';
import type { DualProtocolServer } from '../../src/server/http-listener.ts';
import { startServer, type RiffleServer } from '../../src/server/server.ts';

export interface TestServer {
  readonly port: number;
  readonly server: RiffleServer;
  readonly engine: EngineApi;
  readonly dataDir: string;
  close(): Promise<void>;
}

export async function startTestServer(settings: Record<string, string> = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'riffle-server-test-'));
  const argv = ['--data-dir', dataDir, '--set', 'listeners=http://127.0.0.1:0'];
  for (const [k, v] of Object.entries(settings)) argv.push('--set', `${k}=${v}`);
  const config = loadConfig({ argv, env: {}, readFile: (p) => readFileSync(p, 'utf8'), cwd: process.cwd() });
  const engine = await openEngine({ dataDir, scheduling: 'background', properties: config.properties() });
  const server = await startServer(engine, config);
  return {
    port: server.port,
    server,
    engine,
    dataDir,
    async close() {
      await server.close();
      await engine.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
  /** Body as received: one entry per `data` event (HTTP/2: per DATA frame). */
  readonly chunks: readonly string[];
}

export interface RequestOptions {
  readonly method?: 'GET' | 'POST';
  readonly body?: string | Buffer;
  readonly headers?: Record<string, string>;
}

export type Protocol = 'http1' | 'http2';
export const PROTOCOLS: readonly Protocol[] = ['http1', 'http2'];

export function request(protocol: Protocol, port: number, path: string, opts: RequestOptions = {}): Promise<Reply> {
  return protocol === 'http1' ? request1(port, path, opts) : request2(port, path, opts);
}

export function postJson(protocol: Protocol, port: number, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  return request(protocol, port, path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });
}

export function request1(port: number, path: string, opts: RequestOptions = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: opts.headers ?? {}, agent: new http.Agent({ keepAlive: false }) },
      (res) => {
        const chunks: string[] = [];
        res.setEncoding('utf8');
        res.on('data', (c: string) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: chunks.join(''), chunks }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

export async function request2(port: number, path: string, opts: RequestOptions = {}): Promise<Reply> {
  const session = http2.connect(`http://127.0.0.1:${port}`);
  try {
    return await new Promise<Reply>((resolve, reject) => {
      session.on('error', reject);
      const stream = session.request({ ':method': opts.method ?? 'GET', ':path': path, ...(opts.headers ?? {}) });
      let status = 0;
      let headers: Record<string, string | string[] | undefined> = {};
      const chunks: string[] = [];
      stream.setEncoding('utf8');
      stream.on('response', (h) => {
        status = Number(h[':status']);
        headers = h as typeof headers;
      });
      stream.on('data', (c: string) => chunks.push(c));
      stream.on('end', () => resolve({ status, headers, body: chunks.join(''), chunks }));
      stream.on('error', reject);
      stream.end(opts.body);
    });
  } finally {
    session.close();
  }
}

/** A response being read incrementally (push queries): wait for data, then close from the client side. */
export interface OpenStream {
  readonly status: Promise<number>;
  readonly headers: Promise<Record<string, string | string[] | undefined>>;
  readonly chunks: string[];
  readonly ended: Promise<void>;
  /** Resolves once the concatenated body satisfies `pred` (rejects after timeoutMs). */
  waitFor(pred: (body: string) => boolean, timeoutMs?: number): Promise<string>;
  text(): string;
  pause(): void;
  resume(): void;
  /** Client-side abort (connection or stream reset). */
  destroy(): void;
  /** HTTP/2 only: write more of the request body. */
  write(data: string): void;
  end(data?: string): void;
}

export function openStream(protocol: Protocol, port: number, path: string, opts: RequestOptions & { keepRequestOpen?: boolean } = {}): OpenStream {
  const chunks: string[] = [];
  const waiters: (() => void)[] = [];
  const notify = () => {
    for (const w of waiters.splice(0)) w();
  };
  let resolveStatus!: (n: number) => void;
  let resolveHeaders!: (h: Record<string, string | string[] | undefined>) => void;
  let resolveEnded!: () => void;
  const status = new Promise<number>((r) => (resolveStatus = r));
  const headers = new Promise<Record<string, string | string[] | undefined>>((r) => (resolveHeaders = r));
  const ended = new Promise<void>((r) => (resolveEnded = r));
  let ctl: { pause(): void; resume(): void; destroy(): void; write(d: string): void; end(d?: string): void };

  const onData = (c: string) => {
    chunks.push(c);
    notify();
  };
  const onEnd = () => {
    resolveEnded();
    notify();
  };
  if (protocol === 'http1') {
    const req = http.request({ host: '127.0.0.1', port, path, method: opts.method ?? 'POST', headers: opts.headers ?? {}, agent: new http.Agent({ keepAlive: false }) }, (res) => {
      resolveStatus(res.statusCode ?? 0);
      resolveHeaders(res.headers);
      res.setEncoding('utf8');
      res.on('data', onData);
      res.on('end', onEnd);
      res.on('close', onEnd);
      ctl.pause = () => res.pause();
      ctl.resume = () => res.resume();
    });
    req.on('error', onEnd);
    ctl = { pause: () => {}, resume: () => {}, destroy: () => req.destroy(), write: (d) => req.write(d), end: (d) => req.end(d) };
    if (!opts.keepRequestOpen) req.end(opts.body);
    else if (opts.body !== undefined) req.write(opts.body);
  } else {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    session.on('error', () => {});
    const stream = session.request({ ':method': opts.method ?? 'POST', ':path': path, ...(opts.headers ?? {}) });
    stream.setEncoding('utf8');
    stream.on('response', (h) => {
      resolveStatus(Number(h[':status']));
      resolveHeaders(h as Record<string, string | string[] | undefined>);
    });
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('close', () => {
      onEnd();
      session.close();
    });
    stream.on('error', onEnd);
    ctl = {
      pause: () => stream.pause(),
      resume: () => stream.resume(),
      destroy: () => {
        stream.close(http2.constants.NGHTTP2_CANCEL);
        session.destroy();
      },
      write: (d) => stream.write(d),
      end: (d) => stream.end(d),
    };
    if (!opts.keepRequestOpen) stream.end(opts.body);
    else if (opts.body !== undefined) stream.write(opts.body);
  }
  const text = () => chunks.join('');
  return {
    status,
    headers,
    chunks,
    ended,
    text,
    async waitFor(pred, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pred(text())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting; body so far: ${text().slice(0, 2000)}`);
        await Promise.race([new Promise<void>((r) => waiters.push(r)), new Promise((r) => setTimeout(r, 50)), ended]);
      }
      return text();
    },
    pause: () => ctl.pause(),
    resume: () => ctl.resume(),
    destroy: () => ctl.destroy(),
    write: (d) => ctl.write(d),
    end: (d) => ctl.end(d),
  };
}

/** Polls until `check` is true (engine work is asynchronous in background scheduling). */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

export function lines(body: string): string[] {
  return body.split('\n').filter((l) => l !== '');
}

/** Listens on a free local port; resolves with it. */
export async function listenLocally(dual: DualProtocolServer): Promise<number> {
  await new Promise<void>((r) => dual.net.listen(0, '127.0.0.1', r));
  return (dual.net.address() as AddressInfo).port;
}

/** Drops every connection and stops listening. */
export async function closeDual(dual: DualProtocolServer): Promise<void> {
  for (const s of dual.sockets) s.destroy();
  await new Promise((r) => dual.net.close(r));
}
