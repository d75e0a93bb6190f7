// Foreign-key table-table joins (INNER/LEFT), following Kafka Streams' subscription protocol but
// inside one task: left rows subscribe to the right key their foreign key names; a left change
// looks up its right row, a right change re-joins every subscribed left row. The output is keyed
// by the left table's primary key. Requires both tables' rows in this task (see join-planner).

import type { Change, Emit } from '../change.ts';
import { compileExpr, reportCaughtErrors } from '../expression-compiler.ts';
import type { OperatorContext } from '../operator-context.ts';
import { TaskStore } from '../task-store.ts';
import { hasNull, joinedRow, shapeOf, sideStore, unpack, type JoinStep } from './join-rows.ts';

export function foreignKeyJoin(step: JoinStep, ctx: OperatorContext, emit: Emit): { left: Emit; right: Emit } {
  const shape = shapeOf(step);
  const leftJoin = step.joinType === 'LEFT';
  const fkOf = compileExpr(step.foreignKey!);
  const env: unknown[] = [];
  const lefts = sideStore(ctx, step.leftStore, step.left.layout);
  const rights = sideStore(ctx, step.rightStore, step.right.layout);
  // Subscriptions: (foreign key, left key) -> left row.
  const subs = sideStore(ctx, step.auxStore!, step.left.layout);

  const foreignKey = (row: unknown[], c: Change): unknown => {
    try {
      return fkOf(row, env) ?? null;
    } catch (e) {
      ctx.processingError('RECORD_PROCESSING_ERROR', `Error computing foreign key: ${(e as Error).message}`, c);
      return null;
    } finally {
      reportCaughtErrors(ctx, 'Error computing foreign key', c);
    }
  };
  const out = (c: Change, key: readonly unknown[], left: unknown[] | null, right: unknown[] | null, ts: number): void => {
    emit({ ...c, key, row: left ? joinedRow(shape, key, left, right, ts) : null, old: undefined, timestamp: ts, window: undefined });
  };

  const left = (c: Change): void => {
    if (hasNull(c.key)) return;
    const pk = c.key;
    const k = TaskStore.keyOf(pk);
    const prevStored = lefts.get(k);
    const prev = prevStored ? unpack(prevStored).row : null;
    const oldFk = prev ? foreignKey(prev, c) : null;
    const newFk = c.row ? foreignKey(c.row, c) : null;
    if (prev && oldFk !== null) subs.delete(TaskStore.keyOf([oldFk, ...pk]));
    if (c.row === null) {
      lefts.delete(k);
      if (prev) out(c, pk, null, null, c.timestamp);
      return;
    }
    lefts.put(k, [...c.row, c.timestamp]);
    if (newFk !== null) subs.put(TaskStore.keyOf([newFk, ...pk]), [...c.row, c.timestamp]);
    const rightStored = newFk === null ? undefined : rights.get(TaskStore.keyOf([newFk]));
    const right = rightStored ? unpack(rightStored).row : null;
    if (right) {
      out(c, pk, c.row, right, c.timestamp);
    } else if (leftJoin) {
      out(c, pk, c.row, null, c.timestamp);
    } else if (prev) {
      // The previous foreign key may have produced a row: unset it.
      out(c, pk, null, null, c.timestamp);
    }
  };

  const right = (c: Change): void => {
    if (hasNull(c.key)) return;
    const k = TaskStore.keyOf(c.key);
    if (c.row === null) rights.delete(k);
    else rights.put(k, [...c.row, c.timestamp]);
    for (const e of subs.prefixScan(TaskStore.keyOf([c.key[0]]))) {
      if (!e.value) continue;
      const pk = TaskStore.decodeKey(e.key).slice(1);
      const l = unpack(e.value).row;
      if (c.row) out(c, pk, l, c.row, c.timestamp);
      else out(c, pk, leftJoin ? l : null, null, c.timestamp);
    }
  };
  return { left, right };
}
