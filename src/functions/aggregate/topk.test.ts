// TOPK and TOPKDISTINCT against ksqlDB's topk-group-by.json and topk-distinct.json.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { arrayType, BIGINT, BYTES, INTEGER, STRING, structType } from '../../common/sql-type.ts';
import { accumulate, col, lit, resolveError, resolveOk, results } from './testing.ts';
import { TOPK } from './topk.ts';
import { TOPKDISTINCT } from './topk-distinct.ts';

void test('TOPK(col, k) keeps the k largest, duplicates included', () => {
  const agg = resolveOk(TOPK, [col(INTEGER), lit(INTEGER, 3)]);
  assert.deepEqual(agg.returnType, arrayType(INTEGER));
  assert.equal(agg.inputArgCount, 1);
  assert.deepEqual(results(agg, [0, 100, 99, 7, 100]), [[0], [100, 0], [100, 99, 0], [100, 99, 7], [100, 100, 99]]);
  assert.deepEqual(results(resolveOk(TOPK, [col(STRING), lit(INTEGER, 3)]), ['a', 'b', 'c', 'b', 'd']).at(-1), ['d', 'c', 'b']);
});

void test('TOPK with other columns returns structs; null sort values are skipped', () => {
  const agg = resolveOk(TOPK, [col(INTEGER), col(STRING), lit(INTEGER, 3)]);
  assert.deepEqual(agg.returnType, arrayType(structType([{ name: 'sort_col', type: INTEGER }, { name: 'col0', type: STRING }])));
  assert.equal(agg.inputArgCount, 2);
  let acc = agg.initial();
  for (const [v, name] of [[0, 'zero'], [100, 'one'], [99, 'two'], [null, 'three'], [100, null]]) acc = agg.add(acc, [v, name]);
  assert.deepEqual(agg.result(acc), [
    { sort_col: 100, col0: 'one' }, { sort_col: 100, col0: null }, { sort_col: 99, col0: 'two' },
  ]);
});

void test('TOPK needs a literal k and a comparable column', () => {
  assert.equal(resolveError(TOPK, [col(INTEGER), col(INTEGER, 'F0')]),
    "Parameter 2 passed to function TOPK must be a literal constant, but was expression: 'F0'");
  assert.match(resolveError(TOPK, [col(arrayType(INTEGER)), lit(INTEGER, 3)]), /does not accept parameters \(ARRAY<INTEGER>, INTEGER\)/);
});

void test('TOPK merges two windows', () => {
  const agg = resolveOk(TOPK, [col(BIGINT), lit(INTEGER, 2)]);
  assert.deepEqual(agg.merge(accumulate(agg, [1n, 5n]), accumulate(agg, [3n])), [5n, 3n]);
});

void test('TOPKDISTINCT keeps the k largest distinct values', () => {
  const agg = resolveOk(TOPKDISTINCT, [col(INTEGER), lit(INTEGER, 3)]);
  assert.deepEqual(results(agg, [0, 100, 99, 7, 100]), [[0], [100, 0], [100, 99, 0], [100, 99, 7], [100, 99, 7]]);
  const bytes = resolveOk(TOPKDISTINCT, [col(BYTES), lit(INTEGER, 3)]);
  const b = (c: string): Uint8Array => Uint8Array.from(Buffer.from(c));
  assert.deepEqual(results(bytes, [b('B'), b('F'), b('G'), null, b('A'), b('F')]).at(-1), [b('G'), b('F'), b('B')]);
  assert.deepEqual(agg.merge(accumulate(agg, [1, 5]), accumulate(agg, [5, 3])), [5, 3, 1]);
});
