// A bounded queue between a running transient query and its reader (one HTTP client).

import type { QueryRow } from './engine-api.ts';

export class RowQueue {
  readonly #capacity: number;
  readonly #rows: QueryRow[] = [];
  #ended = false;
  #error: Error | undefined;
  #wake: (() => void) | undefined;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  push(row: QueryRow): void {
    if (this.#ended) return;
    this.#rows.push(row);
    this.#wake?.();
  }

  full(): boolean {
    return this.#rows.length >= this.#capacity;
  }

  end(): void {
    this.#ended = true;
    this.#wake?.();
  }

  fail(e: Error): void {
    this.#error = e;
    this.end();
  }

  async *iterate(): AsyncGenerator<QueryRow> {
    for (;;) {
      if (this.#rows.length > 0) {
        yield this.#rows.shift()!;
        continue;
      }
      if (this.#error) throw this.#error;
      if (this.#ended) return;
      await new Promise<void>((r) => { this.#wake = r; });
      this.#wake = undefined;
    }
  }
}
