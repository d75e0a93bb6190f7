// Durable StateStore on LMDB (lmdb-js): one LMDB environment per store, holding two named
// databases - `data` (the entries, binary keys in bytewise order) and `meta` (the changelog position).
//
// Why one environment per store rather than one per data directory: a store is the unit that moves
// between hosts, gets wiped and restored (standby/active promotion), so `destroy` is removing a
// directory (space is returned at once; a dropped sub-database would leave the file at its peak
// size), and a store's writes never wait behind another store's write lock or fsync.
//
// Guarantees: a `write` batch (puts, deletes, changelog position) is one LMDB transaction, so after
// a crash the store holds a prefix of the batches with the matching position; `write` resolves once
// the transaction is committed (visible to `get`/`range`) and, with `durable` (default), flushed
// to disk. Non-guarantees: keys longer than LMDB's limit (1,977 bytes, minus one) are rejected.
import fs from 'node:fs/promises';
import path from 'node:path';
import { open, type Database, type RootDatabase } from 'lmdb';
import type { StateStore, StateStoreFactory, StoreEntry, WriteBatch } from './state-store.ts';

export interface LmdbStoreOptions {
  /** One sub-directory per store is created here. */
  readonly dataDir: string;
  /** Wait for the fsync of each write (default true). With false, a crash may lose the newest batches
   * but never splits one: data and changelog position still match, so changelog replay catches up. */
  readonly durable?: boolean;
}

const POSITION = 'changelogPosition';

// LMDB refuses empty keys, and an empty byte string is a legal store key: every key is stored with
// a 0x00 prefix byte, which keeps the bytewise order of the originals.
function storedKey(key: Uint8Array): Buffer {
  const b = Buffer.allocUnsafe(key.length + 1);
  b[0] = 0;
  b.set(key, 1);
  return b;
}
const RANGE_START = Buffer.from([0]);
const RANGE_END = Buffer.from([1]);

export class LmdbStore implements StateStore {
  private readonly env: RootDatabase;
  private readonly data: Database<Buffer, Buffer>;
  private readonly meta: Database<number, string>;
  private readonly durable: boolean;
  private readonly onClose: () => void;
  private position: number;
  /** Reused for lookups only: lmdb copies the key before get returns. */
  private scratch = Buffer.allocUnsafe(256);

  constructor(dir: string, durable: boolean, onClose: () => void) {
    // noSubdir: false — lmdb-js would otherwise treat a directory name with a dot as a file name.
    // Non-durable stores skip the fsync of every commit: their changelog topic is the durable copy
    // (a process crash keeps what the OS has; after a machine crash the store is rebuilt from it).
    this.env = open({ path: dir, maxDbs: 2, noSubdir: false, noSync: !durable });
    this.data = this.env.openDB<Buffer, Buffer>({ name: 'data', keyEncoding: 'binary', encoding: 'binary' });
    this.meta = this.env.openDB<number, string>({ name: 'meta' });
    this.durable = durable;
    this.onClose = onClose;
    this.position = this.meta.get(POSITION) ?? 0;
  }

  get(key: Uint8Array): Uint8Array | undefined {
    if (this.scratch.length < key.length + 1) this.scratch = Buffer.allocUnsafe(Math.max(key.length + 1, this.scratch.length * 2));
    this.scratch[0] = 0;
    this.scratch.set(key, 1);
    return this.data.get(this.scratch.subarray(0, key.length + 1));
  }

  range(from?: Uint8Array, to?: Uint8Array): Iterable<StoreEntry> {
    const start = from === undefined ? RANGE_START : storedKey(from);
    const end = to === undefined ? RANGE_END : storedKey(to);
    return this.data.getRange({ start, end }).map(({ key, value }) => ({ key: key.subarray(1), value }));
  }

  async write(batch: WriteBatch): Promise<void> {
    await this.env.transaction(() => {
      for (const { key, value } of batch.puts) {
        if (value === null) void this.data.remove(storedKey(key));
        else void this.data.put(storedKey(key), Buffer.from(value.buffer, value.byteOffset, value.length));
      }
      if (batch.changelogPosition !== undefined) void this.meta.put(POSITION, batch.changelogPosition);
    });
    if (this.durable) await this.env.flushed;
    if (batch.changelogPosition !== undefined) this.position = batch.changelogPosition;
  }

  changelogPosition(): number {
    return this.position;
  }

  size(): number {
    return (this.data.getStats() as { entryCount: number }).entryCount;
  }

  /** Entries and position go in one transaction, like a write. */
  async clear(): Promise<void> {
    await this.env.transaction(() => {
      this.data.clearSync();
      void this.meta.remove(POSITION);
    });
    if (this.durable) await this.env.flushed;
    this.position = 0;
  }

  async close(): Promise<void> {
    await this.env.close();
    this.onClose();
  }
}

export function lmdbStoreFactory(options: LmdbStoreOptions): StateStoreFactory {
  const stores = new Map<string, LmdbStore>();
  const dirOf = (name: string): string => path.join(options.dataDir, encodeURIComponent(name));
  return {
    kind: 'lmdb',
    async open(name) {
      if (stores.has(name)) throw new Error(`state store ${name} is already open`);
      await fs.mkdir(dirOf(name), { recursive: true });
      const store = new LmdbStore(dirOf(name), options.durable ?? true, () => stores.delete(name));
      stores.set(name, store);
      return store;
    },
    async destroy(name) {
      if (stores.has(name)) throw new Error(`state store ${name} must be closed before it is destroyed`);
      await fs.rm(dirOf(name), { recursive: true, force: true });
    },
    async close() {
      for (const s of [...stores.values()]) await s.close();
    },
  };
}
