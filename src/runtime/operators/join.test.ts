// Unit tests of the join operators: stream-stream (eager and GRACE outer semantics), stream-table,
// table-table (tombstones, old rows, timestamps) and foreign-key joins, on in-memory stores.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BIGINT, STRING } from '../../common/sql-type.ts';
import type { Step } from '../../plan/steps.ts';
import type { InternalCodec } from '../../serde/internal-codec.ts';
import { MemoryStore } from '../../state/memory-store.ts';
import type { Change } from '../change.ts';
import type { OperatorContext } from '../operator-context.ts';
import { TaskStore } from '../task-store.ts';
import { joinOperator } from './join.ts';

type JoinStep = Step & { kind: 'Join' };

function context(): OperatorContext {
  const stores = new Map<string, TaskStore<unknown>>();
  return {
    queryId: 'q', partition: 0,
    store: <V>(name: string, codec: InternalCodec<V>): TaskStore<V> => {
      if (!stores.has(name)) stores.set(name, new TaskStore<unknown>(name, '', new MemoryStore(), codec as InternalCodec<unknown>));
      return stores.get(name) as TaskStore<V>;
    },
    send: () => undefined, streamTime: () => 0, processingError: () => undefined, currentSequence: () => undefined,
    cacheMaxBytes: 0, throwOnInvalidTimestamp: false, onCommit: () => undefined,
  };
}

// A side: [ID BIGINT key, V STRING]; the joined row is [key, ID, V, ID, V, ROWTIME].
const side = (isTable: boolean): Step => ({
  kind: 'Filter', layout: [{ name: 'ID', type: BIGINT }, { name: 'V', type: STRING }], keyCount: 1, isTable, windowed: false,
}) as unknown as Step;

function join(variant: JoinStep['variant'], joinType: JoinStep['joinType'], extra: Partial<JoinStep> = {}): JoinStep {
  const tables = variant === 'TT' || variant === 'FK';
  return {
    kind: 'Join', left: side(tables), right: side(variant !== 'SS'), joinType, variant, foreignKey: undefined, within: undefined,
    leftStore: 'l', rightStore: 'r', keyFrom: 'LEFT', layout: [], keyCount: 1, isTable: tables, windowed: false, ...extra,
  } as JoinStep;
}

let offset = 0;
const rec = (id: number | null, v: string | null, ts: number, old?: unknown[] | null): Change => ({
  row: v === null ? null : [id === null ? null : BigInt(id), v], key: [id === null ? null : BigInt(id)], old,
  timestamp: ts, window: undefined, headers: [], partition: 0, offset: offset++,
});

function run(step: JoinStep, inputs: ['L' | 'R', Change][]): { row: unknown[] | null; ts: number }[] {
  const out: { row: unknown[] | null; ts: number }[] = [];
  const j = joinOperator(step, context(), (c) => out.push({ row: c.row === null ? null : c.row.slice(1, 5).map((x) => (typeof x === 'bigint' ? Number(x) : x)), ts: c.timestamp }));
  for (const [s, c] of inputs) (s === 'L' ? j.left : j.right)(c);
  return out;
}

void test('stream-stream inner join matches within the window, timestamp is the max', () => {
  const out = run(join('SS', 'INNER', { within: { beforeMs: 10, afterMs: 10, graceMs: undefined } }), [
    ['L', rec(1, 'a', 0)], ['R', rec(1, 'x', 5)], ['R', rec(1, 'y', 11)], ['R', rec(2, 'z', 5)],
  ]);
  assert.deepEqual(out, [{ row: [1, 'a', 1, 'x'], ts: 5 }]);
});

void test('stream-stream left join without grace emits non-matches at once', () => {
  const out = run(join('SS', 'LEFT', { within: { beforeMs: 10, afterMs: 10, graceMs: undefined } }), [
    ['L', rec(1, 'a', 0)], ['R', rec(1, 'x', 5)],
  ]);
  assert.deepEqual(out, [{ row: [1, 'a', null, null], ts: 0 }, { row: [1, 'a', 1, 'x'], ts: 5 }]);
});

void test('stream-stream left join with grace holds non-matches until the window closes', () => {
  const step = join('SS', 'LEFT', { within: { beforeMs: 10, afterMs: 10, graceMs: 5 }, auxStore: 'o' });
  const out = run(step, [
    ['L', rec(1, 'a', 0)], ['L', rec(2, 'b', 3)], ['R', rec(2, 'x', 4)], ['L', rec(3, 'c', 14)], ['L', rec(3, 'd', 16)],
  ]);
  // b matched; a's window (0 + 10 + 5) closes once stream time passes 15.
  assert.deepEqual(out, [{ row: [2, 'b', 2, 'x'], ts: 4 }, { row: [1, 'a', null, null], ts: 0 }]);
});

void test('stream-table join: only stream records trigger output; LEFT emits nulls', () => {
  const out = run(join('ST', 'LEFT'), [
    ['L', rec(1, 'a', 0)], ['R', rec(1, 't', 1)], ['L', rec(1, 'b', 2)], ['R', rec(1, null, 3)], ['L', rec(1, 'c', 4)],
  ]);
  assert.deepEqual(out, [
    { row: [1, 'a', null, null], ts: 0 }, { row: [1, 'b', 1, 't'], ts: 2 }, { row: [1, 'c', null, null], ts: 4 },
  ]);
});

void test('table-table inner join emits joins and tombstones with the larger timestamp', () => {
  const out = run(join('TT', 'INNER'), [
    ['L', rec(1, 'a', 10, null)], ['R', rec(1, 'x', 5, null)], ['R', rec(1, null, 20, [1n, 'x'])], ['L', rec(1, null, 30, [1n, 'a'])],
  ]);
  assert.deepEqual(out, [{ row: [1, 'a', 1, 'x'], ts: 10 }, { row: null, ts: 20 }]);
});

void test('table-table full outer join keeps either side', () => {
  const out = run(join('TT', 'FULL'), [['R', rec(1, 'x', 5, null)], ['L', rec(1, 'a', 6, null)], ['R', rec(1, null, 7, [1n, 'x'])]]);
  assert.deepEqual(out, [
    { row: [null, null, 1, 'x'], ts: 5 }, { row: [1, 'a', 1, 'x'], ts: 6 }, { row: [1, 'a', null, null], ts: 7 },
  ]);
});

void test('foreign-key join re-joins subscribed left rows on right changes', () => {
  // Foreign key: the left row's ID column (left 10 references right 10).
  const fk = { kind: 'Column', type: BIGINT, index: 0, name: 'ID' } as const;
  const step = join('FK', 'INNER', { foreignKey: fk, auxStore: 's' });
  const out = run(step, [['R', rec(10, 'x', 1, null)], ['L', rec(10, 'a', 2, null)], ['R', rec(10, 'y', 3, [10n, 'x'])], ['R', rec(10, null, 4, [10n, 'y'])]]);
  assert.deepEqual(out, [{ row: [10, 'a', 10, 'x'], ts: 2 }, { row: [10, 'a', 10, 'y'], ts: 3 }, { row: null, ts: 4 }]);
});
