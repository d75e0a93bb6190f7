// Runs the StateStore contract suite against the lmdb store, in a temp directory per test.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stateStoreContractSuite } from './state-store-contract.ts';
import { lmdbStoreFactory } from './lmdb-store.ts';

stateStoreContractSuite('lmdb', async () => {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'riffle-lmdb-'));
  const factory = lmdbStoreFactory({ dataDir });
  return {
    factory,
    durable: true,
    cleanup: async () => {
      await factory.close();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
});
