// Windowed keys: Kafka Streams' byte layouts for time and session windows.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { INTEGER, STRING } from '../common/sql-type.ts';
import { createKeySerde } from './serde-factory.ts';
import { bytesOf, keyCol, keyFormat } from './test-columns.ts';

void test('time windows: inner key + 8-byte start; end = start + size', () => {
  const serde = createKeySerde(keyFormat('KAFKA', { type: 'TUMBLING', sizeMs: 30_000 }), [keyCol('K', INTEGER)]);
  assert.equal(serde.windowed, true);
  const bytes = serde.serialize([10], { start: 1000, end: 31_000 }, 't')!;
  assert.deepEqual(bytes, new Uint8Array([0, 0, 0, 10, 0, 0, 0, 0, 0, 0, 0x03, 0xe8]));
  assert.deepEqual(serde.deserialize(bytes, 't'), { key: [10], window: { start: 1000, end: 31_000 } });
});

void test('session windows: inner key + 8-byte end + 8-byte start', () => {
  const serde = createKeySerde(keyFormat('JSON', { type: 'SESSION', sizeMs: undefined }), [keyCol('K', STRING)]);
  const bytes = serde.serialize(['a'], { start: 1, end: 2 }, 't')!;
  assert.deepEqual(bytes, new Uint8Array([...bytesOf('"a"'), 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1]));
  assert.deepEqual(serde.deserialize(bytes, 't'), { key: ['a'], window: { start: 1, end: 2 } });
});

void test('KAFKA empty string inner key survives; too-short bytes are an error', () => {
  const serde = createKeySerde(keyFormat('KAFKA', { type: 'HOPPING', sizeMs: 10 }), [keyCol('K', STRING)]);
  assert.deepEqual(serde.deserialize(serde.serialize([''], { start: 0, end: 10 }, 't'), 't').key, ['']);
  assert.throws(() => serde.deserialize(new Uint8Array(3), 't'), /needs at least 8 bytes/);
});

void test('baseKey: the key without its window, what the sink partitions by (WindowedStreamPartitioner)', () => {
  const time = createKeySerde(keyFormat('KAFKA', { type: 'TUMBLING', sizeMs: 2000 }), [keyCol('K', INTEGER)]);
  const a = time.serialize([1], { start: 0, end: 2000 }, 't')!;
  const b = time.serialize([1], { start: 2000, end: 4000 }, 't')!;
  assert.deepEqual(time.baseKey!(a), new Uint8Array([0, 0, 0, 1]));
  assert.deepEqual(time.baseKey!(b), time.baseKey!(a));
  const session = createKeySerde(keyFormat('JSON', { type: 'SESSION', sizeMs: undefined }), [keyCol('K', STRING)]);
  assert.deepEqual(session.baseKey!(session.serialize(['a'], { start: 1, end: 2 }, 't')!), bytesOf('"a"'));
  const plain = createKeySerde(keyFormat('KAFKA', undefined), [keyCol('K', INTEGER)]);
  assert.equal(plain.baseKey, undefined);
});
