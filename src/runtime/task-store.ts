// A task's view of one state store: decoded values cached in memory, writes collected as dirty
// entries until the task commits, when they go to the changelog topic and the StateStore in one
// step (see Task.commit), and stay cached until the StateStore holds them. Keys are
// order-preserving tuple bytes (src/serde/ordered-key.ts).

import { decodeKeyBytes, encodeKeyBytes } from '../serde/ordered-key.ts';
import type { InternalCodec } from '../serde/internal-codec.ts';
import type { StateStore } from '../state/state-store.ts';

// Operators usually get() then put() the same key object: remember the last conversion.
let lastBytes: Uint8Array | undefined;
let lastString = '';

function keyString(bytes: Uint8Array): string {
  if (bytes === lastBytes) return lastString;
  lastBytes = bytes;
  lastString = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return lastString;
}

export interface DirtyEntry {
  readonly key: Uint8Array;
  /** null = delete. */
  readonly value: Uint8Array | null;
}

export class TaskStore<V> {
  readonly name: string;
  readonly changelogTopic: string;
  readonly #store: StateStore;
  readonly #codec: InternalCodec<V>;
  /** Decoded values by key string; `null` caches a known absence. */
  readonly #cache = new Map<string, { key: Uint8Array; value: V | null }>();
  #dirty = new Set<string>();
  /**
   * Keys handed to a commit by takeDirty whose batch the StateStore does not hold yet (the task
   * processes on while its commit is written): their cached values are the only current copy, so
   * they are never evicted and range() reads them from the cache.
   */
  #unpersisted = new Set<string>();

  constructor(name: string, changelogTopic: string, store: StateStore, codec: InternalCodec<V>) {
    this.name = name;
    this.changelogTopic = changelogTopic;
    this.#store = store;
    this.#codec = codec;
  }

  static keyOf(values: readonly unknown[]): Uint8Array {
    return encodeKeyBytes(values);
  }

  static decodeKey(bytes: Uint8Array): unknown[] {
    return decodeKeyBytes(bytes);
  }

  get(key: Uint8Array): V | undefined {
    const ks = keyString(key);
    const hit = this.#cache.get(ks);
    if (hit) return hit.value ?? undefined;
    const bytes = this.#store.get(key);
    const value = bytes === undefined ? null : this.#codec.decode(bytes);
    if (this.#cache.size > 200_000) this.#evictClean();
    this.#cache.set(ks, { key, value });
    return value ?? undefined;
  }

  put(key: Uint8Array, value: V | null): void {
    const ks = keyString(key);
    this.#cache.set(ks, { key, value });
    this.#dirty.add(ks);
  }

  delete(key: Uint8Array): void {
    this.put(key, null);
  }

  /** Entries whose key starts with `prefix`, ascending, including uncommitted writes. */
  prefixScan(prefix: Uint8Array): { key: Uint8Array; value: V }[] {
    const upper = new Uint8Array(prefix.length + 1);
    upper.set(prefix);
    upper[prefix.length] = 0xff;
    return this.range(prefix, upper);
  }

  /** Entries in [from, to), ascending, including uncommitted writes. */
  range(from: Uint8Array | undefined, to: Uint8Array | undefined): { key: Uint8Array; value: V }[] {
    const out = new Map<string, { key: Uint8Array; value: V | null }>();
    for (const e of this.#store.range(from, to)) {
      const ks = keyString(e.key);
      const cached = this.#cache.get(ks);
      out.set(ks, cached ?? { key: e.key, value: this.#codec.decode(e.value) });
    }
    const lo = from ? keyString(from) : undefined;
    const hi = to ? keyString(to) : undefined;
    for (const keys of [this.#unpersisted, this.#dirty]) {
      for (const ks of keys) {
        if ((lo === undefined || ks >= lo) && (hi === undefined || ks < hi)) out.set(ks, this.#cache.get(ks)!);
      }
    }
    return [...out.entries()]
      .filter(([, v]) => v.value !== null)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, v]) => ({ key: v.key, value: v.value as V }));
  }

  /** All entries (for table scans). */
  all(): { key: Uint8Array; value: V }[] {
    return this.range(undefined, undefined);
  }

  hasDirty(): boolean {
    return this.#dirty.size > 0;
  }

  /**
   * Encodes and hands over the uncommitted writes; the caller commits them, then calls persist.
   * One batch at a time: the next takeDirty comes after the previous batch's persist.
   */
  takeDirty(): DirtyEntry[] {
    const out: DirtyEntry[] = [];
    for (const ks of this.#dirty) {
      const e = this.#cache.get(ks)!;
      out.push({ key: e.key, value: e.value === null ? null : this.#codec.encode(e.value) });
    }
    if (this.#unpersisted.size === 0) this.#unpersisted = this.#dirty;
    else for (const ks of this.#dirty) this.#unpersisted.add(ks);
    this.#dirty = new Set();
    return out;
  }

  /** Writes committed entries (the last takeDirty's) to the StateStore with the changelog position. */
  async persist(entries: readonly DirtyEntry[], changelogPosition: number): Promise<void> {
    await this.#store.write({ puts: entries, changelogPosition });
    this.#unpersisted = new Set();
  }

  changelogPosition(): number {
    return this.#store.changelogPosition();
  }

  /** Applies changelog records (restore / standby replay). */
  async applyChangelog(entries: readonly DirtyEntry[], position: number): Promise<void> {
    for (const e of entries) this.#cache.delete(keyString(e.key));
    await this.#store.write({ puts: entries, changelogPosition: position });
  }

  /** Forgets cached values that are not dirty (bounded memory). */
  #evictClean(): void {
    for (const ks of this.#cache.keys()) {
      if (!this.#dirty.has(ks) && !this.#unpersisted.has(ks)) this.#cache.delete(ks);
      if (this.#cache.size < 100_000) break;
    }
  }

  async close(): Promise<void> {
    await this.#store.close();
  }
}
