// One request/response pair, the same for HTTP/1.1 and HTTP/2 (Node's compatibility API underneath):
// reading a bounded body, sending JSON or text, starting a streamed response, and noticing a client
// that disconnects before the response is complete.

import type http from 'node:http';
import type http2 from 'node:http2';
import type { Readable } from 'node:stream';
import { ResponseOutput, type RawResponse } from './response-output.ts';

export class BodyTooLargeError extends Error {
  readonly limit: number;
  constructor(limit: number) {
    super(`Request body exceeds the limit of ${limit} bytes`);
    this.limit = limit;
  }
}

type AnyRequest = http.IncomingMessage | http2.Http2ServerRequest;
type AnyResponse = http.ServerResponse | http2.Http2ServerResponse;

export class Exchange {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly isHttp2: boolean;
  readonly request: Readable;
  /** Received on the internal listener (`ksql.internal.listener`), where peers call. */
  internalListener = false;
  readonly #req: AnyRequest;
  readonly #res: AnyResponse;
  #output: ResponseOutput | undefined;
  #aborted = false;
  readonly #abortListeners: (() => void)[] = [];

  constructor(req: AnyRequest, res: AnyResponse) {
    this.#req = req;
    this.#res = res;
    this.request = req as Readable;
    this.method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://localhost');
    this.path = url.pathname;
    this.query = url.searchParams;
    this.isHttp2 = req.httpVersionMajor === 2;
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

  header(name: string): string | undefined {
    const v = this.#req.headers[name.toLowerCase()];
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
        if (size <= limit) resolve(Buffer.concat(chunks));
      });
      req.once('error', reject);
      this.onAbort(() => reject(new Error('client disconnected')));
    });
  }

  sendJson(status: number, body: unknown, contentType = 'application/json'): void {
    this.sendText(status, typeof body === 'string' ? body : JSON.stringify(body), contentType);
  }

  sendText(status: number, text: string, contentType: string | undefined, extraHeaders: Record<string, string> = {}): void {
    if (this.#aborted || this.#res.headersSent) return;
    const headers: Record<string, string | number> = { ...extraHeaders, 'content-length': Buffer.byteLength(text) };
    if (contentType !== undefined) headers['content-type'] = contentType;
    (this.#res as http.ServerResponse).writeHead(status, headers);
    this.#res.end(text);
  }

  /** Adds a header to the response about to be sent. */
  setHeader(name: string, value: string): void {
    if (!this.#res.headersSent) (this.#res as http.ServerResponse).setHeader(name, value);
  }

  /** Sends the status line and headers now and returns the writer for the body. */
  startStream(status: number, contentType: string | undefined): ResponseOutput {
    const res = this.#res as http.ServerResponse;
    const headers: Record<string, string> = {};
    if (contentType !== undefined) headers['content-type'] = contentType;
    res.writeHead(status, headers);
    res.flushHeaders();
    this.#output = new ResponseOutput(this.#res as unknown as RawResponse, this.isHttp2);
    if (this.#aborted) this.#output.markClosed();
    return this.#output;
  }

  /** Gives up on the response (slow client that stopped reading, shutdown). */
  destroy(): void {
    this.#output?.markClosed();
    if (this.isHttp2) (this.#res as http2.Http2ServerResponse).stream.close(0x8 /* CANCEL */);
    else (this.#res as http.ServerResponse).destroy();
  }
}
