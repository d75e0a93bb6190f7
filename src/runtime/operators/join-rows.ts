// Shared pieces of the join operators: the joined row layout ([key..., left..., right..., ROWTIME]),
// stores of side rows with their timestamps, and reading a row's window bounds.

import { DOUBLE } from '../../common/sql-type.ts';
import type { LayoutColumn, Step } from '../../plan/steps.ts';
import { internalRowCodec } from '../../serde/internal-codec.ts';
import type { Window } from '../../serde/serde.ts';
import type { OperatorContext } from '../operator-context.ts';
import type { TaskStore } from '../task-store.ts';

export type JoinStep = Step & { kind: 'Join' };

export interface JoinShape {
  readonly keyCount: number;
  readonly leftWidth: number;
  readonly rightWidth: number;
}

export function shapeOf(step: JoinStep): JoinShape {
  return { keyCount: step.keyCount, leftWidth: step.left.layout.length, rightWidth: step.right.layout.length };
}

/** The joined row; a missing side is all nulls. ROWTIME is the joined record's timestamp. */
export function joinedRow(shape: JoinShape, key: readonly unknown[], left: readonly unknown[] | null, right: readonly unknown[] | null, ts: number): unknown[] {
  const out = new Array<unknown>(shape.keyCount + shape.leftWidth + shape.rightWidth + 1);
  for (let i = 0; i < shape.keyCount; i++) out[i] = key[i] ?? null;
  let o = shape.keyCount;
  for (let i = 0; i < shape.leftWidth; i++) out[o++] = left ? left[i] ?? null : null;
  for (let i = 0; i < shape.rightWidth; i++) out[o++] = right ? right[i] ?? null : null;
  out[o] = BigInt(ts);
  return out;
}

/** A store of side rows; each value is the row followed by its record timestamp. */
export function sideStore(ctx: OperatorContext, name: string, layout: readonly LayoutColumn[]): TaskStore<unknown[] | null> {
  return ctx.store<unknown[] | null>(name, internalRowCodec([...layout.map((c) => c.type), DOUBLE]) as never);
}

/** Splits a stored value into the row and its timestamp. */
export function unpack(stored: unknown[]): { row: unknown[]; ts: number } {
  return { row: stored.slice(0, -1), ts: Number(stored[stored.length - 1]) };
}

/** The window of a row read from its WINDOWSTART/WINDOWEND columns (windowed sources). */
export function windowReader(layout: readonly LayoutColumn[]): (row: readonly unknown[]) => Window | undefined {
  const s = layout.findIndex((c) => c.name === 'WINDOWSTART');
  const e = layout.findIndex((c) => c.name === 'WINDOWEND');
  if (s < 0 || e < 0) return () => undefined;
  return (row) => (row[s] === null || row[s] === undefined ? undefined : { start: Number(row[s]), end: Number(row[e]) });
}

export function hasNull(key: readonly unknown[]): boolean {
  return key.length === 0 || key.some((k) => k === null || k === undefined);
}
