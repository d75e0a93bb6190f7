// Record cache for table changes (Kafka Streams' cache.max.bytes.buffering, which ksqlDB enables by
// default): updates to one key between two commits are merged, and only the newest is emitted,
// with the oldest `old`, when the task commits or the cache is full. A cache size of 0 disables it
// (what ksqlDB's functional tests use, so every update is visible there).
//
// The cache holds pending entries of the caller's choosing and turns one into a Change only when
// it is emitted: an aggregation keeps its accumulators and builds the result row once per flush,
// not once per record.

import type { Change, Emit } from '../change.ts';

/** Rough per-entry size used to turn the byte budget into an entry count. */
const ESTIMATED_ENTRY_BYTES = 256;

/** A pending entry in the flush order (a doubly linked list: re-ordering costs no map lookup). */
interface Node<E> {
  readonly key: string;
  entry: E;
  prev: Node<E> | undefined;
  next: Node<E> | undefined;
}

export class ChangeCache<E> {
  /** Pending entries by key string (TaskStore.keyStringOf). */
  readonly #nodes = new Map<string, Node<E>>();
  /** Least recently updated first. */
  #head: Node<E> | undefined;
  #tail: Node<E> | undefined;
  /** The node the last pending() call found, so the put() that follows needs no lookup. */
  #last: Node<E> | undefined;
  readonly #maxEntries: number;
  readonly #toChange: (entry: E) => Change;
  readonly #emit: Emit;

  constructor(maxBytes: number, toChange: (entry: E) => Change, emit: Emit) {
    this.#maxEntries = Math.max(1, Math.floor(maxBytes / ESTIMATED_ENTRY_BYTES));
    this.#toChange = toChange;
    this.#emit = emit;
  }

  /** The entry waiting for the key, if any: the caller merges the new update into it. */
  pending(key: string): E | undefined {
    const node = this.#nodes.get(key);
    this.#last = node;
    return node?.entry;
  }

  /**
   * Makes `entry` the key's pending update and its most recent (flushes emit in order of last
   * update, as Kafka Streams' cache does); evicts the least recent entry when full.
   */
  put(key: string, entry: E): void {
    let node = this.#last !== undefined && this.#last.key === key ? this.#last : this.#nodes.get(key);
    this.#last = undefined;
    if (node) {
      node.entry = entry;
      if (node !== this.#tail) {
        this.#unlink(node);
        this.#append(node);
      }
      return;
    }
    node = { key, entry, prev: undefined, next: undefined };
    this.#nodes.set(key, node);
    this.#append(node);
    if (this.#nodes.size > this.#maxEntries) this.#evictOldest();
  }

  #append(node: Node<E>): void {
    node.prev = this.#tail;
    node.next = undefined;
    if (this.#tail) this.#tail.next = node;
    else this.#head = node;
    this.#tail = node;
  }

  #unlink(node: Node<E>): void {
    if (node.prev) node.prev.next = node.next;
    else this.#head = node.next;
    if (node.next) node.next.prev = node.prev;
    else this.#tail = node.prev;
    node.prev = undefined;
    node.next = undefined;
  }

  #evictOldest(): void {
    const first = this.#head;
    if (!first) return;
    this.#unlink(first);
    this.#nodes.delete(first.key);
    this.#emit(this.#toChange(first.entry));
  }

  flush(): void {
    const first = this.#head;
    this.#nodes.clear();
    this.#head = undefined;
    this.#tail = undefined;
    this.#last = undefined;
    for (let node = first; node; node = node.next) this.#emit(this.#toChange(node.entry));
  }
}
