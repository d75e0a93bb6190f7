// Table-table joins on the primary key (Kafka Streams' KTable-KTable join): a change on either
// side looks up the other side's current row and emits the joined row, or a tombstone, with the
// previous joined row as `old`. The result's timestamp is the larger of the two rows'.

import type { Change, Emit } from '../change.ts';
import type { OperatorContext } from '../operator-context.ts';
import { TaskStore } from '../task-store.ts';
import { hasNull, joinedRow, shapeOf, sideStore, unpack, type JoinStep } from './join-rows.ts';

export function tableTableJoin(step: JoinStep, ctx: OperatorContext, emit: Emit): { left: Emit; right: Emit } {
  const shape = shapeOf(step);
  const stores = [sideStore(ctx, step.leftStore, step.left.layout), sideStore(ctx, step.rightStore, step.right.layout)];
  // Whether a side's rows are kept when the other side has none.
  const outer = [step.joinType === 'LEFT' || step.joinType === 'FULL', step.joinType === 'RIGHT' || step.joinType === 'FULL'];

  const process = (side: 0 | 1) => (c: Change): void => {
    if (hasNull(c.key)) return;
    const k = TaskStore.keyOf(c.key);
    const prevStored = stores[side]!.get(k);
    const prev = c.old !== undefined ? c.old : prevStored ? unpack(prevStored).row : null;
    if (c.row === null) stores[side]!.delete(k);
    else stores[side]!.put(k, [...c.row, c.timestamp]);
    const otherStored = stores[1 - side]!.get(k);
    const other = otherStored ? unpack(otherStored) : undefined;
    // This side's rows only show when the other side exists, unless this side is outer.
    if (!other && !outer[side]) return;
    if (!other && c.row === null && prev === null) return;
    const ts = other ? Math.max(c.timestamp, other.ts) : c.timestamp;
    const combine = (mine: unknown[] | null): unknown[] | null => {
      // A missing row on this side leaves a row only if the other side is kept without it.
      if (mine === null && !(other && outer[1 - side])) return null;
      if (mine === null && !other) return null;
      const l = side === 0 ? mine : other?.row ?? null;
      const r = side === 0 ? other?.row ?? null : mine;
      return joinedRow(shape, c.key, l, r, ts);
    };
    const row = combine(c.row);
    const old = combine(prev);
    if (row === null && old === null && !other) return;
    emit({ ...c, row, old, timestamp: ts, window: c.window });
  };
  return { left: process(0), right: process(1) };
}
