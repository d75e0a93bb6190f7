// MIN and MAX against ksqlDB's max-group-by.json / min-group-by.json.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Decimal } from '../../common/decimal.ts';
import { BIGINT, BOOLEAN, BYTES, DATE, decimalType, DOUBLE, STRING, TIMESTAMP } from '../../common/sql-type.ts';
import { MAX, MIN } from './min-max.ts';
import { accumulate, col, resolveError, resolveOk, results } from './testing.ts';

void test('MAX over BIGINT ignores nulls', () => {
  const agg = resolveOk(MAX, [col(BIGINT)]);
  assert.equal(agg.returnType, BIGINT);
  assert.equal(agg.undo, undefined, 'stream-only');
  assert.deepEqual(results(agg, [null, -1000000n, 5n, null, 9223372036854775807n, 100n]),
    [null, -1000000n, 5n, 5n, 9223372036854775807n, 9223372036854775807n]);
});

void test('MAX over DOUBLE, STRING, DATE and TIMESTAMP', () => {
  assert.deepEqual(results(resolveOk(MAX, [col(DOUBLE)]), [-1000000.123, 0.0, 5.1, null]), [-1000000.123, 0.0, 5.1, 5.1]);
  assert.deepEqual(results(resolveOk(MAX, [col(STRING)]), ['B', 'A', null]), ['B', 'B', 'B']);
  assert.deepEqual(results(resolveOk(MAX, [col(DATE)]), [-100, 5, 1000, 100]), [-100, 5, 1000, 1000]);
  assert.deepEqual(results(resolveOk(MIN, [col(TIMESTAMP)]), [-100, 5, -2147483647]), [-100, -100, -2147483647]);
});

void test('MIN over DECIMAL compares values', () => {
  const agg = resolveOk(MIN, [col(decimalType(4, 2))]);
  const out = results(agg, [null, '21.79', '1.10', null, '-01.79'].map((s) => (s === null ? null : Decimal.parse(s))));
  assert.deepEqual(out.map((d) => (d === null ? null : String(d))), [null, '21.79', '1.10', '1.10', '-1.79']);
});

void test('MAX over BYTES compares like Java ByteBuffer (signed bytes)', () => {
  const agg = resolveOk(MAX, [col(BYTES)]);
  const b = (...xs: number[]): Uint8Array => Uint8Array.from(xs);
  assert.deepEqual(results(agg, [b(0x42), b(0x41), b(0x47)]), [b(0x42), b(0x42), b(0x47)]);
  assert.deepEqual(results(agg, [b(0x7f), b(0x80)]), [b(0x7f), b(0x7f)], '0x80 is -128');
});

void test('MIN/MAX merge session windows; BOOLEAN is rejected', () => {
  const agg = resolveOk(MAX, [col(BIGINT)]);
  assert.equal(agg.merge(accumulate(agg, [1n]), accumulate(agg, [7n, 3n])), 7n);
  assert.equal(agg.merge(null, 2n), 2n);
  assert.match(resolveError(MIN, [col(BOOLEAN)]), /Function 'MIN' does not accept parameters \(BOOLEAN\)/);
});
