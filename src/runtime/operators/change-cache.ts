// Record cache for table changes (Kafka Streams' cache.max.bytes.buffering, which ksqlDB enables by
// default): updates to one key between two commits are merged, and only the newest is emitted,
// with the oldest `old`, when the task commits or the cache is full. A cache size of 0 disables it
// (what ksqlDB's functional tests use, so every update is visible there).

import type { Change, Emit } from '../change.ts';
import { TaskStore } from '../task-store.ts';

/** Rough per-entry size used to turn the byte budget into an entry count. */
const ESTIMATED_ENTRY_BYTES = 256;

export class ChangeCache {
  readonly #entries = new Map<string, Change>();
  readonly #maxEntries: number;
  readonly #emit: Emit;

  constructor(maxBytes: number, emit: Emit) {
    this.#maxEntries = Math.max(1, Math.floor(maxBytes / ESTIMATED_ENTRY_BYTES));
    this.#emit = emit;
  }

  put(c: Change): void {
    const bytes = c.keyBytes ?? TaskStore.keyOf(c.window ? [...c.key, c.window.start] : c.key);
    const k = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
    const prev = this.#entries.get(k);
    if (prev) {
      this.#entries.delete(k);
      this.#entries.set(k, { ...c, old: prev.old });
    } else {
      this.#entries.set(k, c);
    }
    if (this.#entries.size > this.#maxEntries) this.#evictOldest();
  }

  #evictOldest(): void {
    const first = this.#entries.entries().next();
    if (first.done) return;
    this.#entries.delete(first.value[0]);
    this.#emit(first.value[1]);
  }

  flush(): void {
    const all = [...this.#entries.values()];
    this.#entries.clear();
    for (const c of all) this.#emit(c);
  }
}
