// DELIMITED serde: parsing, ksqlDB's quoting on write, delimiters, decimals rescaled.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BIGINT, BOOLEAN, BYTES, decimalType, DOUBLE, INTEGER, STRING, arrayType } from '../common/sql-type.ts';
import { Decimal } from '../common/decimal.ts';
import { createKeySerde, createValueSerde } from './serde-factory.ts';
import { parseDelimiter } from './delimited-serde.ts';
import { bytesOf, keyCol, keyFormat, textOf, valueCol, valueFormat } from './test-columns.ts';

const cols = [valueCol('ID', BIGINT), valueCol('NAME', STRING), valueCol('VALUE', INTEGER)];

void test('reads and writes a line; empty fields are null', () => {
  const serde = createValueSerde(valueFormat('DELIMITED'), cols);
  assert.deepEqual(serde.deserialize(bytesOf('0,zero,0'), 't'), [0n, 'zero', 0]);
  assert.deepEqual(serde.deserialize(bytesOf(',,'), 't'), [null, null, null]);
  assert.equal(textOf(serde.serialize([0n, 'zero', 0], 't')), '0,zero,0');
  assert.equal(textOf(serde.serialize([null, null, 100], 't')), ',,100');
});

void test('quoted fields hold delimiters and doubled quotes', () => {
  const serde = createValueSerde(valueFormat('DELIMITED'), cols);
  assert.deepEqual(serde.deserialize(bytesOf('"1","a,""b""",3'), 't'), [1n, 'a,"b"', 3]);
  assert.equal(textOf(serde.serialize([1n, 'a,"b"', 3], 't')), '1,"a,""b""",3');
});

void test('quotes like ksqlDB: non-alphanumeric first field, leading chars <= #, trailing spaces', () => {
  const serde = createValueSerde(valueFormat('DELIMITED'), [valueCol('A', STRING), valueCol('B', STRING), valueCol('C', STRING)]);
  assert.equal(textOf(serde.serialize(['-1', 'a', '1'], 't')), '"-1",a,1');
  assert.equal(textOf(serde.serialize(['0', '-2147483647', 'x'], 't')), '0,-2147483647,x');
  assert.equal(textOf(serde.serialize(['!', 'IQ==', '!'], 't')), '"!",IQ==,"!"');
  assert.equal(textOf(serde.serialize([' \t a \t', 'plain', '\t b'], 't')), '" \t a \t",plain,"\t b"');
});

void test('TAB and SPACE name delimiters; bad delimiters are rejected with ksqlDB text', () => {
  assert.equal(parseDelimiter('TAB'), '\t');
  assert.equal(parseDelimiter('SPACE'), ' ');
  assert.throws(() => parseDelimiter(''), /Delimiter cannot be empty/);
  assert.throws(() => parseDelimiter(' '), /Delimiter cannot be empty/);
  assert.throws(() => parseDelimiter('<~>'), /Invalid delimiter value: '<~>'\. Delimiter must be a single character or TAB,SPACE/);
  const serde = createValueSerde(valueFormat('DELIMITED', [], { delimiter: 'TAB' }), cols);
  const resolved = createValueSerde(valueFormat('DELIMITED', [], { delimiter: '\t' }), cols);
  assert.deepEqual(resolved.deserialize(bytesOf('0\tzero\t0'), 't'), [0n, 'zero', 0]);
  assert.deepEqual(serde.deserialize(bytesOf('0\tzero\t0'), 't'), [0n, 'zero', 0]);
  assert.equal(textOf(serde.serialize([100n, '100', 500], 't')), '100\t100\t500');
});

void test('multi-column keys use the key delimiter', () => {
  const serde = createKeySerde(keyFormat('DELIMITED', undefined, { delimiter: ';' }), [keyCol('K1', STRING), keyCol('K2', STRING)]);
  assert.deepEqual(serde.deserialize(bytesOf('foo,bar;baz'), 't').key, ['foo,bar', 'baz']);
  const single = createKeySerde(keyFormat('DELIMITED'), [keyCol('K', INTEGER)]);
  assert.deepEqual(single.deserialize(bytesOf('"22"'), 't').key, [22]);
});

void test('decimals rescale to the column scale; doubles print like Java', () => {
  const serde = createValueSerde(valueFormat('DELIMITED'), [valueCol('V', decimalType(33, 16))]);
  assert.equal(textOf(serde.serialize(serde.deserialize(bytesOf('.12'), 't'), 't')), '0.1200000000000000');
  assert.equal(textOf(serde.serialize(serde.deserialize(bytesOf('-12345.12'), 't'), 't')), '"-12345.1200000000000000"');
  assert.equal(textOf(serde.serialize([Decimal.parse('0')], 't')), '0');
  const d = createValueSerde(valueFormat('DELIMITED'), [valueCol('D', DOUBLE), valueCol('B', BOOLEAN), valueCol('Y', BYTES)]);
  assert.equal(textOf(d.serialize([0, true, new Uint8Array([0x21])], 't')), '0.0,true,IQ==');
  assert.deepEqual(d.deserialize(bytesOf('1.5,false,IQ=='), 't'), [1.5, false, new Uint8Array([0x21])]);
});

void test('errors: wrong column count, bad numbers, unsupported types', () => {
  const serde = createValueSerde(valueFormat('DELIMITED'), cols);
  assert.throws(() => serde.deserialize(bytesOf('1,2'), 'tp'), /Column count mismatch on deserialization\. topic: tp, expected: 3, got: 2/);
  assert.throws(() => serde.deserialize(bytesOf('x,a,1'), 'tp'), /Failed to deserialize value from topic: tp/);
  assert.throws(() => createValueSerde(valueFormat('DELIMITED'), [valueCol('A', arrayType(INTEGER))]),
    /The 'DELIMITED' format does not support type 'ARRAY', column: `A`/);
});
