// StateStore: an ordered key/value store owned by one task (one store partition), with the
// changelog position written atomically with the data, so a restart replays only the tail.
// It knows nothing about SQL: keys and values are bytes, ordered bytewise.
//
// Guarantees every implementation gives (checked by state-store-contract.ts):
// - `get` and `range` are synchronous and see every write of completed `write` calls.
// - A `write` batch is atomic: its puts, deletes and the new changelog position become visible
//   (and, for durable stores, durable) together, or not at all.
// - `range` returns entries in ascending bytewise key order.
// Non-guarantees: the in-memory store forgets everything on close.

export interface StoreEntry {
  readonly key: Uint8Array;
  readonly value: Uint8Array;
}

export interface WriteBatch {
  /** null value = delete. */
  readonly puts: readonly { readonly key: Uint8Array; readonly value: Uint8Array | null }[];
  /** The changelog offset (next offset to replay) after this batch, stored with the data. */
  readonly changelogPosition?: number;
}

export interface StateStore {
  get(key: Uint8Array): Uint8Array | undefined;
  /** Keys in [from, to) ascending; either bound may be omitted. */
  range(from?: Uint8Array, to?: Uint8Array): Iterable<StoreEntry>;
  write(batch: WriteBatch): Promise<void>;
  /** The changelog position stored with the data; 0 for a new store. */
  changelogPosition(): number;
  /** Approximate number of entries. */
  size(): number;
  /** Removes every entry and resets the changelog position (used when state is wiped). */
  clear(): Promise<void>;
  close(): Promise<void>;
}

export interface StateStoreFactory {
  readonly kind: 'lmdb' | 'memory';
  /** Opens (or creates) the store named `name`; a durable factory reopens the same data. */
  open(name: string): Promise<StateStore>;
  /** Deletes a store's data (the store must be closed). */
  destroy(name: string): Promise<void>;
  close(): Promise<void>;
}
