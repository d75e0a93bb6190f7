// Picks the state store implementation: lmdb under the data directory, or memory.

import type { StateStoreFactory } from '../state/state-store.ts';
import { lmdbStoreFactory } from '../state/lmdb-store.ts';
import { memoryStoreFactory } from '../state/memory-store.ts';

export async function openStateStores(dir: string): Promise<StateStoreFactory> {
  // Not fsynced: the changelog topic is the durable copy, and data + position stay atomic.
  return lmdbStoreFactory({ dataDir: dir, durable: false });
}

export function memoryStores(): StateStoreFactory {
  return memoryStoreFactory();
}
