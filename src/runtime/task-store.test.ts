// TaskStore while a commit is in flight (the task processes on while its commit is written): writes
// handed to the commit but not yet in the lmdb store stay readable, by key and by range, also when
// the cache evicts clean entries.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { INTEGER } from '../common/sql-type.ts';
import { internalCodec } from '../serde/internal-codec.ts';
import { lmdbStoreFactory } from '../state/lmdb-store.ts';
import { TaskStore } from './task-store.ts';

async function withStore(body: (store: TaskStore<unknown>) => Promise<void>): Promise<void> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'riffle-task-store-'));
  const factory = lmdbStoreFactory({ dataDir });
  try {
    const store = new TaskStore<unknown>('s', 's-changelog', await factory.open('q.s.0'), internalCodec(INTEGER));
    await body(store);
    await store.close();
  } finally {
    await factory.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

const key = (n: number): Uint8Array => TaskStore.keyOf([n]);

void test('writes taken for a commit are read from the cache until persisted', async () => {
  await withStore(async (store) => {
    store.put(key(1), 10);
    store.put(key(2), 20);
    const batch = store.takeDirty();
    assert.equal(batch.length, 2);
    assert.equal(store.hasDirty(), false);
    store.put(key(3), 30);
    // Not in lmdb yet: range merges the in-flight batch and the new dirty write.
    assert.deepEqual(store.all().map((e) => e.value), [10, 20, 30]);
    await store.persist(batch, 2);
    assert.deepEqual(store.all().map((e) => e.value), [10, 20, 30]);
    assert.equal(store.changelogPosition(), 2);
  });
});

void test('the cache never evicts a write whose batch is not persisted', async () => {
  await withStore(async (store) => {
    store.put(key(-1), 7);
    const batch = store.takeDirty();
    // Misses cache their absence: enough of them make the cache evict clean entries.
    for (let i = 0; i < 250_000; i++) assert.equal(store.get(key(i)), undefined);
    assert.equal(store.get(key(-1)), 7);
    assert.deepEqual(store.range(key(-1), key(0)).map((e) => e.value), [7]);
    await store.persist(batch, 1);
    assert.equal(store.get(key(-1)), 7);
  });
});
