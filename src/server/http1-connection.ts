// HTTP/1.1 served straight on the socket for the requests clients of this API send: a request line,
// plain headers and a Content-Length body of at most 64 KB. node:http costs about 35 µs of CPU per
// request on top of the socket calls (measured: a bare node:http server ~57 µs per request, this
// ~25 µs), more than a pull query by key itself. Anything else — chunked or oversized bodies,
// Expect, Upgrade (the WebSocket), HTTP/1.0, odd bytes — is not parsed here: the connection is
// handed to node:http with the bytes not yet served, and stays there. The parser is strict on
// purpose: whatever it does not recognise, node:http decides (and answers 400 when it must).

import diagnostics from 'node:diagnostics_channel';
import { EventEmitter } from 'node:events';
import { STATUS_CODES } from 'node:http';
import type net from 'node:net';
import type { RawResponse } from './response-output.ts';

/** Larger heads and bodies go to node:http. */
const MAX_HEAD_BYTES = 16 * 1024;
const MAX_BODY_BYTES = 64 * 1024;
/** Pipelined bytes buffered while a response is in progress before reading pauses. */
const MAX_PIPELINED_BYTES = 1024 * 1024;
// node:http's diagnostics channels, so tools that observe HTTP servers through them (tracing,
// metrics, the shell tests) see these requests too. Published only when someone subscribes.
const requestStart = diagnostics.channel('http.server.request.start');
const responseFinish = diagnostics.channel('http.server.response.finish');

/** node:http's keepAliveTimeout default: an idle connection is closed after it. */
export const KEEP_ALIVE_MS = 5000;

const HEAD_END = Buffer.from('\r\n\r\n');
const REQUEST_LINE = /^(GET|POST) (\/[\x21-\x7e]*) HTTP\/1\.1$/;
// Control characters (other than HTAB) in a value send the request to node:http, which refuses it.
// eslint-disable-next-line no-control-regex
const HEADER_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*([^\x00-\x08\x0a-\x1f\x7f]*?)[ \t]*$/;
/** Headers that change how the body or the connection is read: node:http handles them. */
const HAND_OVER_HEADERS = new Set(['transfer-encoding', 'upgrade', 'expect', 'http2-settings']);

export interface Http1Request {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

export interface Http1Connection {
  /** Closes the connection if no response is in progress (shutdown). */
  closeIfIdle(): void;
}

/**
 * Serves `socket` (its bytes may have been put back with unshift). `onRequest` answers each request
 * through the response it gets; `handOver` receives the socket, with the unserved bytes put back,
 * when a request needs node:http.
 */
export function serveHttp1(socket: net.Socket, onRequest: (req: Http1Request, res: Http1Response) => void,
  handOver: (socket: net.Socket) => void): Http1Connection {
  let buf: Buffer = Buffer.alloc(0);
  let current: Http1Response | undefined;
  let handedOver = false;

  const idle = () => {
    if (!handedOver && current === undefined && buf.length === 0) socket.setTimeout(KEEP_ALIVE_MS);
  };
  const onTimeout = () => {
    if (current === undefined) socket.destroy();
  };
  const giveAway = () => {
    handedOver = true;
    socket.removeListener('data', onData);
    socket.removeListener('timeout', onTimeout);
    socket.setTimeout(0);
    socket.pause();
    if (buf.length > 0) socket.unshift(buf);
    buf = Buffer.alloc(0);
    handOver(socket);
    socket.resume();
  };
  const next = (): void => {
    while (!handedOver && current === undefined && buf.length > 0) {
      const parsed = parseRequest(buf);
      if (parsed === 'incomplete') return;
      if (parsed === 'hand-over') return giveAway();
      buf = buf.subarray(parsed.length);
      socket.setTimeout(0);
      const res = new Http1Response(socket, parsed.keepAlive, () => {
        current = undefined;
        if (!parsed.keepAlive) {
          socket.end();
          return;
        }
        if (socket.isPaused()) socket.resume();
        // Pipelined requests wait for the response before them (HTTP/1.1 answers in order).
        if (buf.length > 0) setImmediate(next);
        else idle();
      });
      current = res;
      if (requestStart.hasSubscribers || responseFinish.hasSubscribers) {
        const message = { request: { ...parsed.request, socket }, response: res, socket, server: undefined };
        requestStart.publish(message);
        res.once('finish', () => responseFinish.publish(message));
      }
      onRequest(parsed.request, res);
    }
  };
  const onData = (chunk: Buffer) => {
    buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
    if (current !== undefined) {
      if (buf.length > MAX_PIPELINED_BYTES) socket.pause();
      return;
    }
    next();
  };
  socket.on('data', onData);
  socket.on('timeout', onTimeout);
  socket.on('close', () => current?.markClosed());
  socket.on('error', () => socket.destroy());
  idle();
  return {
    closeIfIdle() {
      if (!handedOver && current === undefined) socket.end();
    },
  };
}

type Parsed = { request: Http1Request; length: number; keepAlive: boolean } | 'incomplete' | 'hand-over';

function parseRequest(buf: Buffer): Parsed {
  const end = buf.indexOf(HEAD_END);
  if (end < 0) {
    // A head too long to be ours, or bare LF line endings: node:http's parser decides.
    return buf.length > MAX_HEAD_BYTES || hasBareLf(buf) ? 'hand-over' : 'incomplete';
  }
  if (end > MAX_HEAD_BYTES) return 'hand-over';
  const lines = buf.toString('latin1', 0, end).split('\r\n');
  const start = REQUEST_LINE.exec(lines[0]!);
  if (!start) return 'hand-over';
  const headers: Record<string, string> = {};
  let contentLength = 0;
  let keepAlive = true;
  for (let i = 1; i < lines.length; i++) {
    const h = HEADER_LINE.exec(lines[i]!);
    if (!h) return 'hand-over';
    const name = h[1]!.toLowerCase();
    const value = h[2]!;
    if (HAND_OVER_HEADERS.has(name)) return 'hand-over';
    if (name === 'content-length') {
      if (headers[name] !== undefined || !/^\d{1,9}$/.test(value)) return 'hand-over';
      contentLength = Number(value);
      if (contentLength > MAX_BODY_BYTES) return 'hand-over';
    } else if (name === 'connection') {
      const tokens = value.toLowerCase().split(',').map((t) => t.trim());
      if (tokens.includes('upgrade')) return 'hand-over';
      if (tokens.includes('close')) keepAlive = false;
    }
    // Repeated headers are joined as node:http joins most of them.
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  // node:http answers 400 to an HTTP/1.1 request without Host (requireHostHeader).
  if (headers['host'] === undefined) return 'hand-over';
  const length = end + 4 + contentLength;
  if (buf.length < length) return 'incomplete';
  // The header text is ISO-8859-1 on the wire; node:http hands it over the same way.
  return { request: { method: start[1]!, url: start[2]!, headers, body: buf.subarray(end + 4, length) }, length, keepAlive };
}

function hasBareLf(buf: Buffer): boolean {
  for (let i = buf.indexOf(10); i >= 0; i = buf.indexOf(10, i + 1)) if (i === 0 || buf[i - 1] !== 13) return true;
  return false;
}

/** node:http's Date header, formatted at most once a second. */
let dateText = '';
let dateSecond = -1;
function httpDate(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(now).toUTCString();
  }
  return dateText;
}

/**
 * The response side, with the ServerResponse members Exchange and ResponseOutput use, byte for
 * byte what node:http writes: the given headers, then Date, Connection, Keep-Alive, and
 * Transfer-Encoding: chunked unless the length is known.
 */
export class Http1Response extends EventEmitter implements RawResponse {
  readonly #socket: net.Socket;
  readonly #keepAlive: boolean;
  readonly #done: () => void;
  /** Headers of setHeader and writeHead, written with the first body bytes. */
  readonly #headers: Record<string, string | number> = {};
  #status = 200;
  #headersSent = false;
  #chunked = false;
  #ended = false;
  #closed = false;

  constructor(socket: net.Socket, keepAlive: boolean, done: () => void) {
    super();
    this.#socket = socket;
    this.#keepAlive = keepAlive;
    this.#done = done;
  }

  get headersSent(): boolean {
    return this.#headersSent;
  }

  get statusCode(): number {
    return this.#status;
  }

  get writableEnded(): boolean {
    return this.#ended;
  }

  setHeader(name: string, value: string): void {
    this.#headers[name.toLowerCase()] = value;
  }

  /** Records the status and headers; they are written with the first body bytes (as node:http does). */
  writeHead(status: number, headers: Readonly<Record<string, string | number>>): void {
    if (this.#headersSent) return;
    this.#status = status;
    for (const k in headers) this.#headers[k] = headers[k]!;
  }

  #head(bodyLength: number | undefined): string {
    this.#headersSent = true;
    const headers = this.#headers;
    let head = `HTTP/1.1 ${this.#status} ${STATUS_CODES[this.#status] ?? 'unknown'}\r\n`;
    let hasLength = false;
    for (const k in headers) {
      if (k.toLowerCase() === 'content-length') hasLength = true;
      head += `${k}: ${headers[k]}\r\n`;
    }
    head += `Date: ${httpDate()}\r\n`;
    head += this.#keepAlive ? 'Connection: keep-alive\r\nKeep-Alive: timeout=5\r\n' : 'Connection: close\r\n';
    if (!hasLength && bodyLength !== undefined) head += `Content-Length: ${bodyLength}\r\n`;
    else if (!hasLength) {
      this.#chunked = true;
      head += 'Transfer-Encoding: chunked\r\n';
    }
    return head + '\r\n';
  }

  /** Sends the status line and headers now (a streamed response). */
  flushHeaders(): void {
    if (!this.#headersSent && !this.#closed) this.#socket.write(this.#head(undefined));
  }

  write(chunk: string, cb?: (err?: Error | null) => void): boolean {
    if (this.#ended || this.#closed) return false;
    const head = this.#headersSent ? '' : this.#head(undefined);
    const body = this.#chunked ? `${Buffer.byteLength(chunk).toString(16)}\r\n${chunk}\r\n` : chunk;
    return this.#socket.write(head + body, cb);
  }

  end(chunk?: string | (() => void), cb?: () => void): this {
    if (typeof chunk === 'function') {
      cb = chunk;
      chunk = undefined;
    }
    if (this.#ended) return this;
    this.#ended = true;
    if (this.#closed) {
      cb?.();
      return this;
    }
    const text = chunk ?? '';
    let out = this.#headersSent ? '' : this.#head(Buffer.byteLength(text));
    if (this.#chunked) out += (text === '' ? '' : `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`) + '0\r\n\r\n';
    else out += text;
    this.#socket.write(out, () => {
      cb?.();
      this.emit('finish');
      this.emit('close');
    });
    this.#done();
    return this;
  }

  override once(event: string | symbol, listener: (...args: unknown[]) => void): this {
    // 'drain' is the socket's: this response is the only writer while it is in progress.
    if (event === 'drain') this.#socket.once('drain', listener);
    else super.once(event, listener);
    return this;
  }

  /** The client went away before the response ended. */
  markClosed(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (!this.#ended) this.emit('close');
  }

  destroy(): this {
    this.#socket.destroy();
    return this;
  }
}
