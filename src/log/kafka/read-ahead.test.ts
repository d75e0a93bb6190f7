import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LogRecord } from '../log.ts';
import { ReadAhead } from './read-ahead.ts';

const rec = (offset: number): LogRecord => ({ offset, timestamp: 0, key: null, value: null, headers: [] });
const offsets = (records: readonly LogRecord[] | undefined) => records?.map((r) => r.offset);

test('serves later reads from what a fetch brought back, across offset gaps', () => {
  const ra = new ReadAhead();
  // Offsets 0..4 and 7..9: 5 and 6 were transaction markers.
  ra.keep('t', 'id1', 0, [0, 1, 2, 3, 4, 7, 8, 9].map(rec), 10);
  assert.deepEqual(offsets(ra.take('t', 'id1', 0, 2, 2)), [2, 3]);
  assert.deepEqual(offsets(ra.take('t', 'id1', 0, 5, 2)), [7, 8]);
  assert.deepEqual(offsets(ra.take('t', 'id1', 0, 8, 100)), [8, 9]);
});

test('a read the kept records do not cover is left to a fetch', () => {
  const ra = new ReadAhead();
  ra.keep('t', 'id1', 0, [3, 4, 5].map(rec), 8);
  assert.equal(ra.take('t', 'id1', 0, 2, 10), undefined, 'before the kept range');
  assert.equal(ra.take('t', 'id1', 0, 8, 10), undefined, 'where the fetch ended');
  assert.equal(ra.take('t', 'id1', 0, 6, 10), undefined, 'after the last record but before the fetch end');
  assert.equal(ra.take('t', 'id1', 1, 3, 10), undefined, 'another partition');
});

test('a re-created topic (new id) never serves the old records', () => {
  const ra = new ReadAhead();
  ra.keep('t', 'old', 0, [0, 1, 2].map(rec), 3);
  assert.equal(ra.take('t', 'new', 0, 0, 10), undefined);
  assert.equal(ra.take('t', 'old', 0, 0, 10), undefined, 'the stale entry was dropped');
});

test('forgetTopic drops every partition of that topic only', () => {
  const ra = new ReadAhead();
  ra.keep('a:b', 'x', 0, [0, 1].map(rec), 2);
  ra.keep('a:b', 'x', 1, [0, 1].map(rec), 2);
  ra.keep('a', 'y', 0, [0, 1].map(rec), 2);
  ra.forgetTopic('a:b');
  assert.equal(ra.take('a:b', 'x', 0, 0, 1), undefined);
  assert.equal(ra.take('a:b', 'x', 1, 0, 1), undefined);
  assert.deepEqual(offsets(ra.take('a', 'y', 0, 0, 1)), [0]);
});

test('reading the last kept record frees the entry', () => {
  const ra = new ReadAhead();
  ra.keep('t', 'id', 0, [0, 1, 2].map(rec), 3);
  assert.deepEqual(offsets(ra.take('t', 'id', 0, 1, 5)), [1, 2]);
  assert.equal(ra.take('t', 'id', 0, 0, 5), undefined);
});
