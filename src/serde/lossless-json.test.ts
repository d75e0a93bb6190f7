// Lossless JSON: number lexemes kept, comments stripped outside strings.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JsonNumber, parseJsonLossless, stringifyLossless } from './lossless-json.ts';
import { javaBigDecimalString } from './json-read.ts';

void test('numbers keep their source text', () => {
  const v = parseJsonLossless('{"a": 1.50, "b": 12345678901234567890, "c": [1e3, -0]}') as Record<string, unknown>;
  assert.ok(v['a'] instanceof JsonNumber);
  assert.equal((v['a'] as JsonNumber).text, '1.50');
  assert.equal((v['a'] as JsonNumber).toDecimal().scale, 2);
  assert.equal((v['b'] as JsonNumber).toJs(), 12345678901234567890n);
  assert.equal(((v['c'] as JsonNumber[])[0]!).isInteger, false);
  assert.equal(stringifyLossless(v), '{"a":1.50,"b":12345678901234567890,"c":[1e3,-0]}');
});

void test('comments are stripped only outside strings', () => {
  const text = '{\n  // a comment\n  "url": "http://x//y", /* block */ "n": 2 // trailing\n}';
  assert.deepEqual(stringifyLossless(parseJsonLossless(text, { allowComments: true })), '{"url":"http://x//y","n":2}');
  assert.throws(() => parseJsonLossless(text));
  assert.equal(stringifyLossless(parseJsonLossless('"a\\"//b"', { allowComments: true })), '"a\\"//b"');
});

void test('BigDecimal.toString of JSON float lexemes', () => {
  assert.equal(javaBigDecimalString('1.50'), '1.50');
  assert.equal(javaBigDecimalString('1e3'), '1E+3');
  assert.equal(javaBigDecimalString('0.0000001'), '1E-7');
  assert.equal(javaBigDecimalString('0.000001'), '0.000001');
  assert.equal(javaBigDecimalString('-12.5e1'), '-125');
});
