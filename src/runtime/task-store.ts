// A task's view of one state store: decoded values cached in memory, writes collected as dirty
// entries until the task commits, when they go to the changelog topic and the StateStore in one
// step (see Task.commit), and stay cached until the StateStore holds them. Keys are
// order-preserving tuple bytes (src/serde/ordered-key.ts); the cache is keyed by their latin1
// string, which operators can build straight from the key values (keyStringOf) once per record.

import { decodeKeyBytes, encodeKeyBytes, encodeKeyString, keyStringBytes } from '../serde/ordered-key.ts';
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

/** A cached value; `key` (the bytes) is derived from the key string when first needed. */
interface CacheEntry<V> {
  key: Uint8Array | undefined;
  value: V | null;
  /** Written since the last takeDirty (its key is in #dirty). */
  dirty: boolean;
  /** Handed to a commit whose batch the StateStore does not hold yet (its key is in #unpersisted). */
  unpersisted: boolean;
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
  readonly #cache = new Map<string, CacheEntry<V>>();
  /** Keys of the dirty entries, each once (flags on the entries, so a write costs no set lookup). */
  #dirty: string[] = [];
  /**
   * Keys handed to a commit by takeDirty whose batch the StateStore does not hold yet (the task
   * processes on while its commit is written): their cached values are the only current copy, so
   * they are never evicted and range() reads them from the cache.
   */
  #unpersisted: string[] = [];
  // Operators get() then put() the same key: the entry of the last getByKeyString saves the
  // second map lookup. Forgotten whenever entries leave the cache.
  #lastKey: string | undefined;
  #lastEntry: CacheEntry<V> | undefined;

  constructor(name: string, changelogTopic: string, store: StateStore, codec: InternalCodec<V>) {
    this.name = name;
    this.changelogTopic = changelogTopic;
    this.#store = store;
    this.#codec = codec;
  }

  static keyOf(values: readonly unknown[]): Uint8Array {
    return encodeKeyBytes(values);
  }

  /** The cache key of keyOf(values), built without the bytes when it can be (see encodeKeyString). */
  static keyStringOf(values: readonly unknown[]): string {
    return encodeKeyString(values);
  }

  static decodeKey(bytes: Uint8Array): unknown[] {
    return decodeKeyBytes(bytes);
  }

  get(key: Uint8Array): V | undefined {
    const ks = keyString(key);
    const hit = this.#cache.get(ks);
    if (hit) return hit.value ?? undefined;
    return this.#load(ks, key).value ?? undefined;
  }

  /** get() by the key's string (keyStringOf). */
  getByKeyString(ks: string): V | undefined {
    const e = this.#cache.get(ks) ?? this.#load(ks, keyStringBytes(ks));
    this.#lastKey = ks;
    this.#lastEntry = e;
    return e.value ?? undefined;
  }

  #load(ks: string, key: Uint8Array): CacheEntry<V> {
    const bytes = this.#store.get(key);
    const value = bytes === undefined ? null : this.#codec.decode(bytes);
    if (this.#cache.size > 200_000) this.#evictClean();
    const e: CacheEntry<V> = { key, value, dirty: false, unpersisted: false };
    this.#cache.set(ks, e);
    return e;
  }

  put(key: Uint8Array, value: V | null): void {
    this.#set(keyString(key), key, value);
  }

  /** put() by the key's string (keyStringOf). */
  putByKeyString(ks: string, value: V | null): void {
    this.#set(ks, undefined, value);
  }

  #set(ks: string, key: Uint8Array | undefined, value: V | null): void {
    let e = ks === this.#lastKey ? this.#lastEntry : this.#cache.get(ks);
    if (e) {
      // Updated in place: takeDirty has already encoded any value a commit took, and range() copies.
      e.value = value;
    } else {
      e = { key, value, dirty: false, unpersisted: false };
      this.#cache.set(ks, e);
    }
    if (!e.dirty) {
      e.dirty = true;
      this.#dirty.push(ks);
    }
  }

  /** The key bytes of a cache entry, derived once from its string. */
  static #bytes(ks: string, e: CacheEntry<unknown>): Uint8Array {
    return (e.key ??= keyStringBytes(ks));
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
    const out = new Map<string, { key: Uint8Array | undefined; value: V | null }>();
    for (const e of this.#store.range(from, to)) {
      const ks = keyString(e.key);
      const cached = this.#cache.get(ks);
      out.set(ks, { key: e.key, value: cached ? cached.value : this.#codec.decode(e.value) });
    }
    const lo = from ? keyString(from) : undefined;
    const hi = to ? keyString(to) : undefined;
    for (const keys of [this.#unpersisted, this.#dirty]) {
      for (const ks of keys) {
        if ((lo === undefined || ks >= lo) && (hi === undefined || ks < hi)) {
          const e = this.#cache.get(ks)!;
          out.set(ks, { key: TaskStore.#bytes(ks, e), value: e.value });
        }
      }
    }
    return [...out.entries()]
      .filter(([, v]) => v.value !== null)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, v]) => ({ key: v.key!, value: v.value as V }));
  }

  /** All entries (for table scans). */
  all(): { key: Uint8Array; value: V }[] {
    return this.range(undefined, undefined);
  }

  hasDirty(): boolean {
    return this.#dirty.length > 0;
  }

  /**
   * Encodes and hands over the uncommitted writes; the caller commits them, then calls persist.
   * One batch at a time: the next takeDirty comes after the previous batch's persist.
   */
  takeDirty(): DirtyEntry[] {
    const out: DirtyEntry[] = [];
    for (const ks of this.#dirty) {
      const e = this.#cache.get(ks)!;
      e.dirty = false;
      if (!e.unpersisted) {
        e.unpersisted = true;
        this.#unpersisted.push(ks);
      }
      out.push({ key: TaskStore.#bytes(ks, e), value: e.value === null ? null : this.#codec.encode(e.value) });
    }
    this.#dirty = [];
    return out;
  }

  /** Writes committed entries (the last takeDirty's) to the StateStore with the changelog position. */
  async persist(entries: readonly DirtyEntry[], changelogPosition: number): Promise<void> {
    await this.#store.write({ puts: entries, changelogPosition });
    for (const ks of this.#unpersisted) {
      const e = this.#cache.get(ks);
      if (e) e.unpersisted = false;
    }
    this.#unpersisted = [];
  }

  changelogPosition(): number {
    return this.#store.changelogPosition();
  }

  /** Applies changelog records (restore / standby replay). */
  async applyChangelog(entries: readonly DirtyEntry[], position: number): Promise<void> {
    this.#lastKey = undefined;
    this.#lastEntry = undefined;
    for (const e of entries) this.#cache.delete(keyString(e.key));
    await this.#store.write({ puts: entries, changelogPosition: position });
  }

  /** Forgets cached values that are not dirty (bounded memory). */
  #evictClean(): void {
    this.#lastKey = undefined;
    this.#lastEntry = undefined;
    for (const [ks, e] of this.#cache) {
      if (!e.dirty && !e.unpersisted) this.#cache.delete(ks);
      if (this.#cache.size < 100_000) break;
    }
  }

  async close(): Promise<void> {
    await this.#store.close();
  }
}
