// Test helpers for aggregates: argument descriptions and folding rows through a resolved
// aggregate the way the runtime does (one result per input row). Used by *.test.ts only.

import type { SqlType } from '../../common/sql-type.ts';
import type { AggregateFunction, ArgInfo, ResolvedAggregate } from '../function-types.ts';

/** A column argument of the given type. */
export function col(type: SqlType, text?: string): ArgInfo {
  return text === undefined ? { type: { kind: 'value', type } } : { type: { kind: 'value', type }, text };
}

/** A literal argument. */
export function lit(type: SqlType, value: unknown): ArgInfo {
  return { type: { kind: 'value', type }, constant: { value } };
}

export function resolveOk(fn: AggregateFunction, args: readonly ArgInfo[]): ResolvedAggregate {
  const r = fn.resolve(args);
  if ('error' in r) throw new Error(r.error);
  return r;
}

export function resolveError(fn: AggregateFunction, args: readonly ArgInfo[]): string {
  const r = fn.resolve(args);
  if (!('error' in r)) throw new Error('expected a resolution error');
  return r.error;
}

/**
 * A change to fold, as a table aggregation sees it: `+` adds a row, `-` retracts one (a
 * tombstone), `u` retracts the old row's arguments then adds the new one's (an update).
 */
export type Change =
  | readonly ['+' | '-', ...unknown[]]
  | readonly ['u', readonly unknown[], readonly unknown[]];

/** Folds the changes and returns the result after each one, like a table's output records. */
export function outputsOf(agg: ResolvedAggregate, changes: readonly Change[], start: unknown = agg.initial()): unknown[] {
  let acc = start;
  const out: unknown[] = [];
  const undo = (a: unknown, args: readonly unknown[]): unknown => {
    if (!agg.undo) throw new Error('aggregate has no undo');
    return agg.undo(a, args);
  };
  for (const change of changes) {
    if (change[0] === 'u') acc = agg.add(undo(acc, change[1]), change[2]);
    else if (change[0] === '+') acc = agg.add(acc, change.slice(1));
    else acc = undo(acc, change.slice(1));
    out.push(agg.result(acc));
  }
  return out;
}

/** Adds single-argument rows and returns the result after each. */
export function results(agg: ResolvedAggregate, values: readonly unknown[]): unknown[] {
  return outputsOf(agg, values.map((v) => ['+', v] as const));
}

/** The accumulator after adding single-argument rows. */
export function accumulate(agg: ResolvedAggregate, values: readonly unknown[], start: unknown = agg.initial()): unknown {
  return values.reduce((acc, v) => agg.add(acc, [v]), start);
}
