// One request/response pair, the same for HTTP/1.1 (Riffle's handler or node:http) and HTTP/2
// (Riffle's handler, src/server/h2/): reading a bounded body, sending JSON or text, starting a
// streamed response, and noticing a client that disconnects before the response is complete.

import type http from 'node:http';
import { Readable } from 'node:stream';
import type { H2Stream } from './h2/h2-stream.ts';
import type { Http1Request, Http1Response } from './http1-connection.ts';
import { ResponseOutput, type RawResponse } from './response-output.ts';

export class BodyTooLargeError extends Error {
  readonly limit: number;
  constructor(limit: number) {
    super(`Request body exceeds the limit of ${limit} bytes`);
    this.limit = limit;
  }
}

/** Paths URL parsing would leave unchanged: no dot segments, escapes, doubled or trailing oddities. */
const PLAIN_PATH = /^(?=\/)(?:\/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*\/?$/;

/** What the request line and headers say, whichever protocol carried them. */
export interface RequestHead {
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly headers: http.IncomingHttpHeaders;
  readonly isHttp2: boolean;
}

/** The response members used here: http.ServerResponse, Http1Response or H2Stream. */
interface AnyResponse extends RawResponse {
  readonly headersSent: boolean;
  writeHead(status: number, headers: Record<string, string | number>): unknown;
  setHeader(name: string, value: string): unknown;
  flushHeaders(): void;
  on(event: 'close', listener: () => void): unknown;
  /** Head and whole body in one step, where the transport has a faster way for it. */
  respondWith?(status: number, contentType: string | undefined, body: string): void;
}

export class Exchange {
  readonly method: string;
  readonly path: string;
  readonly isHttp2: boolean;
  #request: Readable | undefined;
  /** The whole body when the transport read it before dispatch (src/server/http1-connection.ts). */
  readonly #body: Buffer | undefined;
  /** Received on the internal listener (`ksql.internal.listener`), where peers call. */
  internalListener = false;
  readonly #headers: http.IncomingHttpHeaders;
  readonly #res: AnyResponse;
  #output: ResponseOutput | undefined;
  #aborted = false;
  readonly #abortListeners: (() => void)[] = [];
  readonly #search: string;
  #query: URLSearchParams | undefined;

  /** A request from node:http. */
  static fromHttp(req: http.IncomingMessage, res: http.ServerResponse): Exchange {
    const head = { method: req.method, url: req.url, headers: req.headers, isHttp2: false };
    return new Exchange(head, req, res as unknown as AnyResponse);
  }

  /** A request served by Riffle's own HTTP/1.1 connection handler: the body has been read. */
  static fromHttp1(req: Http1Request, res: Http1Response): Exchange {
    const head = { method: req.method, url: req.url, headers: req.headers, isHttp2: false };
    return new Exchange(head, req.body, res);
  }

  /** An HTTP/2 request: the body is whole when the request ended before dispatch, else streamed. */
  static fromH2(stream: H2Stream): Exchange {
    const head = { method: stream.method, url: stream.path, headers: stream.headers, isHttp2: true };
    return new Exchange(head, stream.completeBody() ?? stream.body, stream);
  }

  constructor(head: RequestHead, body: Readable | Buffer, res: AnyResponse) {
    this.#headers = head.headers;
    this.#res = res;
    if (Buffer.isBuffer(body)) this.#body = body;
    else this.#request = body;
    this.method = head.method ?? 'GET';
    const target = head.url ?? '/';
    // Plain paths (every route's shape) skip URL parsing; anything else is normalised by URL.
    const q = target.indexOf('?');
    const path = q < 0 ? target : target.slice(0, q);
    this.path = PLAIN_PATH.test(path) ? path : new URL(target, 'http://localhost').pathname;
    this.#search = q < 0 ? '' : target.slice(q);
    this.isHttp2 = head.isHttp2;
    res.on('close', () => {
      // 'close' before we ended the response means the client reset the stream or dropped the
      // connection (writableFinished is no use here: HTTP/2's compat response reports true on a reset).
      if (!res.writableEnded) {
        this.#aborted = true;
        this.#output?.markClosed();
        for (const l of this.#abortListeners.splice(0)) l();
      }
    });
  }

  /** The request body as a stream (made on first use when the body was read already). */
  get request(): Readable {
    return (this.#request ??= Readable.from(this.#body && this.#body.length > 0 ? [this.#body] : [], { objectMode: false }));
  }

  /** The query string's parameters (parsed on first use). */
  get query(): URLSearchParams {
    return (this.#query ??= new URLSearchParams(this.#search));
  }

  header(name: string): string | undefined {
    const v = this.#headers[name.toLowerCase()];
    return Array.isArray(v) ? v.join(', ') : v;
  }

  get aborted(): boolean {
    return this.#aborted;
  }

  get headersSent(): boolean {
    return this.#res.headersSent;
  }

  /** Called once if the client goes away before the response ends. */
  onAbort(listener: () => void): void {
    if (this.#aborted) listener();
    else this.#abortListeners.push(listener);
  }

  /** Reads the whole body; rejects with BodyTooLargeError past `limit` bytes (and stops reading). */
  readBody(limit: number): Promise<Buffer> {
    const read = this.#body;
    if (read !== undefined) return read.length > limit ? Promise.reject(new BodyTooLargeError(limit)) : Promise.resolve(read);
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const req = this.request;
      const onData = (c: Buffer) => {
        size += c.length;
        if (size > limit) {
          req.removeListener('data', onData);
          // Keep draining what the client still sends so the error response can reach it.
          req.resume();
          reject(new BodyTooLargeError(limit));
          return;
        }
        chunks.push(c);
      };
      req.on('data', onData);
      req.once('end', () => {
        if (size <= limit) resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
      });
      req.once('error', reject);
      this.onAbort(() => reject(new Error('client disconnected')));
    });
  }

  sendJson(status: number, body: unknown, contentType = 'application/json'): void {
    this.sendText(status, typeof body === 'string' ? body : JSON.stringify(body), contentType);
  }

  sendText(status: number, text: string, contentType: string | undefined, extraHeaders?: Record<string, string>): void {
    if (this.#aborted || this.#res.headersSent) return;
    if (this.#res.respondWith !== undefined && extraHeaders === undefined) return this.#res.respondWith(status, contentType, text);
    const headers: Record<string, string | number> = extraHeaders ? { ...extraHeaders } : {};
    // HTTP/2 frames the body itself (END_STREAM); the header would only cost encoding work.
    if (!this.isHttp2) headers['content-length'] = Buffer.byteLength(text);
    if (contentType !== undefined) headers['content-type'] = contentType;
    this.#res.writeHead(status, headers);
    this.#res.end(text);
  }

  /** Adds a header to the response about to be sent. */
  setHeader(name: string, value: string): void {
    if (!this.#res.headersSent) this.#res.setHeader(name, value);
  }

  /**
   * Returns the writer for a streamed body. The status line and headers go out now, or with
   * `defer` together with the first body bytes (see ResponseOutput); `coalesce` lets HTTP/2 put
   * the held chunks in one DATA frame.
   */
  startStream(status: number, contentType: string | undefined, defer?: { coalesce: boolean }): ResponseOutput {
    const res = this.#res;
    const headers: Record<string, string> = {};
    if (contentType !== undefined) headers['content-type'] = contentType;
    const begin = () => {
      if (!res.headersSent) res.writeHead(status, headers);
    };
    if (!defer) {
      begin();
      res.flushHeaders();
    }
    this.#output = new ResponseOutput(this.#res, this.isHttp2, defer && { begin, coalesce: defer.coalesce });
    if (this.#aborted) this.#output.markClosed();
    return this.#output;
  }

  /** Gives up on the response (slow client that stopped reading, shutdown). */
  destroy(): void {
    this.#output?.markClosed();
    // HTTP/2: RST_STREAM CANCEL, the connection stays; HTTP/1.1: the connection closes.
    this.#res.destroy();
  }
}
