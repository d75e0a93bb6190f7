// COLLECT_LIST: every value (nulls included) in arrival order, up to
// ksql.functions.collect_list.limit entries. Valid on tables: undo removes one equal entry.

import { arrayType } from '../../common/sql-type.ts';
import type { AggregateFunction, ResolvedAggregate } from '../function-types.ts';
import { valuesEqual } from '../scalar/compare.ts';
import { aggregateDoc, argType, noOverload } from './resolve.ts';

export function collectList(limit: number): AggregateFunction {
  return {
    doc: aggregateDoc('COLLECT_LIST', 'Returns an array of all the values of the column, in arrival order.', [
      { args: 'col1 ANY', returns: 'ARRAY' },
    ]),
    resolve(args) {
      const t = args.length === 1 ? argType(args[0]!) : undefined;
      if (!t) return noOverload('COLLECT_LIST', args);
      const agg: ResolvedAggregate<readonly unknown[]> = {
        returnType: arrayType(t),
        accumulatorType: arrayType(t),
        inputArgCount: 1,
        initial: () => [],
        add: (acc, a) => (acc.length >= limit ? acc : [...acc, a[0]]),
        undo: (acc, a) => {
          const i = acc.findIndex((x) => valuesEqual(x, a[0]));
          return i < 0 ? acc : [...acc.slice(0, i), ...acc.slice(i + 1)];
        },
        // Documented: the first window's values, then the second's, up to the limit.
        merge: (x, y) => (x.length >= limit ? x : [...x, ...y.slice(0, limit - x.length)]),
        result: (acc) => acc,
      };
      return agg;
    },
  };
}
