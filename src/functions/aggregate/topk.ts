// TOPK(col, k) and TOPK(col, other1, ..., otherN, k): the k largest non-null values of col,
// largest first; with other columns, structs {sort_col, col0..colN-1} ordered by sort_col.

import { arrayType, structType, type SqlType } from '../../common/sql-type.ts';
import type { AggregateFunction, ResolvedAggregate } from '../function-types.ts';
import { compareValues } from '../scalar/compare.ts';
import { COMPARABLE_KINDS } from './min-max.ts';
import { aggregateDoc, argType, intLiteral, noOverload } from './resolve.ts';

type Entries = readonly unknown[];

/** Inserts after every entry not smaller (ties keep arrival order) and keeps at most k. */
export function insertTop(acc: Entries, entry: unknown, k: number, sortKey: (e: unknown) => unknown): Entries {
  const v = sortKey(entry);
  let i = acc.length;
  while (i > 0 && compareValues(sortKey(acc[i - 1]), v) < 0) i--;
  if (i >= k) return acc;
  const out = [...acc.slice(0, i), entry, ...acc.slice(i)];
  if (out.length > k) out.length = k;
  return out;
}

export const TOPK: AggregateFunction = {
  doc: aggregateDoc('TOPK', 'Returns the k largest non-null values of the column, largest first.', [
    { args: 'col1 T, k INT', returns: 'ARRAY<T>' },
    { args: 'col1 T, other1 ANY, ..., k INT', returns: 'ARRAY<STRUCT<sort_col T, col0 ANY, ...>>' },
  ]),
  resolve(args) {
    const types = args.map(argType);
    const sortType = types[0];
    const kType = types[types.length - 1];
    if (args.length < 2 || !sortType || !COMPARABLE_KINDS.includes(sortType.kind) ||
      (kType !== null && kType?.kind !== 'INTEGER') || types.slice(1, -1).some((t) => !t)) {
      return noOverload('TOPK', args);
    }
    const kLit = intLiteral('TOPK', args, args.length - 1);
    if ('error' in kLit) return kLit;
    const k = kLit.value;
    const others = types.slice(1, -1) as SqlType[];
    if (others.length === 0) {
      const type = arrayType(sortType);
      const agg: ResolvedAggregate<Entries> = {
        returnType: type,
        accumulatorType: type,
        inputArgCount: 1,
        initial: () => [],
        add: (acc, a) => (a[0] === null ? acc : insertTop(acc, a[0], k, (e) => e)),
        merge: (x, y) => y.reduce((acc: Entries, e) => insertTop(acc, e, k, (v) => v), x),
        result: (acc) => acc,
      };
      return agg;
    }
    const fields = [{ name: 'sort_col', type: sortType }, ...others.map((t, i) => ({ name: `col${i}`, type: t }))];
    const type = arrayType(structType(fields));
    const sortKey = (e: unknown): unknown => (e as { sort_col: unknown }).sort_col;
    const agg: ResolvedAggregate<Entries> = {
      returnType: type,
      accumulatorType: type,
      inputArgCount: args.length - 1,
      initial: () => [],
      add: (acc, a) => {
        if (a[0] === null) return acc;
        const entry: Record<string, unknown> = { sort_col: a[0] };
        others.forEach((_, i) => { entry[`col${i}`] = a[i + 1]; });
        return insertTop(acc, entry, k, sortKey);
      },
      merge: (x, y) => y.reduce((acc: Entries, e) => insertTop(acc, e, k, sortKey), x),
      result: (acc) => acc,
    };
    return agg;
  },
};
