import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Decimal } from '../../common/decimal.ts';
import { BIGINT, DOUBLE, INTEGER, decimalType } from '../../common/sql-type.ts';
import { call, resolve } from './test-support.ts';

test('ROUND: doubles half toward +infinity, places via BigDecimal.valueOf', () => {
  assert.equal(call('ROUND', [DOUBLE, -1.5]), -1n);
  assert.equal(call('ROUND', [DOUBLE, 1.5]), 2n);
  assert.equal(call('ROUND', [DOUBLE, 12345.678], [INTEGER, 2]), 12345.68);
  assert.equal(call('ROUND', [DOUBLE, -12345.678], [INTEGER, -1]), -12350);
  assert.equal(call('ROUND', [DOUBLE, 1.2], [INTEGER, 10]), 1.2);
});

test('ROUND/TRUNC on DECIMAL keep or drop the scale like ksqlDB', () => {
  const t = decimalType(33, 16);
  const v = Decimal.parse('12345678987654321.2345678987654321');
  const r0 = resolve('ROUND', [[t, v]]);
  assert.ok(!('error' in r0));
  assert.deepEqual(r0.returnType, decimalType(17, 0));
  assert.equal(String(r0.invoke([v])), '12345678987654321');
  assert.equal(String(call('ROUND', [t, v], [INTEGER, 2])), '12345678987654321.2300000000000000');
  assert.equal(String(call('ROUND', [t, v], [INTEGER, -1])), '12345678987654320.0000000000000000');
  assert.equal(String(call('ROUND', [t, v], [INTEGER, 10])), '12345678987654321.2345678988000000');
  assert.equal(String(call('TRUNC', [decimalType(3, 1), Decimal.parse('-1.7')])), '-1');
  assert.equal(String(call('ROUND', [decimalType(3, 1), Decimal.parse('-1.5')])), '-1');
});

test('CEIL/FLOOR keep decimal scale; SIGN of doubles is INT', () => {
  assert.equal(String(call('CEIL', [decimalType(2, 1), Decimal.parse('1.1')])), '2.0');
  assert.equal(String(call('FLOOR', [decimalType(2, 1), Decimal.parse('-1.1')])), '-2.0');
  assert.equal(call('SIGN', [DOUBLE, -3.0]), -1);
  assert.equal(call('ABS', [INTEGER, -2147483648]), -2147483648);
});

test('LOG, SQRT, COT edge values', () => {
  assert.ok(Number.isNaN(call('SQRT', [INTEGER, -1]) as number));
  assert.equal(call('LOG', [BIGINT, 0n]), -Infinity);
  assert.equal(call('LOG', [INTEGER, 15], [INTEGER, 13]), 0.9471572411831843);
  assert.ok(Number.isNaN(call('LOG', [DOUBLE, 1], [DOUBLE, 13]) as number));
  assert.equal(call('COT', [INTEGER, 0]), Infinity);
  assert.equal(call('SQRT', [INTEGER, null]), null);
});

test('GENERATE_SERIES', () => {
  assert.deepEqual(call('GENERATE_SERIES', [INTEGER, 3], [INTEGER, 1]), [3, 2, 1]);
  assert.deepEqual(call('GENERATE_SERIES', [BIGINT, 0n], [BIGINT, 5n], [INTEGER, 2]), [0n, 2n, 4n]);
  assert.throws(() => call('GENERATE_SERIES', [INTEGER, 0], [INTEGER, 5], [INTEGER, -1]), /wrong sign/);
});
