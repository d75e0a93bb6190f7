// ExpectedRecordComparator rules (§1.9) over the test representation, incl. JSON/KAFKA decoding.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { INTEGER, BIGINT, DOUBLE, STRING } from '../common/sql-type.ts';
import { coerceRecordFields, headersMatch, matches } from './comparator.ts';
import { parseLossless } from './json.ts';
import { JBigDecimal, JDouble, JInt, JLong, JWindowed, javaFromJson, type JavaValue } from './java-values.ts';
import { decodeKey, decodeValue, encodeKey, encodeValue, type TopicFormats } from './test-serde.ts';

const exp = (text: string) => parseLossless(text);
const json = (text: string): JavaValue => javaFromJson(parseLossless(text));
const m = (actualJsonText: string, expectedText: string): boolean => matches(json(actualJsonText), exp(expectedText));

void test('JSON numbers: expected 1.0 vs actual 1 matches, expected 1 vs actual 1.0 does not', () => {
  assert.equal(m('1', '1.0'), true);
  assert.equal(m('1.0', '1'), false);
  assert.equal(m('3', '3.9'), true, 'intValue truncates');
  assert.equal(m('10', '10'), true);
  assert.equal(m('4294967296', '4294967296'), true, 'Long path');
});

void test('BigDecimal: scale-exact for decimal literals, scale <= 0 for integer literals', () => {
  assert.equal(m('1.50', '1.50'), true);
  assert.equal(m('1.5', '1.50'), false);
  assert.equal(m('1.50', '1.5'), false);
  assert.equal(matches(new JBigDecimal(10n, 0), exp('10')), true);
  assert.equal(matches(new JBigDecimal(1n, -1), exp('10')), true, 'negative scale');
  assert.equal(matches(new JBigDecimal(100n, 1), exp('10')), false);
  assert.equal(m('1.0E7', '1.0E7'), true);
  assert.equal(m('"x"', '1'), false);
  assert.equal(matches(new JBigDecimal(150n, 2), exp('"1.50"')), true, 'string vs BigDecimal');
  assert.equal(matches(new JBigDecimal(15n, 1), exp('"1.50"')), false);
});

void test('Double: 1e-6 tolerance; exact numerics off parses floats as doubles', () => {
  assert.equal(matches(new JDouble(1.0000001), exp('1.0')), true);
  assert.equal(matches(new JDouble(1.00001), exp('1.0')), false);
  assert.equal(matches(javaFromJson(parseLossless('1.0000000001'), false), exp('1.0')), true);
  assert.equal(matches(new JInt(1), exp('1')), true);
  assert.equal(matches(new JLong(5n), exp('5.7')), true, 'longValue truncates');
});

void test('objects: same field count, exact name then upper-case lookup; arrays element-wise', () => {
  assert.equal(m('{"A":1,"B":"x"}', '{"a":1,"B":"x"}'), true);
  assert.equal(m('{"A":1,"B":"x"}', '{"A":1}'), false);
  assert.equal(m('{"A":null}', '{"a":null}'), true);
  assert.equal(m('{"a":2,"A":1}', '{"a":1,"A":1}'), false);
  assert.equal(m('[1,2]', '[1,2]'), true);
  assert.equal(m('[1,2]', '[2,1]'), false);
  assert.equal(m('[1]', '[1,2]'), false);
  assert.equal(m('"1"', '[1]'), false);
});

void test('strings, booleans, nulls and bytes', () => {
  assert.equal(m('"a"', '"a"'), true);
  assert.equal(m('"a"', '"b"'), false);
  assert.equal(m('true', 'true'), true);
  assert.equal(m('"true"', 'true'), false);
  assert.equal(m('null', 'null'), true);
  assert.equal(m('0', 'null'), false);
  assert.equal(matches(null, exp('0')), false);
  assert.equal(matches(new Uint8Array([1, 2]), exp('"AQI="')), true);
  const coerced = coerceRecordFields(new Map<string, JavaValue>([['B', new Uint8Array([1, 2])], ['E', new Uint8Array()]]));
  assert.equal(matches(coerced, exp('{"B":"AQI=","E":null}')), true);
});

void test('windowed keys match nothing directly (the executor unwraps them)', () => {
  assert.equal(matches(new JWindowed('k', 0, 10, 'TIME'), exp('"k"')), false);
});

void test('headers: same length, keys and bytes', () => {
  const h = (key: string, ...b: number[]) => ({ key, value: new Uint8Array(b) });
  assert.equal(headersMatch([], []), true);
  assert.equal(headersMatch([h('a', 123)], [h('a', 123)]), true);
  assert.equal(headersMatch([h('a', 123)], [h('a', 12, 23)]), false);
  assert.equal(headersMatch([h('a', 123)], [h('b', 123)]), false);
  assert.equal(headersMatch([h('a', 123)], [h('a', 123), h('a', 1)]), false);
  assert.equal(headersMatch([{ key: 'a', value: null }], [{ key: 'a', value: null }]), true);
});

const col = (name: string, type: typeof INTEGER, namespace: 'KEY' | 'VALUE' = 'VALUE') => ({ name, type, namespace });

void test('KAFKA test serde: DOUBLE reads as BigDecimal.valueOf, BIGINT as Integer when it fits', () => {
  const f = (t: typeof INTEGER): TopicFormats => ({ keyFormat: 'KAFKA', valueFormat: 'KAFKA', keyColumns: [col('K', t, 'KEY')], valueColumns: [col('V', t)], window: undefined });
  const d = decodeValue(encodeValue(exp('1'), f(DOUBLE)), f(DOUBLE));
  assert.equal(matches(d, exp('1.0')), true);
  assert.equal(matches(d, exp('1')), false);
  assert.ok(decodeValue(encodeValue(exp('10000000'), f(DOUBLE)), f(DOUBLE)) instanceof JBigDecimal);
  assert.ok(decodeKey(encodeKey(exp('5'), undefined, f(BIGINT)), f(BIGINT)) instanceof JInt);
  assert.ok(decodeKey(encodeKey(exp('5000000000'), undefined, f(BIGINT)), f(BIGINT)) instanceof JLong);
  assert.equal(decodeKey(encodeKey(exp('"héllo"'), undefined, f(STRING)), f(STRING)), 'héllo');
  assert.equal(Buffer.from(encodeValue(exp('-2'), f(INTEGER))!).toString('hex'), 'fffffffe');
});

void test('windowed keys round-trip: time windows rebuild end from size, session windows carry it', () => {
  const f: TopicFormats = { keyFormat: 'KAFKA', valueFormat: 'JSON', keyColumns: [col('K', STRING, 'KEY')], valueColumns: [], window: { type: 'TIME', sizeMs: 30 } };
  const k = decodeKey(encodeKey(exp('"a"'), { start: 60, end: 90, type: 'TIME' }, f), f) as JWindowed;
  assert.deepEqual([k.key, k.start, k.end, k.type], ['a', 60, 90, 'TIME']);
  const s: TopicFormats = { ...f, window: { type: 'SESSION', sizeMs: undefined } };
  const sk = decodeKey(encodeKey(exp('"a"'), { start: 5, end: 70, type: 'SESSION' }, s), s) as JWindowed;
  assert.deepEqual([sk.key, sk.start, sk.end, sk.type], ['a', 5, 70, 'SESSION']);
});

void test('JSON and DELIMITED test serdes keep the raw text semantics', () => {
  const f: TopicFormats = { keyFormat: 'DELIMITED', valueFormat: 'JSON', keyColumns: [], valueColumns: [], window: undefined };
  assert.equal(Buffer.from(encodeValue(exp('{"A":1.50}'), f)!).toString(), '{"A":1.50}');
  assert.equal(matches(decodeValue(Buffer.from('{"A":1.50}'), f), exp('{"A":1.50}')), true);
  assert.equal(decodeKey(Buffer.from('1,a'), f), '1,a');
  assert.equal(encodeValue(null, f), null);
});
