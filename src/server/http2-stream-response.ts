// The response side of an HTTP/2 stream with the few ServerResponse members Exchange and
// ResponseOutput use, written straight on the stream: Node's compatibility layer costs a request
// and a response object, their listeners and a stream pipe per request, a large share of a pull
// query's work. Headers set before the response starts are kept and sent with it.

import http2 from 'node:http2';
import type { RawResponse } from './response-output.ts';

const { NGHTTP2_CANCEL } = http2.constants;

function ignore(): void {}

export class Http2StreamResponse implements RawResponse {
  readonly stream: http2.ServerHttp2Stream;
  #pending: Record<string, string | number> = {};
  #ended = false;

  constructor(stream: http2.ServerHttp2Stream) {
    this.stream = stream;
    // Resets and connection errors surface as 'close'; without a listener they would throw.
    stream.on('error', ignore);
  }

  get headersSent(): boolean {
    return this.stream.headersSent;
  }

  /** True once end() was called here: the stream's own flag also turns true when the client resets it. */
  get writableEnded(): boolean {
    return this.#ended;
  }

  setHeader(name: string, value: string): void {
    this.#pending[name.toLowerCase()] = value;
  }

  writeHead(status: number, headers: Readonly<Record<string, string | number>>): void {
    if (this.stream.headersSent || this.stream.destroyed) return;
    const all: Record<string, string | number> = { ':status': status };
    for (const k in this.#pending) all[k] = this.#pending[k]!;
    for (const k in headers) all[k.toLowerCase()] = headers[k]!;
    this.stream.respond(all);
  }

  /** The headers are sent by writeHead already (HTTP/2 frames them separately anyway). */
  flushHeaders(): void {
    if (!this.stream.headersSent) this.writeHead(200, {});
  }

  write(chunk: string, cb?: (err?: Error | null) => void): boolean {
    if (!this.stream.headersSent) this.writeHead(200, {});
    return this.stream.write(chunk, cb);
  }

  end(chunk?: string | (() => void), cb?: () => void): this {
    this.#ended = true;
    if (!this.stream.headersSent && !this.stream.destroyed) this.writeHead(200, {});
    if (typeof chunk === 'function') this.stream.end(chunk);
    else if (chunk === undefined) this.stream.end(cb);
    else this.stream.end(chunk, cb);
    return this;
  }

  once(event: 'drain' | 'close', listener: () => void): this {
    this.stream.once(event, listener);
    return this;
  }

  on(event: 'close', listener: () => void): this {
    this.stream.on(event, listener);
    return this;
  }

  /** Gives up on the stream (RST_STREAM CANCEL), leaving the connection open. */
  destroy(): this {
    if (!this.stream.closed) this.stream.close(NGHTTP2_CANCEL);
    return this;
  }
}
