// Stream-table joins: stream records look up the table's current row by key; table changes only
// update the table's store (they never trigger output). LEFT joins emit nulls for missing rows.

import type { Change, Emit } from '../change.ts';
import type { OperatorContext } from '../operator-context.ts';
import { TaskStore } from '../task-store.ts';
import { hasNull, joinedRow, shapeOf, sideStore, unpack, type JoinStep } from './join-rows.ts';

export function streamTableJoin(step: JoinStep, ctx: OperatorContext, emit: Emit): { left: Emit; right: Emit } {
  const shape = shapeOf(step);
  const table = sideStore(ctx, step.rightStore, step.right.layout);
  const leftJoin = step.joinType === 'LEFT';
  const left = (c: Change): void => {
    if (c.row === null) return;
    let right: unknown[] | null = null;
    if (hasNull(c.key)) {
      if (!leftJoin) return;
    } else {
      const stored = table.get(TaskStore.keyOf(c.key));
      right = stored ? unpack(stored).row : null;
    }
    if (right === null && !leftJoin) return;
    emit({ ...c, row: joinedRow(shape, c.key, c.row, right, c.timestamp), old: undefined });
  };
  const right = (c: Change): void => {
    if (hasNull(c.key)) return;
    const k = TaskStore.keyOf(c.key);
    if (c.row === null) table.delete(k);
    else table.put(k, [...c.row, c.timestamp]);
  };
  return { left, right };
}
