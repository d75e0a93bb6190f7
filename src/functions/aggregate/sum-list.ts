// SUM_LIST: sums the elements of ARRAY<INT|BIGINT|DOUBLE> values across rows; null arrays and
// null elements are skipped. Valid on tables (undo).

import type { AggregateFunction, ResolvedAggregate } from '../function-types.ts';
import { aggregateDoc, argType, noOverload } from './resolve.ts';
import { sumOps } from './sum.ts';

export const SUM_LIST: AggregateFunction = {
  doc: aggregateDoc('SUM_LIST', 'Sums the elements of the array values; null elements are ignored.', [
    { args: 'col1 ARRAY<INT>', returns: 'INT' },
    { args: 'col1 ARRAY<BIGINT>', returns: 'BIGINT' },
    { args: 'col1 ARRAY<DOUBLE>', returns: 'DOUBLE' },
  ]),
  resolve(args) {
    const t = args.length === 1 ? argType(args[0]!) : undefined;
    const element = t?.kind === 'ARRAY' ? t.element : undefined;
    const ops = element && ['INTEGER', 'BIGINT', 'DOUBLE'].includes(element.kind) ? sumOps(element) : undefined;
    if (!ops) return noOverload('SUM_LIST', args);
    const total = (list: unknown): unknown => {
      let s = ops.zero;
      for (const x of (list as unknown[] | null) ?? []) if (x !== null) s = ops.add(s, ops.from(x));
      return s;
    };
    const agg: ResolvedAggregate = {
      returnType: ops.type,
      accumulatorType: ops.type,
      inputArgCount: 1,
      initial: () => ops.zero,
      add: (acc, a) => ops.add(acc, total(a[0])),
      undo: (acc, a) => ops.sub(acc, total(a[0])),
      merge: (x, y) => ops.add(x, y),
      result: (acc) => acc,
    };
    return agg;
  },
};
