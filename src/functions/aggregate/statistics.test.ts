// CORRELATION, STDDEV_SAMP and STDDEV_SAMPLE against ksqlDB's correlation-udaf.json and
// standarddeviation.json, which pin the exact floating-point results.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BIGINT, DOUBLE, INTEGER, STRING } from '../../common/sql-type.ts';
import { CORRELATION } from './correlation.ts';
import { STDDEV_SAMP, STDDEV_SAMPLE } from './stddev.ts';
import { accumulate, col, outputsOf, resolveError, resolveOk, results } from './testing.ts';

void test('CORRELATION of doubles and longs skips rows with a null', () => {
  const agg = resolveOk(CORRELATION, [col(DOUBLE), col(DOUBLE)]);
  assert.deepEqual(outputsOf(agg, [['+', 1.5, 8.0], ['+', -1.0, -2.0], ['+', -4.5, -1.0], ['+', null, -6.0]]),
    [NaN, 1.0, 0.7580764521133173, 0.7580764521133173]);
  const longs = resolveOk(CORRELATION, [col(BIGINT), col(BIGINT)]);
  assert.deepEqual(outputsOf(longs, [['+', 1n, 8n], ['+', -1n, -2n], ['+', -4n, -1n]]).at(-1), 0.7455284088780169);
  assert.match(resolveError(CORRELATION, [col(STRING), col(DOUBLE)]), /does not accept parameters \(STRING, DOUBLE\)/);
});

void test('CORRELATION on a table (correlation udaf with table)', () => {
  const agg = resolveOk(CORRELATION, [col(DOUBLE), col(DOUBLE)]);
  const out = outputsOf(agg, [
    ['+', 1.5, 8.0], ['+', -3.5, -2.0], ['u', [1.5, 8.0], [-1.0, -2.0]], ['+', -4.5, -1.0],
  ]);
  assert.deepEqual(out, [NaN, 1.0, NaN, -0.7205766921228921]);
});

void test('STDDEV_SAMPLE is the sample standard deviation', () => {
  const ints = resolveOk(STDDEV_SAMPLE, [col(INTEGER)]);
  assert.deepEqual(results(ints, [0, 10, 7, 6]), [0.0, 7.0710678118654755, 5.131601439446884, 4.193248541803041]);
  assert.deepEqual(results(ints, [50, 10, 3, null]), [0.0, 28.284271247461902, 25.357444666211933, 25.357444666211933]);
  const doubles = resolveOk(STDDEV_SAMPLE, [col(DOUBLE)]);
  assert.deepEqual(results(doubles, [9223372036854.775, 300.8, -200000.6, 0.0]),
    [0.0, 6521908912453.693, 5325116385962.54, 4611686051710.689]);
  assert.deepEqual(results(doubles, [10.0, 12.0, 13.0, 14.0, 16.0]),
    [0.0, 1.4142135623730951, 1.5275252316519465, 1.707825127659933, 2.23606797749979]);
});

void test('STDDEV_SAMP returns the sample variance, as ksqlDB does', () => {
  assert.deepEqual(results(resolveOk(STDDEV_SAMP, [col(INTEGER)]), [0, 10, 7, 6]), [0.0, 50.0, 26.333333333333332, 17.583333333333332]);
  assert.deepEqual(results(resolveOk(STDDEV_SAMP, [col(BIGINT)]), [2147483648n, 100n, -2n, null]),
    [0.0, 2.3058427944653343e+18, 1.5372286026580004e+18, 1.5372286026580004e+18]);
  assert.deepEqual(results(resolveOk(STDDEV_SAMP, [col(DOUBLE)]), [9223372036854.775, 300.8, -200000.6, 0.0]),
    [0.0, 4.253529586234292e+25, 2.835686452404674e+25, 2.1267648239542927e+25]);
  assert.deepEqual(results(resolveOk(STDDEV_SAMP, [col(DOUBLE)]), [-1.8, 2.3, 100.2]), [0.0, 8.405, 3334.2033333333347]);
});

void test('STDDEV undo and merge agree with adding the same values', () => {
  const agg = resolveOk(STDDEV_SAMP, [col(DOUBLE)]);
  const undone = outputsOf(agg, [['+', 1], ['+', 100], ['+', 2], ['+', 4], ['-', 100]]).at(-1) as number;
  assert.ok(Math.abs(undone - 2.3333333333333335) < 1e-9);
  const merged = agg.result(agg.merge(accumulate(agg, [1, 2]), accumulate(agg, [4, 8])));
  assert.ok(Math.abs((merged as number) - (agg.result(accumulate(agg, [1, 2, 4, 8])) as number)) < 1e-9);
});
