// One HTTP/2 request stream of Riffle's HTTP/2 connection handler (h2-connection.ts): the request
// head and body as they arrive, and the response with the members Exchange and ResponseOutput use
// (the same ones as node:http's ServerResponse). Frames, flow control and errors are the
// connection's business; the stream only keeps its own state and queue.

import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';

/** What a stream asks of its connection. */
export interface StreamHost {
  /** Queues a HEADERS frame (plus CONTINUATIONs) for the response head. */
  sendHead(stream: H2Stream, status: number, headers: Readonly<Record<string, string | number>> | undefined, endStream: boolean): void;
  /** Sends what the stream's queue and the flow-control windows allow. */
  pump(stream: H2Stream): void;
  /** RST_STREAM with `code`, and the stream is closed. */
  reset(stream: H2Stream, code: number): void;
  /** The application took `n` bytes of the request body: the client may send that much more. */
  credit(stream: H2Stream, n: number): void;
}

/** A chunk waiting for flow-control window (or for its turn). */
export interface SendItem {
  data: Buffer;
  offset: number;
  readonly end: boolean;
  readonly cb: (() => void) | undefined;
}

function noop(): void {}

const EMPTY = Buffer.alloc(0);

export class H2Stream {
  readonly id: number;
  readonly headers: IncomingHttpHeaders;
  readonly #host: StreamHost;

  // Request side.
  /** END_STREAM received. */
  remoteEnded = false;
  /** Body bytes received so far (checked against content-length at the end). */
  receivedBytes = 0;
  /** Body chunks that arrived before dispatch, or while nothing reads them. */
  readonly #early: Buffer[] = [];
  #readable: Readable | undefined;
  /** Bytes received while the body's reader was full, credited back once it reads again. */
  #heldCredit = 0;
  /** Handed to the application: from then on, body bytes nobody reads are not credited back. */
  dispatched = false;
  /** What the client may still send (bytes); the connection enforces and replenishes it. */
  receiveWindow: number;
  /** Body bytes taken by the application and not yet credited back to the client. */
  uncredited = 0;
  /** The request's content-length, when it has one. */
  readonly declaredLength: number | undefined;
  /** The response is complete: body bytes still arriving are dropped. */
  #discarding = false;

  // Response side.
  headersSent = false;
  /** end() was called. */
  writableEnded = false;
  /** END_STREAM sent. */
  localEnded = false;
  closed = false;
  sendWindow: number;
  readonly queue: SendItem[] = [];
  #pendingHeaders: Record<string, string | number> | undefined;
  #closeListeners: (() => void)[] | undefined;

  constructor(host: StreamHost, id: number, headers: IncomingHttpHeaders, sendWindow: number, receiveWindow: number) {
    this.#host = host;
    this.id = id;
    this.headers = headers;
    this.sendWindow = sendWindow;
    this.receiveWindow = receiveWindow;
    const declared = headers['content-length'];
    this.declaredLength = declared === undefined ? undefined : Number(declared);
  }

  get method(): string | undefined {
    return this.headers[':method'] as string | undefined;
  }

  get path(): string | undefined {
    return this.headers[':path'] as string | undefined;
  }

  // ---- request body ----

  /** The whole body when the request ended before dispatch, else undefined. */
  completeBody(): Buffer | undefined {
    if (!this.remoteEnded || this.#readable) return undefined;
    const early = this.#early;
    return early.length === 0 ? EMPTY : early.length === 1 ? early[0]! : Buffer.concat(early);
  }

  /** The body as a stream (made on first use), fed as DATA frames arrive. */
  get body(): Readable {
    if (this.#readable) return this.#readable;
    const r: Readable = new Readable({ read: () => this.#releaseCredit() });
    this.#readable = r;
    for (const c of this.#early.splice(0)) r.push(c);
    if (this.remoteEnded) r.push(null);
    else this.#releaseCredit();
    return r;
  }

  /** A DATA payload arrived; returns the bytes to credit back now. */
  receive(chunk: Buffer): number {
    this.receivedBytes += chunk.length;
    if (this.#discarding) return chunk.length;
    const r = this.#readable;
    if (!r) {
      this.#early.push(chunk);
      if (this.dispatched) {
        this.#heldCredit += chunk.length;
        return 0;
      }
      return chunk.length;
    }
    if (r.push(chunk)) return chunk.length;
    this.#heldCredit += chunk.length;
    return 0;
  }

  /** Nobody will read the rest of the body: what is held is dropped and credited back. */
  discardBody(): void {
    if (this.#discarding) return;
    this.#discarding = true;
    this.#early.length = 0;
    const r = this.#readable;
    if (r && !r.readableEnded) r.destroy();
    this.#releaseCredit();
  }

  /** The stream is closing: body bytes held for a reader are dropped; returns how many. */
  dropHeldBody(): number {
    const n = this.#heldCredit;
    this.#heldCredit = 0;
    this.#early.length = 0;
    return n;
  }

  /** The reader wants more: what was held back is credited to the client. */
  #releaseCredit(): void {
    const n = this.#heldCredit;
    this.#heldCredit = 0;
    if (n > 0) this.#host.credit(this, n);
  }

  /** END_STREAM arrived. */
  receiveEnd(): void {
    this.remoteEnded = true;
    this.#readable?.push(null);
  }

  // ---- response (the ServerResponse members Exchange and ResponseOutput use) ----

  setHeader(name: string, value: string): void {
    (this.#pendingHeaders ??= {})[name.toLowerCase()] = value;
  }

  writeHead(status: number, headers?: Readonly<Record<string, string | number>>): void {
    if (this.headersSent || this.closed) return;
    this.#head(status, headers, false);
  }

  flushHeaders(): void {
    if (!this.headersSent) this.writeHead(200);
  }

  /** A whole response: head and body in one step. */
  respondWith(status: number, contentType: string | undefined, body: string): void {
    if (this.headersSent || this.closed) return;
    this.#head(status, contentType === undefined ? undefined : { 'content-type': contentType }, body === '');
    this.writableEnded = true;
    if (body !== '') this.#enqueue(Buffer.from(body), true, undefined);
  }

  write(chunk: string | Buffer, cb?: (err?: Error | null) => void): boolean {
    if (!this.headersSent) this.writeHead(200);
    if (this.writableEnded || this.closed) {
      if (cb) process.nextTick(cb);
      return false;
    }
    this.#enqueue(typeof chunk === 'string' ? Buffer.from(chunk) : chunk, false, cb);
    return true;
  }

  end(chunk?: string | Buffer | (() => void), cb?: () => void): this {
    if (typeof chunk === 'function') {
      cb = chunk;
      chunk = undefined;
    }
    if (this.writableEnded || this.closed) {
      if (cb) process.nextTick(cb);
      return this;
    }
    this.writableEnded = true;
    if (!this.headersSent) {
      if (chunk === undefined || chunk.length === 0) {
        this.#head(200, undefined, true);
        if (cb) process.nextTick(cb);
        return this;
      }
      this.writeHead(200);
    }
    const data = chunk === undefined ? EMPTY : typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    this.#enqueue(data, true, cb);
    return this;
  }

  once(event: 'drain' | 'close', listener: () => void): this {
    // Writes never refuse (write() returns true), so 'drain' never comes; 'close' comes once.
    if (event === 'close') (this.#closeListeners ??= []).push(listener);
    return this;
  }

  on(event: 'close', listener: () => void): this {
    return this.once(event, listener);
  }

  /** Gives up on the stream (RST_STREAM CANCEL); the connection stays open. */
  destroy(): this {
    if (!this.closed) this.#host.reset(this, 0x8);
    return this;
  }

  /** Called by the connection when the stream is closed, for whatever reason. */
  markClosed(): void {
    if (this.closed) return;
    this.closed = true;
    const r = this.#readable;
    if (r && !this.remoteEnded) r.destroy();
    for (const item of this.queue.splice(0)) if (item.cb) process.nextTick(item.cb);
    const listeners = this.#closeListeners;
    this.#closeListeners = undefined;
    if (listeners) for (const l of listeners) l();
  }

  #head(status: number, headers: Readonly<Record<string, string | number>> | undefined, endStream: boolean): void {
    let all = headers;
    if (this.#pendingHeaders) {
      const merged = this.#pendingHeaders;
      for (const k in headers) merged[k.toLowerCase()] = headers[k]!;
      this.#pendingHeaders = undefined;
      all = merged;
    }
    this.headersSent = true;
    if (endStream) this.writableEnded = true;
    this.#host.sendHead(this, status, all, endStream);
  }

  #enqueue(data: Buffer, end: boolean, cb: (() => void) | undefined): void {
    // A response to HEAD has no body (RFC 9110 9.3.2): the stream only ends.
    if (this.method === 'HEAD' && data.length > 0) data = EMPTY;
    this.queue.push({ data, offset: 0, end, cb: cb ?? (end ? noop : undefined) });
    this.#host.pump(this);
  }
}
