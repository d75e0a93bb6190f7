// COUNT and COUNT_DISTINCT against ksqlDB's count.json / count-distinct.json.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BIGINT, INTEGER, STRING } from '../../common/sql-type.ts';
import { COUNT } from './count.ts';
import { COUNT_DISTINCT } from './count-distinct.ts';
import { accumulate, col, lit, outputsOf, resolveError, resolveOk, results } from './testing.ts';

void test('COUNT() counts every row', () => {
  const agg = resolveOk(COUNT, []);
  assert.equal(agg.returnType, BIGINT);
  assert.equal(agg.inputArgCount, 0);
  assert.deepEqual(outputsOf(agg, [['+'], ['+'], ['+']]), [1n, 2n, 3n]);
});

void test('COUNT(col) skips nulls; COUNT(1) counts every row', () => {
  assert.deepEqual(results(resolveOk(COUNT, [col(STRING)]), ['a', null, 'b']), [1n, 1n, 2n]);
  const literal = resolveOk(COUNT, [lit(INTEGER, 1)]);
  assert.equal(literal.inputArgCount, 1);
  assert.deepEqual(results(literal, [1, 1]), [1n, 2n]);
});

void test('COUNT on a table counts back to zero (count.json)', () => {
  const agg = resolveOk(COUNT, []);
  assert.deepEqual(outputsOf(agg, [['+'], ['+'], ['-'], ['-']]), [1n, 2n, 1n, 0n]);
  const byCol = resolveOk(COUNT, [col(BIGINT)]);
  assert.deepEqual(outputsOf(byCol, [['+', 3n], ['+', null], ['-', null], ['-', 3n]]), [1n, 1n, 1n, 0n]);
});

void test('COUNT merges session windows and rejects two arguments', () => {
  const agg = resolveOk(COUNT, []);
  assert.equal(agg.merge(2n, 3n), 5n);
  assert.match(resolveError(COUNT, [col(INTEGER), col(INTEGER)]), /^Function 'COUNT' does not accept parameters \(INTEGER, INTEGER\)/);
});

void test('COUNT_DISTINCT counts distinct non-null values (count-distinct.json)', () => {
  const agg = resolveOk(COUNT_DISTINCT, [col(STRING)]);
  assert.deepEqual(results(agg, ['one', 'two', 'one', 'two', null]), [1n, 2n, 2n, 2n, 2n]);
  const a = accumulate(agg, ['x', 'y']);
  const b = accumulate(agg, ['y', 'z', 'w']);
  assert.equal(agg.result(agg.merge(a, b)), 4n);
  assert.equal(agg.undo, undefined);
});
