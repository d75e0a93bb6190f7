// JSON serde: ksqlDB's coercions, case-insensitive fields, wrapping, Java number printing.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  arrayType, BIGINT, BOOLEAN, BYTES, DATE, decimalType, DOUBLE, INTEGER, mapType, STRING, structType, TIME, TIMESTAMP,
} from '../common/sql-type.ts';
import { Decimal } from '../common/decimal.ts';
import { createValueSerde, createKeySerde } from './serde-factory.ts';
import { SerdeError } from './serde.ts';
import { bytesOf, keyCol, keyFormat, textOf, valueCol, valueFormat } from './test-columns.ts';

const json = valueFormat('JSON');
const unwrapped = valueFormat('JSON', ['UNWRAP_SINGLES']);

function read(serde: ReturnType<typeof createValueSerde>, text: string): unknown[] | null {
  return serde.deserialize(bytesOf(text), 't');
}

void test('reads fields case-insensitively; exact name wins; missing fields are null', () => {
  const serde = createValueSerde(json, [valueCol('A', INTEGER), valueCol('B', STRING), valueCol('c', STRING), valueCol('D', BOOLEAN)]);
  assert.deepEqual(read(serde, '{"a": 1, "b": "x", "C": "no", "c": "yes"}'), [1, 'x', 'yes', null]);
  assert.deepEqual(read(serde, '{"A": 1, "a": 2}'), [1, null, null, null]);
  // A quoted lower-case column only matches its exact name.
  assert.deepEqual(read(serde, '{"C": "upper"}'), [null, null, null, null]);
});

void test('names on Object.prototype are not mistaken for fields', () => {
  const serde = createValueSerde(json, [valueCol('constructor', STRING), valueCol('TOSTRING', STRING)]);
  assert.deepEqual(read(serde, '{}'), [null, null]);
  assert.deepEqual(read(serde, '{"constructor": "c", "toString": "t"}'), ['c', 't']);
});

void test('every field present, missing or differently cased gives the same row (generated and generic readers)', () => {
  // Names that need quoting in generated code, and a record that has every exact name.
  const serde = createValueSerde(json, [valueCol('A"B', INTEGER), valueCol('C\\D', STRING), valueCol('E', BIGINT)]);
  assert.deepEqual(read(serde, '{"A\\"B": 1, "C\\\\D": "x", "E": 5}'), [1, 'x', 5n]);
  assert.deepEqual(read(serde, '{"A\\"B": null, "C\\\\D": "x", "e": 5}'), [null, 'x', 5n]);
  assert.deepEqual(read(serde, '{"E": 7}'), [null, null, 7n]);
});

void test('deserializeInto writes the columns at an offset of a wider row', () => {
  const serde = createValueSerde(json, [valueCol('A', INTEGER), valueCol('B', STRING)]);
  const row: unknown[] = ['k', undefined, undefined, 'after'];
  assert.equal(serde.deserializeInto!(bytesOf('{"A": 1, "b": "x"}'), 't', row, 1), true);
  assert.deepEqual(row, ['k', 1, 'x', 'after']);
  assert.equal(serde.deserializeInto!(bytesOf('null'), 't', row, 1), false);
  assert.equal(serde.deserializeInto!(null, 't', row, 1), false);
  assert.throws(() => serde.deserializeInto!(bytesOf('{"A": true}'), 't', row, 1), SerdeError);
});

void test('null bytes and JSON null give a null row', () => {
  const serde = createValueSerde(json, [valueCol('A', INTEGER)]);
  assert.equal(serde.deserialize(null, 't'), null);
  assert.equal(read(serde, 'null'), null);
  assert.equal(serde.serialize(null, 't'), null);
});

void test('coerces numbers and strings like ksqlDB', () => {
  const serde = createValueSerde(json, [
    valueCol('I', INTEGER), valueCol('L', BIGINT), valueCol('D', DOUBLE), valueCol('S', STRING),
    valueCol('T', TIMESTAMP), valueCol('DT', DATE), valueCol('TM', TIME),
  ]);
  assert.deepEqual(read(serde, '{"I": "12", "L": "-7", "D": "1.5", "S": 12, "T": 1000, "DT": 10, "TM": 500}'),
    [12, -7n, 1.5, '12', 1000, 10, 500]);
  assert.deepEqual(read(serde, '{"I": 3.9, "L": 2.5, "D": 4, "S": 1.50, "T": "7"}'), [3, 2n, 4, '1.50', 7, null, null]);
  assert.deepEqual(read(serde, '{"S": true}'), [null, null, null, 'true', null, null, null]);
  assert.deepEqual(read(serde, '{"S": {"a": [1, 2.0]}}')?.[3], '{"a":[1,2.0]}');
  // Java int narrowing wraps.
  assert.deepEqual(read(serde, '{"I": 4294967297}')?.[0], 1);
});

void test('BIGINT keeps precision beyond 2^53', () => {
  const serde = createValueSerde(json, [valueCol('L', BIGINT)]);
  assert.deepEqual(read(serde, '{"L": 998877665544332211}'), [998877665544332211n]);
  assert.equal(textOf(serde.serialize([998877665544332211n], 't')), '{"L":998877665544332211}');
});

void test('mismatched types are SerdeErrors naming the topic and path', () => {
  const serde = createValueSerde(json, [valueCol('I', INTEGER), valueCol('A', arrayType(INTEGER))]);
  assert.throws(() => read(serde, '{"I": true}'), (e: unknown) => e instanceof SerdeError &&
    /Failed to deserialize value from topic: t\. Can't convert type\. sourceType: BooleanNode, requiredType: INTEGER, path: \$\.I/.test(e.message));
  assert.throws(() => read(serde, '{"I": "abc"}'), /Can't coerce string to type\. targetType: INTEGER/);
  assert.throws(() => read(serde, '{"A": {}}'), /requiredType: ARRAY<INTEGER>/);
  assert.throws(() => read(serde, '[1]'), /Can't convert type/);
  assert.throws(() => read(serde, '{"I": '), SerdeError);
});

void test('DECIMAL is read at the column scale and rejects values needing rounding', () => {
  const serde = createValueSerde(json, [valueCol('D', decimalType(6, 4))]);
  const d = (text: string): string => String(read(serde, text)![0]);
  assert.equal(d('{"D": 10}'), '10.0000');
  assert.equal(d('{"D": 10.0}'), '10.0000');
  assert.equal(d('{"D": 0.0001}'), '0.0001');
  assert.equal(d('{"D": "1.50"}'), '1.5000');
  assert.throws(() => read(serde, '{"D": 0.00001}'), /Cannot fit decimal '0.00001' into DECIMAL\(6, 4\) without rounding/);
  assert.throws(() => read(serde, '{"D": 123.4}'), /Cannot fit decimal/);
  assert.equal(textOf(serde.serialize([Decimal.parse('1.5000')], 't')), '{"D":1.5000}');
});

void test('BYTES are base64 strings; nested types round-trip', () => {
  const type = structType([{ name: 'B', type: BYTES }, { name: 'M', type: mapType(STRING, arrayType(DOUBLE)) }]);
  const serde = createValueSerde(json, [valueCol('S', type)]);
  const row = read(serde, '{"s": {"b": "ew==", "m": {"k": [1, null, 2.5]}}}')!;
  assert.deepEqual(row, [{ B: new Uint8Array([0x7b]), M: new Map([['k', [1, null, 2.5]]]) }]);
  assert.equal(textOf(serde.serialize(row, 't')), '{"S":{"B":"ew==","M":{"k":[1.0,null,2.5]}}}');
});

void test('writes doubles like Java and BIGINT unquoted', () => {
  const serde = createValueSerde(json, [valueCol('D', DOUBLE), valueCol('L', BIGINT), valueCol('S', STRING), valueCol('T', TIMESTAMP)]);
  assert.equal(textOf(serde.serialize([43, 5n, 'a"b', 1000], 't')), '{"D":43.0,"L":5,"S":"a\\"b","T":1000}');
  assert.equal(textOf(serde.serialize([1e7, null, null, null], 't')), '{"D":1.0E7,"L":null,"S":null,"T":null}');
  assert.equal(textOf(serde.serialize([NaN, 0n, '', 0], 't')), '{"D":"NaN","L":0,"S":"","T":0}');
  assert.deepEqual(read(serde, '{"D": "NaN"}')?.[0], NaN);
});

void test('single values: wrapped by default, bare with UNWRAP_SINGLES', () => {
  const wrapped = createValueSerde(json, [valueCol('V', STRING)]);
  assert.equal(textOf(wrapped.serialize(['x'], 't')), '{"V":"x"}');
  assert.throws(() => read(wrapped, '"x"'), /Can't convert type/);
  const bare = createValueSerde(unwrapped, [valueCol('V', STRING)]);
  assert.equal(textOf(bare.serialize(['x'], 't')), '"x"');
  assert.equal(bare.serialize([null], 't'), null);
  assert.deepEqual(read(bare, '"x"'), ['x']);
  assert.deepEqual(read(bare, '10'), ['10']);
  const arr = createValueSerde(unwrapped, [valueCol('FOO', arrayType(STRING))]);
  assert.deepEqual(read(arr, '[1, 2, "c", null]'), [['1', '2', 'c', null]]);
  const struct = createValueSerde(unwrapped, [valueCol('FOO', structType([{ name: 'F1', type: STRING }]))]);
  assert.equal(textOf(struct.serialize(read(struct, '{"F1": "bar"}'), 't')), '{"F1":"bar"}');
});

void test('JSON keys: one column bare, several an object, all-null is no bytes', () => {
  const single = createKeySerde(keyFormat('JSON'), [keyCol('K', DOUBLE)]);
  assert.equal(textOf(single.serialize([654.321], undefined, 't')), '654.321');
  assert.deepEqual(single.deserialize(bytesOf('654.321'), 't'), { key: [654.321], window: undefined });
  assert.equal(single.serialize([null], undefined, 't'), null);
  assert.deepEqual(single.deserialize(null, 't').key, [null]);
  const multi = createKeySerde(keyFormat('JSON'), [keyCol('K', INTEGER), keyCol('K2', structType([{ name: 'F1', type: INTEGER }]))]);
  assert.equal(textOf(multi.serialize([null, { F1: 2 }], undefined, 't')), '{"K":null,"K2":{"F1":2}}');
  assert.deepEqual(multi.deserialize(bytesOf('{"k": 1, "K2": {"f1": 2}}'), 't').key, [1, { F1: 2 }]);
  const none = createKeySerde(keyFormat('JSON'), []);
  assert.deepEqual(none.deserialize(bytesOf('garbage'), 't').key, []);
  assert.equal(none.serialize([], undefined, 't'), null);
});

void test('JSON rejects MAP keys that are not STRING', () => {
  assert.throws(() => createValueSerde(json, [valueCol('M', mapType(INTEGER, DOUBLE))]), /JSON only supports MAP types with STRING keys/);
});

void test('a column nobody reads is still validated, but a BIGINT in it is not built', () => {
  const serde = createValueSerde(json, [valueCol('A', BIGINT), valueCol('B', BIGINT), valueCol('C', STRING)], { unread: new Set([1]) });
  assert.deepEqual(read(serde, '{"A": 1, "B": 2, "C": "x"}'), [1n, null, 'x']);
  // Values the column's reader rejects still fail the record; others it would convert still are.
  assert.throws(() => read(serde, '{"A": 1, "B": "two", "C": "x"}'), SerdeError);
  assert.throws(() => read(serde, '{"A": 1, "B": true, "C": "x"}'), SerdeError);
  assert.deepEqual(read(serde, '{"A": 1, "B": "3", "C": "x"}'), [1n, 3n, 'x']);
  assert.deepEqual(read(serde, '{"A": 1, "B": 9007199254740993, "C": "x"}'), [1n, 9007199254740993n, 'x']);
});
