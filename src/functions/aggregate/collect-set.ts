// COLLECT_SET: the distinct values (null is a value) in first-seen order, up to
// ksql.functions.collect_set.limit entries. Stream-only in ksqlDB, so there is no undo.

import { arrayType } from '../../common/sql-type.ts';
import type { AggregateFunction, ResolvedAggregate } from '../function-types.ts';
import { valuesEqual } from '../scalar/compare.ts';
import { aggregateDoc, argType, noOverload } from './resolve.ts';

export function collectSet(limit: number): AggregateFunction {
  const addOne = (acc: readonly unknown[], v: unknown): readonly unknown[] =>
    acc.length >= limit || acc.some((x) => valuesEqual(x, v)) ? acc : [...acc, v];
  return {
    doc: aggregateDoc('COLLECT_SET', 'Returns an array of the distinct values of the column.', [
      { args: 'col1 ANY', returns: 'ARRAY' },
    ]),
    resolve(args) {
      const t = args.length === 1 ? argType(args[0]!) : undefined;
      if (!t) return noOverload('COLLECT_SET', args);
      const agg: ResolvedAggregate<readonly unknown[]> = {
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
}
