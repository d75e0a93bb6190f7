// TOPKDISTINCT(col, k): the k largest distinct non-null values of col, largest first.

import { arrayType } from '../../common/sql-type.ts';
import type { AggregateFunction, ResolvedAggregate } from '../function-types.ts';
import { compareValues } from '../scalar/compare.ts';
import { COMPARABLE_KINDS } from './min-max.ts';
import { aggregateDoc, argType, intLiteral, noOverload } from './resolve.ts';
import { insertTop } from './topk.ts';

type Entries = readonly unknown[];

export const TOPKDISTINCT: AggregateFunction = {
  doc: aggregateDoc('TOPKDISTINCT', 'Returns the k largest distinct non-null values of the column, largest first.', [
    { args: 'col1 T, k INT', returns: 'ARRAY<T>' },
  ]),
  resolve(args) {
    const t = args.length === 2 ? argType(args[0]!) : undefined;
    const kType = args.length === 2 ? argType(args[1]!) : undefined;
    if (!t || !COMPARABLE_KINDS.includes(t.kind) || (kType !== null && kType?.kind !== 'INTEGER')) {
      return noOverload('TOPKDISTINCT', args);
    }
    const kLit = intLiteral('TOPKDISTINCT', args, 1);
    if ('error' in kLit) return kLit;
    const k = kLit.value;
    // Equal-comparing values (e.g. 1.0 and 1.00) count as one, as in a sorted set.
    const addOne = (acc: Entries, v: unknown): Entries =>
      v === null || acc.some((x) => compareValues(x, v) === 0) ? acc : insertTop(acc, v, k, (e) => e);
    const agg: ResolvedAggregate<Entries> = {
      returnType: arrayType(t),
      accumulatorType: arrayType(t),
      inputArgCount: 1,
      initial: () => [],
      add: (acc, a) => addOne(acc, a[0]),
      merge: (x, y) => y.reduce(addOne, x),
      result: (acc) => acc,
    };
    return agg;
  },
};
