// Ordered, bounded writing of a streaming response. Chunks are queued and written one at a time:
// on HTTP/2 the next chunk waits for the previous write to complete, so each chunk is its own DATA
// frame (clients JSON.parse each frame); on HTTP/1.1 writes follow write()/'drain' backpressure.
// The queue is measured so a producer that must not wait (push queries) can detect a slow client.

export interface RawResponse {
  write(chunk: string, cb?: (err?: Error | null) => void): boolean;
  end(cb?: () => void): unknown;
  once(event: 'drain', listener: () => void): unknown;
  destroy(err?: Error): unknown;
  readonly writableEnded: boolean;
}

export class ResponseOutput {
  readonly #res: RawResponse;
  readonly #onePerFrame: boolean;
  readonly #queue: string[] = [];
  #queuedBytes = 0;
  #waiting = false;
  #ending = false;
  #closed = false;
  #drainWaiters: (() => void)[] = [];
  #endWaiters: (() => void)[] = [];

  constructor(res: RawResponse, onePerFrame: boolean) {
    this.#res = res;
    this.#onePerFrame = onePerFrame;
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
    this.#pump();
  }

  writeAll(chunks: readonly string[]): void {
    for (const c of chunks) this.write(c);
  }

  /** Resolves when everything queued has been handed to the socket (or the client is gone). */
  drained(): Promise<void> {
    if (this.#closed || (this.#queue.length === 0 && !this.#waiting)) return Promise.resolve();
    return new Promise((resolve) => this.#drainWaiters.push(resolve));
  }

  /** Ends the response after the queue is flushed. */
  end(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#ending = true;
    const done = new Promise<void>((resolve) => this.#endWaiters.push(resolve));
    this.#pump();
    return done;
  }

  /** The client went away (or we gave up on it): drop the queue and release every waiter. */
  markClosed(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#queue.length = 0;
    this.#queuedBytes = 0;
    this.#release();
    for (const w of this.#endWaiters.splice(0)) w();
  }

  #pump(): void {
    while (!this.#waiting && !this.#closed && this.#queue.length > 0) {
      const chunk = this.#queue.shift()!;
      this.#queuedBytes -= chunk.length;
      if (this.#onePerFrame) {
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
      this.#res.end(() => {
        this.#closed = true;
        for (const w of this.#endWaiters.splice(0)) w();
      });
    } else if (this.#ending) {
      for (const w of this.#endWaiters.splice(0)) w();
    }
  }

  #release(): void {
    for (const w of this.#drainWaiters.splice(0)) w();
  }
}
