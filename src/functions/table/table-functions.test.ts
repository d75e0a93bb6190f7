// EXPLODE and CUBE_EXPLODE against ksqlDB's explode.json, table-functions.json and cube.json.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { arrayType, BIGINT, decimalType, INTEGER, mapType, STRING } from '../../common/sql-type.ts';
import type { ArgInfo, ResolvedTableFunction, TableFunction } from '../function-types.ts';
import { CUBE_EXPLODE } from './cube-explode.ts';
import { EXPLODE } from './explode.ts';

const col = (type: Parameters<typeof arrayType>[0]): ArgInfo => ({ type: { kind: 'value', type } });
function resolveOk(fn: TableFunction, args: ArgInfo[]): ResolvedTableFunction {
  const r = fn.resolve(args);
  if ('error' in r) throw new Error(r.error);
  return r;
}

void test('EXPLODE yields one row per element, none for empty or null arrays', () => {
  const f = resolveOk(EXPLODE, [col(arrayType(BIGINT))]);
  assert.equal(f.returnType, BIGINT);
  assert.deepEqual(f.invoke([[1n, 2n]]), [1n, 2n]);
  assert.deepEqual(f.invoke([[]]), []);
  assert.deepEqual(f.invoke([null]), []);
  assert.deepEqual(resolveOk(EXPLODE, [col(arrayType(decimalType(5, 2)))]).returnType, decimalType(5, 2));
});

void test('EXPLODE rejects a map with ksqlDB\'s message', () => {
  const r = EXPLODE.resolve([col(mapType(STRING, INTEGER))]);
  assert.ok('error' in r);
  assert.equal(r.error, "Function 'explode' does not accept parameters (MAP<STRING, INTEGER>).\n" +
    'Valid alternatives are:\nexplode(ARRAY<DECIMAL> input)\nexplode(ARRAY<T> list)');
});

void test('CUBE_EXPLODE yields every grouping set (cube.json)', () => {
  const f = resolveOk(CUBE_EXPLODE, [col(arrayType(STRING))]);
  assert.deepEqual(f.returnType, arrayType(STRING));
  assert.deepEqual(f.invoke([['one', 'two']]), [[null, null], [null, 'two'], ['one', null], ['one', 'two']]);
  assert.equal(f.invoke([[1, 2, 3]]).length, 8);
  assert.deepEqual(f.invoke([[1, null]]), [[null, null], [1, null]], 'a null element does not duplicate rows');
  assert.deepEqual(f.invoke([null]), []);
});
