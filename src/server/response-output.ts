// Ordered, bounded writing of a streaming response. Chunks are queued and written one at a time:
// on HTTP/2 the next chunk waits for the previous write to complete, so each chunk is its own DATA
// frame (clients JSON.parse each frame); on HTTP/1.1 writes follow write()/'drain' backpressure.
// The queue is measured so a producer that must not wait (push queries) can detect a slow client.
//
// A deferred output (responses computed before their first byte, like pull queries) holds the
// status line and the chunks until it ends or holds more than a few kilobytes, then sends them
// together: one socket write on HTTP/1.1, and on HTTP/2 one DATA frame when the format lets
// chunks share a frame (`coalesce`).

export interface RawResponse {
  write(chunk: string, cb?: (err?: Error | null) => void): boolean;
  end(chunk?: string | (() => void), cb?: () => void): unknown;
  once(event: 'drain', listener: () => void): unknown;
  destroy(err?: Error): unknown;
  readonly writableEnded: boolean;
}

export interface DeferredStart {
  /** Sends the status line and headers (without flushing them on their own). */
  readonly begin: () => void;
  /** Chunks may be joined into one write (HTTP/2: one DATA frame). */
  readonly coalesce: boolean;
}

/** A deferred output starts sending once this much is queued, so big results still stream. */
const DEFER_LIMIT_BYTES = 16 * 1024;

export class ResponseOutput {
  readonly #res: RawResponse;
  readonly #onePerFrame: boolean;
  readonly #queue: string[] = [];
  #queuedBytes = 0;
  #waiting = false;
  #ending = false;
  #closed = false;
  #deferred: DeferredStart | undefined;
  #drainWaiters: (() => void)[] = [];
  #endWaiters: (() => void)[] = [];

  constructor(res: RawResponse, onePerFrame: boolean, deferred?: DeferredStart) {
    this.#res = res;
    this.#onePerFrame = onePerFrame;
    this.#deferred = deferred;
  }

  /** Bytes (UTF-16 units, close enough for a bound) queued and not yet handed to the socket. */
  get queuedBytes(): number {
    return this.#queuedBytes;
  }

  /** True once the client went away or the response was ended. */
  get closed(): boolean {
    return this.#closed;
  }

  write(chunk: string): void {
    if (this.#closed || this.#ending || chunk === '') return;
    this.#queue.push(chunk);
    this.#queuedBytes += chunk.length;
    if (this.#deferred && this.#queuedBytes > DEFER_LIMIT_BYTES) this.#start();
    this.#pump();
  }

  writeAll(chunks: readonly string[]): void {
    for (const c of chunks) this.write(c);
  }

  /** Resolves when everything queued has been handed to the socket (or the client is gone). */
  drained(): Promise<void> {
    if (this.#closed || this.#deferred || (this.#queue.length === 0 && !this.#waiting)) return Promise.resolve();
    return new Promise((resolve) => this.#drainWaiters.push(resolve));
  }

  /** Ends the response after the queue is flushed. */
  end(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#ending = true;
    const done = new Promise<void>((resolve) => this.#endWaiters.push(resolve));
    if (this.#deferred) this.#start();
    this.#pump();
    return done;
  }

  /** The client went away (or we gave up on it): drop the queue and release every waiter. */
  markClosed(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#deferred = undefined;
    this.#queue.length = 0;
    this.#queuedBytes = 0;
    this.#release();
    for (const w of this.#endWaiters.splice(0)) w();
  }

  /** Sends the held status line; joins the held chunks when they may share a write. */
  #start(): void {
    const d = this.#deferred!;
    this.#deferred = undefined;
    d.begin();
    if (d.coalesce && this.#queue.length > 1) this.#queue.splice(0, this.#queue.length, this.#queue.join(''));
  }

  #pump(): void {
    if (this.#deferred) return;
    while (!this.#waiting && !this.#closed && this.#queue.length > 0) {
      const chunk = this.#queue.shift()!;
      this.#queuedBytes -= chunk.length;
      if (this.#onePerFrame) {
        if (this.#ending && this.#queue.length === 0 && !this.#res.writableEnded) {
          // The last chunk carries the end of the stream (one frame instead of two).
          this.#release();
          this.#res.end(chunk, () => this.#ended());
          return;
        }
        this.#waiting = true;
        this.#res.write(chunk, () => {
          this.#waiting = false;
          this.#pump();
        });
      } else if (!this.#res.write(chunk)) {
        this.#waiting = true;
        this.#res.once('drain', () => {
          this.#waiting = false;
          this.#pump();
        });
      }
    }
    if (this.#waiting || this.#closed || this.#queue.length > 0) return;
    this.#release();
    if (this.#ending && !this.#res.writableEnded) {
      this.#res.end(() => this.#ended());
    } else if (this.#ending) {
      for (const w of this.#endWaiters.splice(0)) w();
    }
  }

  #ended(): void {
    this.#closed = true;
    this.#release();
    for (const w of this.#endWaiters.splice(0)) w();
  }

  #release(): void {
    for (const w of this.#drainWaiters.splice(0)) w();
  }
}
