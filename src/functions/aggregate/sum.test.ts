// SUM, SUM_LIST and AVG against ksqlDB's sum.json, average-udaf.json.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Decimal } from '../../common/decimal.ts';
import { arrayType, BIGINT, decimalType, DOUBLE, INTEGER, STRING } from '../../common/sql-type.ts';
import { AVG } from './avg.ts';
import { SUM } from './sum.ts';
import { SUM_LIST } from './sum-list.ts';
import { accumulate, col, lit, outputsOf, resolveError, resolveOk, results } from './testing.ts';

const dec = (s: string): Decimal => Decimal.parse(s);
const texts = (xs: unknown[]): string[] => xs.map(String);

void test('SUM keeps the argument type: INT, BIGINT, DOUBLE', () => {
  const ints = resolveOk(SUM, [col(INTEGER)]);
  assert.equal(ints.returnType, INTEGER);
  assert.deepEqual(results(ints, [100, null, 5]), [100, 100, 105]);
  assert.deepEqual(results(ints, [2147483647, 1]), [2147483647, -2147483648], 'wraps like Java int');
  assert.deepEqual(results(resolveOk(SUM, [col(BIGINT)]), [2147483648n, 1n]), [2147483648n, 2147483649n]);
  assert.deepEqual(results(resolveOk(SUM, [col(DOUBLE)]), [5.4, 100.1]), [5.4, 105.5]);
});

void test('SUM of a literal adds it per row (sum with constant int arg)', () => {
  const agg = resolveOk(SUM, [lit(INTEGER, 2)]);
  assert.equal(agg.inputArgCount, 1);
  assert.deepEqual(results(agg, [2, 2, 2]), [2, 4, 6]);
});

void test('SUM of DECIMAL keeps precision and scale, and overflows past the precision', () => {
  const agg = resolveOk(SUM, [col(decimalType(4, 1))]);
  assert.deepEqual(agg.returnType, decimalType(4, 1));
  assert.deepEqual(texts(results(agg, [dec('5.4'), dec('100.1')])), ['5.4', '105.5']);
  const acc = accumulate(agg, [dec('500.9'), dec('300.8')]);
  assert.equal(String(agg.result(acc)), '801.7');
  assert.throws(() => agg.add(acc, [dec('400.8')]), /Numeric field overflow/);
  const narrow = resolveOk(SUM, [col(decimalType(3, 1))]);
  assert.throws(() => accumulate(narrow, [dec('50.9'), dec('50.8')]), /Numeric field overflow/);
});

void test('SUM on a table: undo subtracts, null values count as nothing (sum.json left join)', () => {
  const agg = resolveOk(SUM, [col(INTEGER)]);
  assert.deepEqual(outputsOf(agg, [['+', null], ['u', [null], [5]], ['u', [5], [20]], ['-', 20]]), [0, 5, 20, 0]);
});

void test('SUM rejects non-numeric arguments', () => {
  assert.match(resolveError(SUM, [col(STRING)]), /^Function 'SUM' does not accept parameters \(STRING\)\./);
});

void test('SUM_LIST sums the elements, skipping null elements', () => {
  const agg = resolveOk(SUM_LIST, [col(arrayType(INTEGER))]);
  assert.equal(agg.returnType, INTEGER);
  assert.deepEqual(results(agg, [[1, 1], [2, 2], [100, 100], [100, 100, null], null]), [2, 6, 206, 406, 406]);
  const longs = resolveOk(SUM_LIST, [col(arrayType(BIGINT))]);
  assert.deepEqual(results(longs, [[1n, 1n], [2n, null]]), [2n, 4n]);
  assert.match(resolveError(SUM_LIST, [col(INTEGER)]), /does not accept parameters \(INTEGER\)/);
});

void test('AVG on a table (average-udaf.json)', () => {
  const agg = resolveOk(AVG, [col(INTEGER)]);
  assert.equal(agg.returnType, DOUBLE);
  // alice=1, bob=2, alice=null, alice=4
  assert.deepEqual(outputsOf(agg, [['+', 1], ['+', 2], ['u', [1], [null]], ['u', [null], [4]]]), [1.0, 1.5, 2.0, 3.0]);
});

void test('AVG is 0.0 before any value; DECIMAL widens to DOUBLE; merge combines', () => {
  const agg = resolveOk(AVG, [col(DOUBLE)]);
  assert.equal(agg.result(agg.initial()), 0.0);
  const d = resolveOk(AVG, [col(decimalType(4, 2))]);
  assert.deepEqual(results(d, [dec('1.50'), dec('2.50')]), [1.5, 2.0]);
  const a = accumulate(agg, [1, 2]);
  const b = accumulate(agg, [6]);
  assert.equal(agg.result(agg.merge(a, b)), 3.0);
});
