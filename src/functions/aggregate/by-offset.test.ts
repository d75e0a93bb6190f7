// EARLIEST_BY_OFFSET and LATEST_BY_OFFSET against ksqlDB's earliest-offset-udaf.json,
// latest-offset-udaf.json and udaf.json, including the session-window merge cases.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { arrayType, BIGINT, BOOLEAN, INTEGER, structType } from '../../common/sql-type.ts';
import type { ResolvedAggregate } from '../function-types.ts';
import { EARLIEST_BY_OFFSET, LATEST_BY_OFFSET } from './by-offset.ts';
import { accumulate, col, lit, resolveError, resolveOk, results } from './testing.ts';

const n = (v: number) => lit(INTEGER, v);
const b = (v: boolean) => lit(BOOLEAN, v);

/**
 * Kafka Streams' session merge for three records where the third (late) one joins the sessions
 * of the first two: a fresh accumulator, merged with both sessions, then the late record added.
 */
function mergedSessions(agg: ResolvedAggregate, first: unknown, second: unknown, late: unknown): unknown[] {
  const s1 = accumulate(agg, [first]);
  const s2 = accumulate(agg, [second]);
  const merged = agg.add(agg.merge(agg.merge(agg.initial(), s1), s2), [late]);
  return [agg.result(s1), agg.result(s2), agg.result(merged)];
}

void test('types: STRUCT<SEQ, VAL> accumulator, ARRAY for n', () => {
  const one = resolveOk(LATEST_BY_OFFSET, [col(INTEGER)]);
  assert.deepEqual(one.returnType, INTEGER);
  assert.deepEqual(one.accumulatorType, structType([{ name: 'SEQ', type: BIGINT }, { name: 'VAL', type: INTEGER }]));
  assert.equal(one.undo, undefined, 'stream-only');
  const many = resolveOk(EARLIEST_BY_OFFSET, [col(INTEGER), n(2), b(false)]);
  assert.equal(many.inputArgCount, 1);
  assert.deepEqual(many.returnType, arrayType(INTEGER));
});

void test('EARLIEST_BY_OFFSET: nulls ignored by default, kept with false', () => {
  assert.deepEqual(results(resolveOk(EARLIEST_BY_OFFSET, [col(INTEGER)]), [null, 13, 14]), [null, 13, 13]);
  assert.deepEqual(results(resolveOk(EARLIEST_BY_OFFSET, [col(INTEGER), b(false)]), [null, 13]), [null, null]);
  assert.deepEqual(results(resolveOk(EARLIEST_BY_OFFSET, [col(INTEGER), b(false)]), [12, null, 13]), [12, 12, 12]);
  assert.deepEqual(results(resolveOk(EARLIEST_BY_OFFSET, [col(INTEGER), n(2)]), [null, 13]), [[], [13]]);
  assert.deepEqual(results(resolveOk(EARLIEST_BY_OFFSET, [col(INTEGER), n(2), b(false)]), [null, 13]), [[null], [null, 13]]);
  assert.deepEqual(results(resolveOk(EARLIEST_BY_OFFSET, [col(INTEGER), n(2)]), [12, 21, 31]), [[12], [12, 21], [12, 21]]);
});

void test('LATEST_BY_OFFSET: nulls ignored by default, kept with false', () => {
  assert.deepEqual(results(resolveOk(LATEST_BY_OFFSET, [col(INTEGER)]), [12, null, 13]), [12, 12, 13]);
  assert.deepEqual(results(resolveOk(LATEST_BY_OFFSET, [col(INTEGER), b(false)]), [12, null, 13]), [12, null, 13]);
  assert.deepEqual(results(resolveOk(LATEST_BY_OFFSET, [col(INTEGER), n(2), b(false)]), [12, null, 13]), [[12], [12, null], [null, 13]]);
  assert.deepEqual(results(resolveOk(LATEST_BY_OFFSET, [col(INTEGER), n(2)]), [null, null]), [[], []]);
});

void test('session merges keep arrival order (latest-offset-udaf.json)', () => {
  const latest = (...args: Parameters<typeof resolveOk>[1]) => resolveOk(LATEST_BY_OFFSET, [col(INTEGER), ...args]);
  assert.deepEqual(mergedSessions(latest(), 1, 3, 2), [1, 3, 2]);
  assert.deepEqual(mergedSessions(latest(), 1, null, 2), [1, null, 2]);
  assert.deepEqual(mergedSessions(latest(b(false)), null, null, null), [null, null, null]);
  assert.deepEqual(mergedSessions(latest(n(2), b(true)), 1, null, 2), [[1], [], [1, 2]]);
  assert.deepEqual(mergedSessions(latest(n(2), b(false)), 1, null, 2), [[1], [null], [null, 2]]);
  assert.deepEqual(mergedSessions(latest(n(2), b(false)), null, null, null), [[null], [null], [null, null]]);
});

void test('session merges keep arrival order (earliest-offset-udaf.json)', () => {
  const earliest = (...args: Parameters<typeof resolveOk>[1]) => resolveOk(EARLIEST_BY_OFFSET, [col(INTEGER), ...args]);
  assert.deepEqual(mergedSessions(earliest(b(true)), null, 1, null), [null, 1, 1]);
  assert.deepEqual(mergedSessions(earliest(b(false)), null, null, null), [null, null, null]);
  assert.deepEqual(mergedSessions(earliest(n(2), b(false)), null, 1, null), [[null], [1], [null, 1]]);
  assert.deepEqual(mergedSessions(earliest(n(2), b(false)), null, null, null), [[null], [null], [null, null]]);
});

void test('literal parameters must be literals (udaf.json)', () => {
  assert.equal(resolveError(EARLIEST_BY_OFFSET, [col(INTEGER), col(INTEGER, 'F0')]),
    "Parameter 2 passed to function EARLIEST_BY_OFFSET must be a literal constant, but was expression: 'F0'");
  assert.deepEqual(results(resolveOk(EARLIEST_BY_OFFSET, [col(INTEGER), n(2), b(true)]), [1]), [[1]]);
  assert.match(resolveError(LATEST_BY_OFFSET, [col(INTEGER), lit(INTEGER, 0)]), /greater than 0/);
});
