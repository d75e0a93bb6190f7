// ATTR against ksqlDB's attr.json.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { arrayType, INTEGER, STRING, structType } from '../../common/sql-type.ts';
import { ATTR } from './attr.ts';
import { accumulate, col, outputsOf, resolveOk, results } from './testing.ts';

void test('ATTR returns the value while every row agrees, null counting as a value', () => {
  const agg = resolveOk(ATTR, [col(STRING)]);
  assert.equal(agg.returnType, STRING);
  assert.deepEqual(results(agg, ['s', 's', 's']), ['s', 's', 's']);
  assert.deepEqual(results(agg, [null, null]), [null, null]);
  assert.deepEqual(results(agg, ['1', '2', '3']), ['1', null, null]);
  assert.deepEqual(results(agg, ['1', null, '1']), ['1', null, null]);
  assert.deepEqual(results(agg, [null, '2', '2']), [null, null, null]);
});

void test('ATTR compares arrays and structs by content', () => {
  const arrays = resolveOk(ATTR, [col(arrayType(INTEGER))]);
  assert.deepEqual(results(arrays, [[1, 2, 3], [1, 2, 3]]), [[1, 2, 3], [1, 2, 3]]);
  const structs = resolveOk(ATTR, [col(structType([{ name: 'A', type: STRING }]))]);
  assert.deepEqual(results(structs, [{ A: 'a' }, { A: 'a' }]).at(-1), { A: 'a' });
});

void test('ATTR on a table: the disagreeing row can be retracted', () => {
  const agg = resolveOk(ATTR, [col(STRING)]);
  assert.deepEqual(outputsOf(agg, [['+', 'a'], ['+', 'b'], ['u', ['b'], ['a']]]), ['a', null, 'a']);
  assert.equal(agg.result(agg.merge(accumulate(agg, ['a']), accumulate(agg, ['a']))), 'a');
  assert.equal(agg.result(agg.merge(accumulate(agg, ['a']), accumulate(agg, ['b']))), null);
});
