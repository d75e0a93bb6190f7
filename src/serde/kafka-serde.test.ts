// KAFKA and NONE serdes: Kafka's primitive layouts, single-column rule, no-bytes format.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BIGINT, BOOLEAN, BYTES, decimalType, DOUBLE, INTEGER, STRING } from '../common/sql-type.ts';
import { createKeySerde, createValueSerde } from './serde-factory.ts';
import { bytesOf, keyCol, keyFormat, valueCol, valueFormat } from './test-columns.ts';

const kafka = valueFormat('KAFKA');

void test('INT, BIGINT and DOUBLE are big-endian fixed width', () => {
  const i = createValueSerde(kafka, [valueCol('V', INTEGER)]);
  assert.deepEqual(i.serialize([-2], 't'), new Uint8Array([0xff, 0xff, 0xff, 0xfe]));
  assert.deepEqual(i.deserialize(new Uint8Array([0, 0, 1, 0]), 't'), [256]);
  assert.throws(() => i.deserialize(new Uint8Array([1, 2]), 't'), /Size of data received by IntegerDeserializer is not 4/);
  const l = createValueSerde(kafka, [valueCol('V', BIGINT)]);
  assert.deepEqual(l.serialize([1n], 't'), new Uint8Array([0, 0, 0, 0, 0, 0, 0, 1]));
  assert.deepEqual(l.deserialize(l.serialize([-998877665544332211n], 't'), 't'), [-998877665544332211n]);
  const d = createValueSerde(kafka, [valueCol('V', DOUBLE)]);
  assert.deepEqual(d.deserialize(d.serialize([10.1], 't'), 't'), [10.1]);
});

void test('STRING is UTF-8 (empty string is not null), BYTES are raw', () => {
  const s = createKeySerde(keyFormat('KAFKA'), [keyCol('K', STRING)]);
  assert.deepEqual(s.deserialize(new Uint8Array(0), 't').key, ['']);
  assert.deepEqual([...s.serialize(['é'], undefined, 't')!], [...bytesOf('é')]);
  assert.equal(s.serialize([null], undefined, 't'), null);
  assert.deepEqual(s.deserialize(null, 't').key, [null]);
  const b = createValueSerde(kafka, [valueCol('B', BYTES)]);
  assert.deepEqual(b.deserialize(bytesOf('variations'), 't'), [bytesOf('variations')]);
});

void test('KAFKA holds one column of a supported type', () => {
  assert.throws(() => createValueSerde(kafka, [valueCol('V0', INTEGER), valueCol('V1', STRING)]),
    /The 'KAFKA' format only supports a single field\. Got: \[`V0` INTEGER, `V1` STRING\]/);
  assert.throws(() => createValueSerde(kafka, [valueCol('V0', BOOLEAN)]), /The 'KAFKA' format does not support type 'BOOLEAN'/);
  assert.throws(() => createKeySerde(keyFormat('KAFKA'), [keyCol('K', decimalType(2, 1))]), /does not support type 'DECIMAL'/);
  const empty = createValueSerde(kafka, []);
  assert.deepEqual(empty.deserialize(bytesOf('ignored'), 't'), []);
});

void test('NONE has no columns and ignores bytes', () => {
  const none = createKeySerde(keyFormat('NONE'), []);
  assert.deepEqual(none.deserialize(bytesOf('data that should be ignored'), 't'), { key: [], window: undefined });
  assert.equal(none.serialize([], undefined, 't'), null);
  assert.throws(() => createKeySerde(keyFormat('NONE'), [keyCol('K', STRING)]),
    /The 'NONE' format can only be used when no columns are defined\. Got: \[`K` STRING KEY\]/);
});

void test('schema-registry formats are not supported yet', () => {
  assert.throws(() => createValueSerde(valueFormat('AVRO'), [valueCol('V', INTEGER)]), /Format AVRO is not supported yet/);
});
