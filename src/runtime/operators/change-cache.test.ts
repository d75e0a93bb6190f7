// The record cache: one change per key per flush, emitted in order of last update, the least
// recently updated evicted first when full.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Change } from '../change.ts';
import { ChangeCache } from './change-cache.ts';

const change = (key: string, n: number): Change =>
  ({ row: [key, n], key: [key], old: null, timestamp: n, window: undefined, headers: [], partition: 0, offset: n });

void test('updates of a key merge; a flush emits each key once, in order of last update', () => {
  const out: Change[] = [];
  const cache = new ChangeCache<{ c: Change; first: number }>(1_000_000, (e) => ({ ...e.c, old: [e.first] }), (c) => out.push(c));
  const update = (key: string, n: number): void => {
    const p = cache.pending(key);
    cache.put(key, { c: change(key, n), first: p ? p.first : n });
  };
  update('a', 1);
  update('b', 2);
  update('a', 3);
  update('c', 4);
  update('b', 5);
  update('b', 6);
  assert.equal(out.length, 0);
  cache.flush();
  assert.deepEqual(out.map((c) => [c.key[0], c.row![1], c.old![0]]), [['a', 3, 1], ['c', 4, 4], ['b', 6, 2]]);
  out.length = 0;
  cache.flush();
  assert.equal(out.length, 0);
  update('a', 7);
  cache.flush();
  assert.deepEqual(out.map((c) => [c.key[0], c.row![1], c.old![0]]), [['a', 7, 7]]);
});

void test('a full cache emits its least recently updated key', () => {
  const out: Change[] = [];
  // 512 bytes hold two entries.
  const cache = new ChangeCache<Change>(512, (c) => c, (c) => out.push(c));
  cache.put('a', change('a', 1));
  cache.put('b', change('b', 2));
  cache.put('a', change('a', 3));
  cache.put('c', change('c', 4));
  assert.deepEqual(out.map((c) => c.key[0]), ['b']);
  cache.flush();
  assert.deepEqual(out.map((c) => c.key[0]), ['b', 'a', 'c']);
});
