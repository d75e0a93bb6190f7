// HISTOGRAM: a map from each distinct STRING value to its count, at most 1000 distinct values
// (later ones are ignored, as documented). Nulls are skipped. Valid on tables (undo).

import { BIGINT, mapType, STRING } from '../../common/sql-type.ts';
import type { AggregateFunction, ResolvedAggregate } from '../function-types.ts';
import { aggregateDoc, argType, noOverload } from './resolve.ts';

const LIMIT = 1000;

type Counts = ReadonlyMap<string, bigint>;

function bump(acc: Counts, key: string, by: bigint): Counts {
  const current = acc.get(key);
  if (current === undefined && (by < 0n || acc.size >= LIMIT)) return acc;
  const next = new Map(acc);
  const n = (current ?? 0n) + by;
  // An entry that drops to zero disappears, so undo restores the map a value never reached.
  if (n <= 0n) next.delete(key);
  else next.set(key, n);
  return next;
}

export const HISTOGRAM: AggregateFunction = {
  doc: aggregateDoc('HISTOGRAM', 'Returns a map of each distinct string value to the number of times it occurs.', [
    { args: 'col1 STRING', returns: 'MAP<STRING, BIGINT>' },
  ]),
  resolve(args) {
    const t = args.length === 1 ? argType(args[0]!) : undefined;
    if (t === undefined || (t !== null && t.kind !== 'STRING')) return noOverload('HISTOGRAM', args);
    const type = mapType(STRING, BIGINT);
    const agg: ResolvedAggregate<Counts> = {
      returnType: type,
      accumulatorType: type,
      inputArgCount: 1,
      initial: () => new Map(),
      add: (acc, a) => (a[0] === null ? acc : bump(acc, a[0] as string, 1n)),
      undo: (acc, a) => (a[0] === null ? acc : bump(acc, a[0] as string, -1n)),
      merge: (x, y) => {
        let out = x;
        for (const [k, n] of y) out = bump(out, k, n);
        return out;
      },
      result: (acc) => acc,
    };
    return agg;
  },
};
