// Internal binary codec round trips and order-preserving key bytes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  arrayType, BIGINT, BOOLEAN, BYTES, DATE, decimalType, DOUBLE, INTEGER, mapType, STRING, structType, TIME, TIMESTAMP,
} from '../common/sql-type.ts';
import { Decimal } from '../common/decimal.ts';
import { compareBytes, decodeInternal, decodeKeyBytes, encodeInternal, encodeKeyBytes, internalRowCodec } from './internal-codec.ts';

void test('every type round-trips, nulls included', () => {
  const cases: [Parameters<typeof encodeInternal>[0], unknown][] = [
    [BOOLEAN, true], [INTEGER, -2147483648], [INTEGER, 2147483647], [BIGINT, -(2n ** 63n)], [BIGINT, 998877665544332211n],
    [DOUBLE, -0.1], [DOUBLE, NaN], [DECIMAL(), Decimal.parse('-12345678901234567890.1200')], [DECIMAL(), Decimal.parse('0.00')],
    [STRING, 'héllo 😀'], [STRING, ''], [BYTES, new Uint8Array([0, 255, 7])], [TIMESTAMP, 1700000000123], [DATE, -10], [TIME, 86399999],
    [arrayType(STRING), ['a', null, 'b']], [mapType(STRING, BIGINT), new Map([['x', 1n], ['y', null]])],
    [structType([{ name: 'A', type: INTEGER }, { name: 'b', type: arrayType(DOUBLE) }]), { A: null, b: [1.5] }],
    [INTEGER, null],
  ];
  for (const [type, value] of cases) {
    const back = decodeInternal(type, encodeInternal(type, value));
    if (value instanceof Decimal) assert.ok(value.equalsExact(back as Decimal), String(value));
    else assert.deepEqual(back, value);
  }
});

function DECIMAL(): ReturnType<typeof decimalType> {
  return decimalType(30, 4);
}

void test('row codec keeps null rows and is compact', () => {
  const codec = internalRowCodec([INTEGER, STRING, DOUBLE]);
  assert.equal(codec.decode(codec.encode(null)), null);
  const bytes = codec.encode([1, 'ab', null]);
  assert.equal(bytes.length, 1 + 2 + 4 + 1);
  assert.deepEqual(codec.decode(bytes), [1, 'ab', null]);
  assert.throws(() => codec.decode(bytes.subarray(0, 3)), /unexpected end/);
});

void test('key bytes sort like the values', () => {
  const sorted: unknown[][] = [
    [null], [false], [true], [-Infinity], [-1.5], [-0], [0], [1e-300], [2], [2.5], [1e300], [Infinity], [NaN],
    [-(2n ** 63n)], [-1n], [0n], [1n], [2n ** 63n - 1n],
    [Decimal.parse('-10')], [Decimal.parse('-9.5')], [Decimal.parse('-0.001')], [Decimal.parse('0')],
    [Decimal.parse('0.001')], [Decimal.parse('1.5')], [Decimal.parse('1.50')], [Decimal.parse('9')], [Decimal.parse('10')],
    [''], ['a'], ['a\u0000'], ['a\u0000b'], ['ab'], ['b'], ['é'],
    [new Uint8Array([])], [new Uint8Array([0])], [new Uint8Array([0, 0])], [new Uint8Array([1])],
    [['a']], [['a', 'b']], [['b']],
    [{ F: 1 }], [{ F: 2 }],
  ];
  const encoded = sorted.map(encodeKeyBytes);
  for (let i = 1; i < encoded.length; i++) {
    assert.ok(compareBytes(encoded[i - 1]!, encoded[i]!) < 0, `${String(sorted[i - 1])} < ${String(sorted[i])}`);
  }
  for (let i = 0; i < sorted.length; i++) {
    const back = decodeKeyBytes(encoded[i]!);
    const v = sorted[i]![0];
    if (v instanceof Decimal) assert.ok(v.equalsExact(back[0] as Decimal));
    else assert.deepEqual(back, sorted[i]);
  }
});

void test('key + window start: a key prefix bounds its windows', () => {
  const k = encodeKeyBytes(['user1']);
  const w1 = encodeKeyBytes(['user1', 1000]);
  const w2 = encodeKeyBytes(['user1', 2000]);
  const other = encodeKeyBytes(['user10', 0]);
  assert.deepEqual([...w1.subarray(0, k.length)], [...k]);
  assert.ok(compareBytes(w1, w2) < 0);
  assert.ok(compareBytes(w2, other) < 0);
  assert.throws(() => encodeKeyBytes([new Map()]), /MAP/);
});
