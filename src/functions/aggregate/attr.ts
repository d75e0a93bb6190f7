// ATTR(col): the column's value when every row in the group has the same value (null counts as a
// value), else null. Keeps a count per distinct value so that it is valid on tables (undo).

import { arrayType, INTEGER, structType } from '../../common/sql-type.ts';
import type { AggregateFunction, ResolvedAggregate } from '../function-types.ts';
import { valuesEqual } from '../scalar/compare.ts';
import { aggregateDoc, argType, noOverload } from './resolve.ts';

interface Seen { readonly VALUE: unknown; readonly COUNT: number }
type Acc = readonly Seen[];

function bump(acc: Acc, v: unknown, by: number): Acc {
  const i = acc.findIndex((e) => valuesEqual(e.VALUE, v));
  if (i < 0) return by > 0 ? [...acc, { VALUE: v, COUNT: by }] : acc;
  const count = acc[i]!.COUNT + by;
  const replacement = count > 0 ? [{ VALUE: acc[i]!.VALUE, COUNT: count }] : [];
  return [...acc.slice(0, i), ...replacement, ...acc.slice(i + 1)];
}

export const ATTR: AggregateFunction = {
  doc: aggregateDoc('ATTR', 'Returns the value of the column if it is the same in every row, else null.', [
    { args: 'col1 T', returns: 'T' },
  ]),
  resolve(args) {
    const t = args.length === 1 ? argType(args[0]!) : undefined;
    if (!t) return noOverload('ATTR', args);
    const agg: ResolvedAggregate<Acc> = {
      returnType: t,
      accumulatorType: arrayType(structType([{ name: 'VALUE', type: t }, { name: 'COUNT', type: INTEGER }])),
      inputArgCount: 1,
      initial: () => [],
      add: (acc, a) => bump(acc, a[0], 1),
      undo: (acc, a) => bump(acc, a[0], -1),
      merge: (x, y) => y.reduce((acc: Acc, e) => bump(acc, e.VALUE, e.COUNT), x),
      result: (acc) => (acc.length === 1 ? acc[0]!.VALUE : null),
    };
    return agg;
  },
};
