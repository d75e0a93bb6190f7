// COLLECT_LIST, COLLECT_SET and HISTOGRAM against ksqlDB's collect-list.json, collect-set.json
// and histogram.json.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { arrayType, BIGINT, BYTES, INTEGER, mapType, STRING, structType } from '../../common/sql-type.ts';
import { collectList } from './collect-list.ts';
import { collectSet } from './collect-set.ts';
import { HISTOGRAM } from './histogram.ts';
import { accumulate, col, outputsOf, resolveError, resolveOk, results } from './testing.ts';

const COLLECT_LIST = collectList(1000);
const COLLECT_SET = collectSet(1000);

void test('COLLECT_LIST keeps every value, nulls included', () => {
  const agg = resolveOk(COLLECT_LIST, [col(STRING)]);
  assert.deepEqual(agg.returnType, arrayType(STRING));
  assert.deepEqual(results(agg, ['baz', 'baz', 'foo', null]).at(-1), ['baz', 'baz', 'foo', null]);
});

void test('COLLECT_LIST of maps and arrays', () => {
  const agg = resolveOk(COLLECT_LIST, [col(arrayType(INTEGER))]);
  assert.deepEqual(results(agg, [[0, 1], [0, 1]]).at(-1), [[0, 1], [0, 1]]);
  const maps = resolveOk(COLLECT_LIST, [col(mapType(STRING, BIGINT))]);
  assert.deepEqual(results(maps, [new Map([['Record0', 1n]])]).at(-1), [new Map([['Record0', 1n]])]);
});

void test('COLLECT_LIST on a table replaces the updated value', () => {
  const agg = resolveOk(COLLECT_LIST, [col(INTEGER)]);
  assert.deepEqual(outputsOf(agg, [['+', 0], ['u', [0], [100]]]), [[0], [100]]);
  assert.deepEqual(outputsOf(agg, [['+', 1], ['+', 2], ['+', 1], ['-', 1]]).at(-1), [2, 1]);
});

void test('COLLECT_LIST honours its limit, also when merging', () => {
  const agg = resolveOk(collectList(1), [col(INTEGER)]);
  assert.deepEqual(results(agg, [0, 100]), [[0], [0]]);
  const two = resolveOk(collectList(3), [col(INTEGER)]);
  assert.deepEqual(two.merge(accumulate(two, [1, 2]), accumulate(two, [3, 4])), [1, 2, 3]);
});

void test('COLLECT_SET keeps distinct values in first-seen order, null included', () => {
  const agg = resolveOk(COLLECT_SET, [col(STRING)]);
  assert.deepEqual(results(agg, ['baz', 'baz', 'foo', null, null]), [['baz'], ['baz'], ['baz', 'foo'], ['baz', 'foo', null], ['baz', 'foo', null]]);
  assert.equal(agg.undo, undefined, 'stream-only');
});

void test('COLLECT_SET compares maps, structs and bytes by content', () => {
  const maps = resolveOk(COLLECT_SET, [col(mapType(STRING, BIGINT))]);
  const m1 = new Map([['Record0', 100n], ['Record2', 2n]]);
  const m2 = new Map([['Record2', 2n], ['Record0', 100n]]);
  assert.deepEqual(results(maps, [m1, m2]).at(-1), [m1]);
  const structs = resolveOk(COLLECT_SET, [col(structType([{ name: 'A', type: STRING }, { name: 'B', type: BIGINT }]))]);
  assert.deepEqual(results(structs, [{ A: 'a', B: 1n }, { A: 'a', B: 1n }, { A: 'a', B: 2n }]).at(-1), [{ A: 'a', B: 1n }, { A: 'a', B: 2n }]);
  const arrays = resolveOk(COLLECT_SET, [col(arrayType(INTEGER))]);
  assert.deepEqual(results(arrays, [[0, 0, 1], [0, 0, 1]]).at(-1), [[0, 0, 1]]);
  const bytes = resolveOk(COLLECT_SET, [col(BYTES)]);
  assert.deepEqual(results(bytes, [Uint8Array.of(0x61), Uint8Array.of(0x62), Uint8Array.of(0x62)]).at(-1),
    [Uint8Array.of(0x61), Uint8Array.of(0x62)]);
});

void test('COLLECT_SET merge is a union', () => {
  const agg = resolveOk(COLLECT_SET, [col(INTEGER)]);
  assert.deepEqual(agg.merge(accumulate(agg, [1, 2]), accumulate(agg, [2, 3])), [1, 2, 3]);
});

void test('HISTOGRAM counts each string (histogram.json)', () => {
  const agg = resolveOk(HISTOGRAM, [col(STRING)]);
  assert.deepEqual(agg.returnType, mapType(STRING, BIGINT));
  assert.deepEqual(results(agg, ['baz', 'baz', 'foo', null]).at(-1), new Map([['baz', 2n], ['foo', 1n]]));
  assert.deepEqual(outputsOf(agg, [['+', 'a'], ['u', ['a'], ['b']]]).at(-1), new Map([['b', 1n]]));
  assert.deepEqual(agg.merge(accumulate(agg, ['a']), accumulate(agg, ['a', 'b'])), new Map([['a', 2n], ['b', 1n]]));
  assert.match(resolveError(HISTOGRAM, [col(INTEGER)]), /does not accept parameters \(INTEGER\)/);
});
