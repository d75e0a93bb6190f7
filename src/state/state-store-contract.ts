// The StateStore contract suite: node:test tests for every guarantee state-store.ts states. Both
// stores (lmdb, memory) run it; durability checks run only for factories that declare `durable`.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { StateStore, StateStoreFactory, StoreEntry } from './state-store.ts';

export interface StoreFactoryHarness {
  readonly factory: StateStoreFactory;
  /** True when a store reopened after close keeps its data and changelog position. */
  readonly durable: boolean;
  /** Closes the factory and removes its data. */
  readonly cleanup: () => Promise<void>;
}

const b = (...bytes: number[]): Uint8Array => new Uint8Array(bytes);
const s = (text: string): Uint8Array => new TextEncoder().encode(text);
const hex = (x: Uint8Array | undefined): string | undefined => (x === undefined ? undefined : Buffer.from(x).toString('hex'));
const entries = (it: Iterable<StoreEntry>): [string, string][] => [...it].map((e) => [hex(e.key)!, hex(e.value)!]);
const put = (key: Uint8Array, value: Uint8Array | null) => ({ key, value });

export function stateStoreContractSuite(name: string, makeFactory: () => Promise<StoreFactoryHarness>): void {
  const withStore = (title: string, body: (store: StateStore, h: StoreFactoryHarness) => Promise<void>): void => {
    void test(title, async () => {
      const h = await makeFactory();
      try {
        const store = await h.factory.open('contract');
        await body(store, h);
      } finally {
        await h.cleanup();
      }
    });
  };

  void describe(`StateStore contract: ${name}`, () => {
    withStore('a new store is empty at position 0', async (store) => {
      assert.equal(store.get(s('x')), undefined);
      assert.deepEqual(entries(store.range()), []);
      assert.equal(store.size(), 0);
      assert.equal(store.changelogPosition(), 0);
    });

    withStore('put, overwrite and delete are visible to get right after write resolves', async (store) => {
      await store.write({ puts: [put(s('a'), s('1')), put(s('b'), s('2'))] });
      assert.equal(hex(store.get(s('a'))), hex(s('1')));
      await store.write({ puts: [put(s('a'), s('3'))] });
      assert.equal(hex(store.get(s('a'))), hex(s('3')));
      await store.write({ puts: [put(s('b'), null), put(s('missing'), null)] });
      assert.equal(store.get(s('b')), undefined);
      assert.equal(store.size(), 1);
    });

    withStore('range is ascending bytewise (unsigned, prefixes first), empty keys and values included', async (store) => {
      const keys = [b(0x80), b(), b(1, 2), b(0x7f), b(1), b(0), b(0xff, 0), b(1, 2, 0)];
      await store.write({ puts: keys.map((k, i) => put(k, i === 2 ? b() : b(i))) });
      assert.deepEqual(
        [...store.range()].map((e) => hex(e.key)),
        ['', '00', '01', '0102', '010200', '7f', '80', 'ff00'],
      );
      assert.equal(hex(store.get(b())), '01');
      assert.equal(hex(store.get(b(1, 2))), '');
    });

    withStore('range bounds: from inclusive, to exclusive, either may be omitted', async (store) => {
      await store.write({ puts: ['a', 'b', 'c', 'd', 'e'].map((k) => put(s(k), s(k.toUpperCase()))) });
      const keys = (it: Iterable<StoreEntry>): string[] => [...it].map((e) => new TextDecoder().decode(e.key));
      assert.deepEqual(keys(store.range(s('b'), s('d'))), ['b', 'c']);
      assert.deepEqual(keys(store.range(s('b'))), ['b', 'c', 'd', 'e']);
      assert.deepEqual(keys(store.range(undefined, s('c'))), ['a', 'b']);
      assert.deepEqual(keys(store.range(s('bb'), s('dd'))), ['c', 'd']);
      assert.deepEqual(keys(store.range(s('c'), s('c'))), []);
      assert.deepEqual(keys(store.range(s('d'), s('b'))), []);
      assert.deepEqual(keys(store.range(s('z'))), []);
      assert.deepEqual(entries(store.range(s('a'), s('b'))), [[hex(s('a')), hex(s('A'))]]);
    });

    withStore('entries from range and get are independent values', async (store) => {
      await store.write({ puts: Array.from({ length: 50 }, (_, i) => put(b(i), b(i, i))) });
      const all = [...store.range()];
      assert.equal(all.length, 50);
      all.forEach((e, i) => {
        assert.equal(hex(e.key), hex(b(i)));
        assert.equal(hex(e.value), hex(b(i, i)));
      });
      const first = store.get(b(1));
      store.get(b(2));
      assert.equal(hex(first), '0101');
    });

    withStore('the store does not keep references to the caller buffers (Uint8Array or Buffer)', async (store) => {
      const key = s('k');
      const value = s('v1');
      const bufKey = Buffer.from('bk');
      const bufValue = Buffer.from('b1');
      await store.write({ puts: [put(key, value), put(bufKey, bufValue)] });
      value[1] = 0x39;
      key[0] = 0x6a;
      bufValue[1] = 0x39;
      bufKey[0] = 0x6a;
      assert.equal(hex(store.get(s('k'))), hex(s('v1')));
      assert.equal(hex(store.get(s('bk'))), hex(s('b1')));
      assert.deepEqual([...store.range()].map((e) => hex(e.key)), [hex(s('bk')), hex(s('k'))]);
    });

    withStore('ranges interleaved with inserts and deletes stay ordered and exact', async (store) => {
      const model = new Map<string, string>();
      let seed = 7;
      const rnd = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
      for (let round = 0; round < 30; round++) {
        const puts = Array.from({ length: 20 }, () => {
          const k = b(rnd(4), rnd(256));
          const del = rnd(4) === 0;
          if (del) model.delete(hex(k)!);
          else model.set(hex(k)!, hex(b(round))!);
          return put(k, del ? null : b(round));
        });
        await store.write({ puts });
        const lo = b(rnd(4));
        const hi = b(rnd(4) + 1, rnd(256));
        const expected = [...model].filter(([k]) => k >= hex(lo)! && k < hex(hi)!).sort();
        assert.deepEqual(entries(store.range(lo, hi)), expected);
        assert.equal(store.size(), model.size);
      }
    });

    withStore('a batch carries the changelog position; a batch without one keeps it', async (store) => {
      await store.write({ puts: [put(s('a'), s('1'))], changelogPosition: 10 });
      assert.equal(store.changelogPosition(), 10);
      await store.write({ puts: [put(s('b'), s('2'))] });
      assert.equal(store.changelogPosition(), 10);
      await store.write({ puts: [], changelogPosition: 12 });
      assert.equal(store.changelogPosition(), 12);
      assert.equal(store.size(), 2);
    });

    withStore('a batch with puts and deletes of the same key applies in order', async (store) => {
      await store.write({ puts: [put(s('k'), s('1')), put(s('k'), null), put(s('j'), s('2')), put(s('j'), s('3'))] });
      assert.equal(store.get(s('k')), undefined);
      assert.equal(hex(store.get(s('j'))), hex(s('3')));
    });

    withStore('concurrent writes all apply', async (store) => {
      await Promise.all(Array.from({ length: 20 }, (_, i) => store.write({ puts: [put(b(i), b(i))], changelogPosition: i + 1 })));
      assert.equal(store.size(), 20);
      for (let i = 0; i < 20; i++) assert.equal(hex(store.get(b(i))), hex(b(i)));
    });

    withStore('a large batch is applied whole and ranges in order', async (store) => {
      const n = 10_000;
      const key = (i: number): Uint8Array => s(`key-${String(i).padStart(6, '0')}`);
      await store.write({ puts: Array.from({ length: n }, (_, i) => put(key(n - 1 - i), s(String(i)))), changelogPosition: n });
      assert.equal(store.size(), n);
      let prev: Uint8Array | undefined;
      let count = 0;
      for (const e of store.range()) {
        if (prev) assert.ok(Buffer.compare(prev, e.key) < 0);
        prev = e.key;
        count++;
      }
      assert.equal(count, n);
      assert.equal(store.changelogPosition(), n);
    });

    withStore('clear removes every entry and resets the position', async (store) => {
      await store.write({ puts: [put(s('a'), s('1')), put(s('b'), s('2'))], changelogPosition: 5 });
      await store.clear();
      assert.equal(store.size(), 0);
      assert.equal(store.get(s('a')), undefined);
      assert.deepEqual(entries(store.range()), []);
      assert.equal(store.changelogPosition(), 0);
      await store.write({ puts: [put(s('c'), s('3'))], changelogPosition: 1 });
      assert.deepEqual(entries(store.range()), [[hex(s('c')), hex(s('3'))]]);
    });

    withStore('stores with different names are separate', async (store, h) => {
      const other = await h.factory.open('contract-other');
      await store.write({ puts: [put(s('a'), s('1'))], changelogPosition: 3 });
      assert.equal(other.get(s('a')), undefined);
      assert.equal(other.changelogPosition(), 0);
      await other.close();
    });

    withStore('a durable store keeps data and position across close and reopen', async (store, h) => {
      if (!h.durable) return;
      await store.write({ puts: [put(s('a'), s('1')), put(b(), s('empty key'))], changelogPosition: 42 });
      await store.write({ puts: [put(s('b'), s('2')), put(s('a'), null)], changelogPosition: 43 });
      await store.close();
      const again = await h.factory.open('contract');
      assert.equal(again.changelogPosition(), 43);
      assert.deepEqual(entries(again.range()), [[hex(b()), hex(s('empty key'))], [hex(s('b')), hex(s('2'))]]);
      await again.close();
    });

    withStore('destroy removes a closed store', async (store, h) => {
      await store.write({ puts: [put(s('a'), s('1'))], changelogPosition: 7 });
      await store.close();
      await h.factory.destroy('contract');
      const fresh = await h.factory.open('contract');
      assert.equal(fresh.size(), 0);
      assert.equal(fresh.get(s('a')), undefined);
      assert.equal(fresh.changelogPosition(), 0);
    });
  });
}
