// MIN and MAX over every comparable type (numbers, DECIMAL, STRING, BYTES, DATE, TIME,
// TIMESTAMP); nulls are ignored. Stream-only in ksqlDB, so there is no undo.

import type { SqlType } from '../../common/sql-type.ts';
import type { AggregateFunction, ResolvedAggregate } from '../function-types.ts';
import { compareValues } from '../scalar/compare.ts';
import { aggregateDoc, argType, noOverload } from './resolve.ts';

/** The types ksqlDB's MIN/MAX/TOPK accept: their values are totally ordered. */
export const COMPARABLE_KINDS: readonly SqlType['kind'][] = [
  'INTEGER', 'BIGINT', 'DOUBLE', 'DECIMAL', 'STRING', 'BYTES', 'DATE', 'TIME', 'TIMESTAMP',
];

function extremum(name: 'MIN' | 'MAX', keepNew: (cmp: number) => boolean): AggregateFunction {
  const pick = (acc: unknown, v: unknown): unknown =>
    v === null ? acc : acc === null || keepNew(compareValues(v, acc)) ? v : acc;
  return {
    doc: aggregateDoc(name, `Returns the ${name === 'MIN' ? 'minimum' : 'maximum'} non-null value of the column.`,
      COMPARABLE_KINDS.map((k) => ({ args: `col1 ${k}`, returns: k }))),
    resolve(args) {
      const t = args.length === 1 ? argType(args[0]!) : undefined;
      if (!t || !COMPARABLE_KINDS.includes(t.kind)) return noOverload(name, args);
      const agg: ResolvedAggregate = {
        returnType: t,
        accumulatorType: t,
        inputArgCount: 1,
        initial: () => null,
        add: (acc, a) => pick(acc, a[0]),
        merge: pick,
        result: (acc) => acc,
      };
      return agg;
    },
  };
}

export const MIN = extremum('MIN', (cmp) => cmp < 0);
export const MAX = extremum('MAX', (cmp) => cmp > 0);
