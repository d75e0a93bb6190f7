import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MessageToProduce } from '@platformatic/kafka';
import { chunkMessages, lastOffsets, recordOffsets } from './offsets.ts';

const msg = (topic: string, partition: number, bytes = 10): MessageToProduce => ({ topic, partition, key: undefined, value: Buffer.alloc(bytes) });

test('recordOffsets numbers each partition\'s records from its base offset, in request order', () => {
  const messages = [msg('a', 0), msg('a', 1), msg('a', 0), msg('b', 0), msg('a', 1)];
  const result = { offsets: [{ topic: 'a', partition: 0, offset: 10n }, { topic: 'a', partition: 1, offset: 3n }, { topic: 'b', partition: 0, offset: 0n }] };
  assert.deepEqual(recordOffsets(messages, result), [10, 3, 11, 0, 4]);
  assert.throws(() => recordOffsets([msg('c', 0)], result), /no offset for c:0/);
});

test('lastOffsets keeps the highest offset per partition', () => {
  const messages = [msg('a', 0), msg('a', 1), msg('a', 0)];
  assert.deepEqual([...lastOffsets(messages, [10, 3, 11])], [['a:0', 11], ['a:1', 3]]);
});

test('chunks bound the bytes per partition, keep order, and let partitions share a chunk', () => {
  // 1000-byte records: 70 bytes of estimated overhead each, so three fit in 3300 bytes.
  const messages = [msg('t', 0, 1000), msg('t', 1, 1000), msg('t', 0, 1000), msg('t', 1, 1000), msg('t', 0, 1000), msg('t', 0, 1000)];
  const chunks = chunkMessages(messages, 3300);
  assert.deepEqual(chunks.map((c) => c.length), [5, 1]);
  assert.deepEqual(chunks.flat(), messages);
  assert.deepEqual(chunkMessages([msg('t', 0, 10_000)], 3300).map((c) => c.length), [1], 'an oversized record still goes alone');
  const spread = Array.from({ length: 6 }, (_, i) => msg('t', i, 1000));
  assert.deepEqual(chunkMessages(spread, 3300, 2500).map((c) => c.length), [2, 2, 2], 'and a request has a total bound too');
});
