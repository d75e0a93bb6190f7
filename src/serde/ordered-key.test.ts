// encodeKeyString is the latin1 text of encodeKeyBytes for every tuple, including those its fast
// path builds without bytes (ASCII strings, numbers), and keyStringBytes inverts it.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Decimal } from '../common/decimal.ts';
import { encodeKeyBytes, encodeKeyString, keyStringBytes } from './ordered-key.ts';

const tuples: unknown[][] = [
  [], [''], ['user_00042'], ['a', 'b'], ['\u007f~ '], ['a\u0000b'], ['é'], ['日本'], ['\ud83d\ude00'],
  [0], [-0], [1.5], [-1.5], [NaN], [Infinity], [-Infinity], [1e300], [-1e-300],
  ['user_1', 1000], [1000, 'user_1'], ['x', -2, 'y'],
  [null], [true], [5n], [Decimal.parse('1.50')], [new Uint8Array([0, 1])], [['a']], [{ F: 1 }], ['a', null], ['é', 3],
];

void test('the key string is the latin1 text of the key bytes', () => {
  for (const t of tuples) {
    const bytes = encodeKeyBytes(t);
    const s = encodeKeyString(t);
    assert.equal(s, Buffer.from(bytes).toString('latin1'), JSON.stringify(t, (_, v) => (typeof v === 'bigint' ? `${v}n` : v)));
    assert.deepEqual([...keyStringBytes(s)], [...bytes]);
  }
});
