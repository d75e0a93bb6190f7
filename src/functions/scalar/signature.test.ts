import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Decimal } from '../../common/decimal.ts';
import { arrayType, BIGINT, DOUBLE, INTEGER, STRING, TIME, TIMESTAMP, decimalType } from '../../common/sql-type.ts';
import { call, resolve } from './test-support.ts';

test('exact overload wins before widening (ABS INT stays INT)', () => {
  const r = resolve('ABS', [[INTEGER, -3]]);
  assert.ok(!('error' in r));
  assert.equal(r.returnType.kind, 'INTEGER');
});

test('implicit widening INT/BIGINT/DECIMAL -> DOUBLE (GEO_DISTANCE)', () => {
  const d = call('GEO_DISTANCE', [DOUBLE, 37.4439], [DOUBLE, -122.1663], [INTEGER, 51], { literal: [INTEGER, 0] });
  assert.equal(d, 8682.459061368269);
  const e = call('GEO_DISTANCE', [DOUBLE, 37.4439], [DOUBLE, -122.1663], [decimalType(3, 1), Decimal.parse('51.0')], [BIGINT, 0n]);
  assert.equal(e, 8682.459061368269);
});

test('string literals do not widen to numbers', () => {
  const r = resolve('GEO_DISTANCE', [[DOUBLE, 1], [DOUBLE, 1], { literal: [STRING, 'foo'] }, [INTEGER, 0]]);
  assert.ok('error' in r);
  assert.match(r.error, /^Function 'geo_distance' does not accept parameters \(DOUBLE, DOUBLE, STRING, INTEGER\)\.\nValid alternatives are:/);
});

test('ambiguity and no-match messages (GREATEST/LEAST)', () => {
  const amb = resolve('GREATEST', [[INTEGER, 1], [BIGINT, 1n], [decimalType(50, 30), null]]);
  assert.deepEqual(amb, { error: "Function 'greatest' cannot be resolved due to ambiguous method parameters (INTEGER, BIGINT, DECIMAL(50, 30))." });
  const nulls = resolve('LEAST', [null, null, null, null]);
  assert.ok('error' in nulls && nulls.error.includes('ambiguous method parameters (null, null, null, null).'));
  const none = resolve('GREATEST', []);
  assert.ok('error' in none && none.error.startsWith("Function 'greatest' does not accept parameters ()."));
  const mixed = resolve('LEAST', [[STRING, 'a'], [INTEGER, 1]]);
  assert.ok('error' in mixed && mixed.error.startsWith("Function 'least' does not accept parameters (STRING, INTEGER)."));
});

test('variadic widening to DOUBLE and temporal literals', () => {
  assert.equal(call('GREATEST', [INTEGER, -1], [BIGINT, 1000000000000n], [decimalType(30, 18), Decimal.parse('99999.99999')], [DOUBLE, null], null), 1000000000000);
  assert.equal(call('GREATEST', [INTEGER, 2147483647], [INTEGER, -2147483648], [INTEGER, null], null, { literal: [INTEGER, 5] }), 2147483647);
  assert.equal(call('GREATEST', [TIME, 10], { literal: [STRING, '09:16:00'] }), 33360000);
  assert.equal(call('LEAST', [TIMESTAMP, 1657756800000], { literal: [STRING, '2022-06-14'] }), 1655164800000);
  const dec = resolve('GREATEST', [[decimalType(9, 2), null], [decimalType(7, 6), null]]);
  assert.ok(!('error' in dec) && dec.returnType.kind === 'DECIMAL' && dec.returnType.precision === 13 && dec.returnType.scale === 6);
});

test('generics: IFNULL widens the second argument to the first type', () => {
  assert.equal(call('IFNULL', [BIGINT, null], { literal: [INTEGER, 10] }), 10n);
  assert.deepEqual(call('IFNULL', [arrayType(INTEGER), null], [arrayType(INTEGER), [10, 20]]), [10, 20]);
  const r = resolve('COALESCE', []);
  assert.ok('error' in r && r.error.includes("Function 'COALESCE' does not accept parameters ()"));
});
