// COUNT: COUNT() / COUNT(*) count rows; COUNT(col) counts rows where col is not null.
// Valid on tables (undo) and session windows (merge).

import { BIGINT } from '../../common/sql-type.ts';
import type { AggregateFunction, ResolvedAggregate } from '../function-types.ts';
import { aggregateDoc, noOverload } from './resolve.ts';

export const COUNT: AggregateFunction = {
  doc: aggregateDoc('COUNT', 'Counts records; with a column, the records where it is not null.', [
    { args: '', returns: 'BIGINT', description: 'Counts all records (COUNT(*)).' },
    { args: 'col1 ANY', returns: 'BIGINT', description: 'Counts records where col1 is not null.' },
  ]),
  resolve(args) {
    if (args.length > 1 || args.some((a) => a.type.kind === 'lambda' || a.type.kind === 'timeUnit')) {
      return noOverload('COUNT', args);
    }
    // COUNT(*) arrives as COUNT() (or COUNT(ROWTIME), which is never null): count every row.
    const countsAll = args.length === 0;
    const agg: ResolvedAggregate<bigint> = {
      returnType: BIGINT,
      accumulatorType: BIGINT,
      inputArgCount: args.length,
      initial: () => 0n,
      add: (acc, a) => (countsAll || a[0] !== null ? acc + 1n : acc),
      undo: (acc, a) => (countsAll || a[0] !== null ? acc - 1n : acc),
      merge: (x, y) => x + y,
      result: (acc) => acc,
    };
    return agg;
  },
};
