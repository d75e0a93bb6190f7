// In-memory StateStore for small tables and tests: a hash map for point lookups plus a sorted array
// for ranges. New keys collect in a side list that is sorted and merged into the array on the next
// range (O(n + d log d)), so writes stay O(1) and a range without intervening inserts is a binary
// search. Guarantees of state-store.ts except durability: everything is forgotten on close.
import type { StateStore, StateStoreFactory, StoreEntry, WriteBatch } from './state-store.ts';
import { compareBytes } from './bytes-order.ts';

interface Slot {
  readonly key: Uint8Array;
  value: Uint8Array;
  /** Deleted slots stay in `sorted` until the next merge drops them. */
  live: boolean;
}

function mapKey(key: Uint8Array): string {
  return Buffer.from(key.buffer, key.byteOffset, key.length).toString('latin1');
}

export class MemoryStore implements StateStore {
  private map = new Map<string, Slot>();
  /** Ascending by key; may still hold dead slots; misses the slots in `added`. */
  private sorted: Slot[] = [];
  private added: Slot[] = [];
  private hasDead = false;
  private position = 0;
  private closed = false;

  get(key: Uint8Array): Uint8Array | undefined {
    this.checkOpen();
    return this.map.get(mapKey(key))?.value;
  }

  /** A snapshot taken at call time: later writes do not change what the iterable yields. */
  range(from?: Uint8Array, to?: Uint8Array): Iterable<StoreEntry> {
    this.checkOpen();
    this.merge();
    const start = from === undefined ? 0 : this.find(from);
    const end = to === undefined ? this.sorted.length : this.find(to);
    const out: StoreEntry[] = [];
    for (let i = start; i < end; i++) {
      const slot = this.sorted[i]!;
      out.push({ key: slot.key, value: slot.value });
    }
    return out;
  }

  /** Applied synchronously, so atomic for every reader; keys and values are copied. */
  async write(batch: WriteBatch): Promise<void> {
    this.checkOpen();
    for (const { key, value } of batch.puts) {
      const k = mapKey(key);
      const slot = this.map.get(k);
      if (value === null) {
        if (slot) {
          slot.live = false;
          this.map.delete(k);
          this.hasDead = true;
        }
      } else if (slot) {
        slot.value = new Uint8Array(value);
      } else {
        const fresh: Slot = { key: new Uint8Array(key), value: new Uint8Array(value), live: true };
        this.map.set(k, fresh);
        this.added.push(fresh);
      }
    }
    if (batch.changelogPosition !== undefined) this.position = batch.changelogPosition;
  }

  changelogPosition(): number {
    return this.position;
  }

  size(): number {
    return this.map.size;
  }

  async clear(): Promise<void> {
    this.checkOpen();
    this.reset();
    this.position = 0;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.reset();
  }

  private reset(): void {
    this.map = new Map();
    this.sorted = [];
    this.added = [];
    this.hasDead = false;
  }

  /** Folds `added` into `sorted` and drops dead slots. */
  private merge(): void {
    if (this.added.length === 0 && !this.hasDead) return;
    const added = this.added.filter((s) => s.live).sort((a, b) => compareBytes(a.key, b.key));
    const old = this.sorted;
    const out: Slot[] = [];
    let i = 0;
    let j = 0;
    while (i < old.length || j < added.length) {
      const a = old[i];
      const b = added[j];
      if (a && !a.live) i++;
      else if (b && (!a || compareBytes(b.key, a.key) < 0)) out.push(added[j++]!);
      else out.push(old[i++]!);
    }
    this.sorted = out;
    this.added = [];
    this.hasDead = false;
  }

  /** Index in `sorted` of the first key >= `key`. */
  private find(key: Uint8Array): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareBytes(this.sorted[mid]!.key, key) < 0) lo = mid + 1;
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
