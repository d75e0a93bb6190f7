// In-memory StateStore: a sorted array of keys with binary search. A real option for small tables
// (and for tests): O(log n) get, O(n) insert/delete (a memmove), range = binary search + slice.
// Guarantees of state-store.ts except durability: everything is forgotten on close.
import type { StateStore, StateStoreFactory, StoreEntry, WriteBatch } from './state-store.ts';
import { compareBytes } from './bytes-order.ts';

export class MemoryStore implements StateStore {
  private keys: Uint8Array[] = [];
  private values: Uint8Array[] = [];
  private position = 0;
  private closed = false;

  get(key: Uint8Array): Uint8Array | undefined {
    this.checkOpen();
    const i = this.find(key);
    return i < this.keys.length && compareBytes(this.keys[i]!, key) === 0 ? this.values[i] : undefined;
  }

  /** A snapshot taken at call time: later writes do not change what the iterable yields. */
  range(from?: Uint8Array, to?: Uint8Array): Iterable<StoreEntry> {
    this.checkOpen();
    const start = from === undefined ? 0 : this.find(from);
    const end = to === undefined ? this.keys.length : this.find(to);
    const out: StoreEntry[] = [];
    for (let i = start; i < end; i++) out.push({ key: this.keys[i]!, value: this.values[i]! });
    return out;
  }

  /** Applied synchronously, so atomic for every reader; keys and values are copied. */
  async write(batch: WriteBatch): Promise<void> {
    this.checkOpen();
    for (const { key, value } of batch.puts) {
      const i = this.find(key);
      const found = i < this.keys.length && compareBytes(this.keys[i]!, key) === 0;
      if (value === null) {
        if (found) {
          this.keys.splice(i, 1);
          this.values.splice(i, 1);
        }
      } else if (found) {
        this.values[i] = value.slice();
      } else {
        this.keys.splice(i, 0, key.slice());
        this.values.splice(i, 0, value.slice());
      }
    }
    if (batch.changelogPosition !== undefined) this.position = batch.changelogPosition;
  }

  changelogPosition(): number {
    return this.position;
  }

  size(): number {
    return this.keys.length;
  }

  async clear(): Promise<void> {
    this.checkOpen();
    this.keys = [];
    this.values = [];
    this.position = 0;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.keys = [];
    this.values = [];
  }

  /** Index of the first key >= `key`. */
  private find(key: Uint8Array): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareBytes(this.keys[mid]!, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private checkOpen(): void {
    if (this.closed) throw new Error('state store is closed');
  }
}

export function memoryStoreFactory(): StateStoreFactory {
  const open = new Set<MemoryStore>();
  return {
    kind: 'memory',
    async open() {
      const store = new MemoryStore();
      open.add(store);
      return store;
    },
    async destroy() {},
    async close() {
      for (const s of open) await s.close();
      open.clear();
    },
  };
}
