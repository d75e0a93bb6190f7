// One TCP port for HTTP/1.1 and HTTP/2 cleartext with prior knowledge: each new connection's first
// bytes are compared with the HTTP/2 client preface, then the socket is served by Riffle's HTTP/2
// connection handler (src/server/h2/) or its HTTP/1.1 one (node:http for the cases that one hands
// over). Knows nothing about routes; requests from both protocols reach the same handler.

import http from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { H2Connection } from './h2/h2-connection.ts';
import type { H2Stream } from './h2/h2-stream.ts';
import { type Http1Connection, type Http1Request, type Http1Response, serveHttp1 } from './http1-connection.ts';

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

export type RequestListener = (req: http.IncomingMessage, res: http.ServerResponse) => void;
export type UpgradeListener = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => void;

export interface DualProtocolServer {
  readonly net: net.Server;
  readonly http1: http.Server;
  /** Closes idle keep-alive connections of either HTTP/1.1 server (shutdown). */
  closeIdleConnections(): void;
  /** Every open connection (either protocol), for shutdown. */
  readonly sockets: ReadonlySet<net.Socket>;
  /** HTTP/2 connections, so shutdown can send GOAWAY instead of cutting streams. */
  readonly sessions: ReadonlySet<H2Connection>;
}

/** HTTP/2 requests, one stream each. */
export type StreamListener = (stream: H2Stream) => void;

/** HTTP/1.1 requests served by src/server/http1-connection.ts. */
export type Http1Listener = (req: Http1Request, res: Http1Response) => void;

/**
 * `onStream` receives HTTP/2 requests; `onHttp1`, when given, receives the HTTP/1.1 requests
 * Riffle's own connection handler serves (the others reach `onRequest` through node:http).
 * `onInternalError` hears of defects in the HTTP/2 handler (the connection ends, not the server).
 */
export function createDualProtocolServer(onRequest: RequestListener, onUpgrade: UpgradeListener, onStream: StreamListener,
  onInternalError: (err: unknown) => void, onHttp1?: Http1Listener): DualProtocolServer {
  const http1 = http.createServer({ keepAlive: true }, onRequest);
  // Streaming responses (push queries) can be idle for a long time; no request/headers timeouts.
  http1.requestTimeout = 0;
  http1.headersTimeout = 0;
  http1.timeout = 0;
  http1.on('upgrade', onUpgrade);
  http1.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (socket.writable && err.code !== 'ECONNRESET') socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  const sessions = new Set<H2Connection>();
  const http2Connection = (socket: net.Socket) => {
    const c = new H2Connection(socket, onStream, onInternalError);
    sessions.add(c);
    c.onClose(() => sessions.delete(c));
    socket.resume();
  };

  const sockets = new Set<net.Socket>();
  const fast = new Set<Http1Connection>();
  const http1Connection = (socket: net.Socket) => {
    if (!onHttp1) return http1.emit('connection', socket);
    const c = serveHttp1(socket, onHttp1, (s) => {
      fast.delete(c);
      http1.emit('connection', s);
    });
    fast.add(c);
    socket.once('close', () => fast.delete(c));
  };
  // The sniffing server accepts the sockets, so Node's http default noDelay never applies:
  // without it a response written in pieces waits on Nagle + delayed ACK (~40 ms).
  const server = net.createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    sniff(socket, (isHttp2) => (isHttp2 ? http2Connection(socket) : http1Connection(socket)));
  });
  const closeIdleConnections = () => {
    http1.closeIdleConnections();
    for (const c of fast) c.closeIfIdle();
  };
  return { net: server, http1, sockets, sessions, closeIdleConnections };
}

/** Reads until the bytes either diverge from the preface or match all 24 of it, then puts them back. */
function sniff(socket: net.Socket, dispatch: (isHttp2: boolean) => void): void {
  let seen: Buffer = Buffer.alloc(0);
  const onError = () => socket.destroy();
  const onData = (chunk: Buffer) => {
    seen = seen.length === 0 ? chunk : Buffer.concat([seen, chunk]);
    const n = Math.min(seen.length, PREFACE.length);
    const isPrefix = seen.subarray(0, n).equals(PREFACE.subarray(0, n));
    if (isPrefix && seen.length < PREFACE.length) return;
    socket.removeListener('data', onData);
    socket.removeListener('error', onError);
    socket.pause();
    socket.unshift(seen);
    dispatch(isPrefix);
    if (!isPrefix) socket.resume();
  };
  socket.on('data', onData);
  socket.on('error', onError);
}
