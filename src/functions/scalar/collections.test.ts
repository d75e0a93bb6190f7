import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Decimal } from '../../common/decimal.ts';
import { arrayType, BOOLEAN, DOUBLE, INTEGER, mapType, STRING, decimalType } from '../../common/sql-type.ts';
import type { LambdaValue } from '../function-types.ts';
import { scalarFunctions } from './index.ts';
import { call } from './test-support.ts';

const ints = (v: (number | null)[] | null) => [arrayType(INTEGER), v] as const;

test('set operations keep first-seen order, Java equality', () => {
  assert.deepEqual(call('ARRAY_DISTINCT', ints([3, 1, 3, null, null])), [3, 1, null]);
  assert.deepEqual(call('ARRAY_EXCEPT', ints([1, 2, 2, 3]), ints([2])), [1, 3]);
  assert.deepEqual(call('ARRAY_INTERSECT', ints([3, 1, 2]), ints([2, 3])), [3, 2]);
  assert.deepEqual(call('ARRAY_UNION', ints([1, 2]), ints([2, 3])), [1, 2, 3]);
  assert.equal(call('ARRAY_CONTAINS', ints([1, null]), null), true);
  const d = arrayType(decimalType(3, 2));
  assert.equal(call('ARRAY_CONTAINS', [d, [Decimal.parse('1.00')]], [decimalType(3, 2), Decimal.parse('1.00')]), true);
});

test('sorting, min/max, slice, join', () => {
  assert.deepEqual(call('ARRAY_SORT', ints([3, null, 1])), [1, 3, null]);
  assert.deepEqual(call('ARRAY_SORT', ints([3, null, 1]), [STRING, 'desc']), [3, 1, null]);
  assert.equal(call('ARRAY_SORT', ints([1]), [STRING, 'sideways']), null);
  assert.equal(call('ARRAY_MAX', ints([1, null, 7])), 7);
  assert.deepEqual(call('SLICE', ints([1, 2, 3, 4]), [INTEGER, 2], [INTEGER, 3]), [2, 3]);
  assert.equal(call('SLICE', ints([1, 2]), [INTEGER, 0], [INTEGER, 1]), null);
  assert.equal(call('ARRAY_JOIN', [arrayType(DOUBLE), [1, 2.5, null]]), '1.0,2.5,null');
  assert.equal(call('ARRAY_JOIN', ints([1, 2]), [STRING, '|']), '1|2');
});

test('maps and entries', () => {
  const m = new Map([['b', 2], ['a', 1]]);
  assert.deepEqual(call('ENTRIES', [mapType(STRING, INTEGER), m], [BOOLEAN, true]), [{ K: 'a', V: 1 }, { K: 'b', V: 2 }]);
  assert.deepEqual(call('AS_MAP', [arrayType(STRING), ['x', 'y']], ints([1])), new Map([['x', 1], ['y', null]]));
  assert.deepEqual(call('MAP_UNION', [mapType(STRING, INTEGER), m], [mapType(STRING, INTEGER), null]), m);
  assert.deepEqual(call('MAP_KEYS', [mapType(STRING, INTEGER), m]), ['b', 'a']);
});

test('lambdas: parameter types, TRANSFORM/FILTER/REDUCE', () => {
  const transform = scalarFunctions.find((f) => f.doc.name === 'TRANSFORM')!;
  const arr = { type: { kind: 'value', type: arrayType(INTEGER) } } as const;
  assert.deepEqual(transform.lambdaParamTypes!([arr], 1), [INTEGER]);
  const r = transform.resolve([arr, { type: { kind: 'lambda', params: [INTEGER], returns: STRING } }]);
  assert.ok(!('error' in r));
  assert.deepEqual(r.returnType, arrayType(STRING));
  assert.deepEqual(r.invoke([[1, 2], ((x: number) => `#${x}`) as LambdaValue]), ['#1', '#2']);

  const reduce = scalarFunctions.find((f) => f.doc.name === 'REDUCE')!;
  const init = { type: { kind: 'value', type: INTEGER } } as const;
  assert.deepEqual(reduce.lambdaParamTypes!([arr, init], 2), [INTEGER, INTEGER]);
  const red = reduce.resolve([arr, init, { type: { kind: 'lambda', params: [INTEGER, INTEGER], returns: INTEGER } }]);
  assert.ok(!('error' in red));
  const sum = ((s: number, x: number | null) => (x === null ? null : s + x)) as LambdaValue;
  assert.equal(red.invoke([[3, 6], 2, sum]), 11);
  assert.equal(red.invoke([null, 2, sum]), 2);
  assert.equal(red.invoke([[1], null, sum]), null);

  const filter = scalarFunctions.find((f) => f.doc.name === 'FILTER')!;
  const mp = { type: { kind: 'value', type: mapType(STRING, INTEGER) } } as const;
  assert.deepEqual(filter.lambdaParamTypes!([mp], 1), [STRING, INTEGER]);
  const fr = filter.resolve([mp, { type: { kind: 'lambda', params: [STRING, INTEGER], returns: BOOLEAN } }]);
  assert.ok(!('error' in fr));
  assert.deepEqual(fr.invoke([new Map([['a', 1], ['b', 6]]), ((_k: string, v: number) => v > 5) as LambdaValue]), new Map([['b', 6]]));
});
