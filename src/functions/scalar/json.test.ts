import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Decimal } from '../../common/decimal.ts';
import { arrayType, BIGINT, BYTES, DOUBLE, INTEGER, STRING, TIME, decimalType, mapType, structType } from '../../common/sql-type.ts';
import { call } from './test-support.ts';

const s = (v: string | null) => [STRING, v] as const;

test('EXTRACTJSONFIELD keeps number text and unquotes strings', () => {
  const doc = '{"a":{"b":[1.50,{"c":"x"}]},"n":null}';
  assert.equal(call('EXTRACTJSONFIELD', s(doc), s('$.a.b[0]')), '1.50');
  assert.equal(call('EXTRACTJSONFIELD', s(doc), s('$.a.b[1].c')), 'x');
  assert.equal(call('EXTRACTJSONFIELD', s(doc), s('$["a"]["b"]')), '[1.50,{"c":"x"}]');
  assert.equal(call('EXTRACTJSONFIELD', s(doc), s('$.n')), 'null');
  assert.equal(call('EXTRACTJSONFIELD', s(doc), s('$.missing')), null);
});

test('JSON_* helpers', () => {
  assert.equal(call('IS_JSON_STRING', s('[1,2')), false);
  assert.equal(call('IS_JSON_STRING', s('"abc"')), true);
  assert.equal(call('IS_JSON_STRING', s('')), false);
  assert.equal(call('JSON_ARRAY_LENGTH', s('[1,[2],{}]')), 3);
  assert.equal(call('JSON_ARRAY_LENGTH', s('{}')), null);
  assert.equal(call('JSON_CONCAT', s('{"a":1}'), s('{"b":2,"a":3}')), '{"a":3,"b":2}');
  assert.equal(call('JSON_CONCAT', s('[1]'), s('2')), '[1,2]');
  assert.deepEqual(call('JSON_ITEMS', s('[{"a":1},"x"]')), ['{"a":1}', '"x"']);
  assert.deepEqual(call('JSON_KEYS', s('{"b":1,"a":2}')), ['b', 'a']);
  assert.deepEqual(call('JSON_RECORDS', s('{"a":"x","b":[1]}')), new Map([['a', 'x'], ['b', '[1]']]));
  assert.equal(call('JSON_ARRAY_CONTAINS', s('[1, 2.5, "x"]'), [INTEGER, 1]), true);
  assert.equal(call('JSON_ARRAY_CONTAINS', s('[1.0]'), [INTEGER, 1]), false);
  assert.equal(call('JSON_ARRAY_CONTAINS', s('[2.5]'), [DOUBLE, 2.5]), true);
  assert.equal(call('JSON_ARRAY_CONTAINS', s('[3]'), [BIGINT, 3n]), true);
  assert.equal(call('JSON_ARRAY_CONTAINS', s('nope'), s('x')), false);
});

test('TO_JSON_STRING renders typed values like ksqlDB', () => {
  assert.equal(call('TO_JSON_STRING', [INTEGER, null]), 'null');
  assert.equal(call('TO_JSON_STRING', [DOUBLE, 1]), '1.0');
  assert.equal(call('TO_JSON_STRING', [decimalType(6, 3), Decimal.parse('123.456')]), '123.456');
  assert.equal(call('TO_JSON_STRING', [BYTES, Uint8Array.of(0x21)]), '"IQ=="');
  assert.equal(call('TO_JSON_STRING', [TIME, 60220000]), '"16:43:40"');
  const st = structType([{ name: 'NAME', type: STRING }, { name: 'ID', type: INTEGER }]);
  assert.equal(call('TO_JSON_STRING', [st, { NAME: 'Alice', ID: 1 }]), '{"ID":1,"NAME":"Alice"}');
  assert.equal(call('TO_JSON_STRING', [mapType(STRING, arrayType(INTEGER)), new Map([['id', [1, 2]]])]), '{"id":[1,2]}');
});

test('URL functions', () => {
  const u = s('https://user@www.example.com:8080/a%20b/c?x=1&y=%3D2&z#frag%21');
  assert.equal(call('URL_EXTRACT_HOST', u), 'www.example.com');
  assert.equal(call('URL_EXTRACT_PORT', u), 8080);
  assert.equal(call('URL_EXTRACT_PATH', u), '/a b/c');
  assert.equal(call('URL_EXTRACT_QUERY', u), 'x=1&y==2&z');
  assert.equal(call('URL_EXTRACT_PARAMETER', u, s('y')), '=2');
  assert.equal(call('URL_EXTRACT_PARAMETER', u, s('z')), '');
  assert.equal(call('URL_EXTRACT_FRAGMENT', u), 'frag!');
  assert.equal(call('URL_EXTRACT_PROTOCOL', u), 'https');
  assert.equal(call('URL_EXTRACT_PORT', s('http://a.com/')), null);
  assert.equal(call('URL_ENCODE_PARAM', s('a b&c~*')), 'a+b%26c%7E*');
  assert.equal(call('URL_DECODE_PARAM', s('a+b%26c')), 'a b&c');
});
