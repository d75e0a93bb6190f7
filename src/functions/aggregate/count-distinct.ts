// COUNT_DISTINCT: the number of distinct non-null values. ksqlDB estimates it with HyperLogLog;
// this one is exact (same answers where HLL is exact), at the cost of keeping every distinct value.

import { arrayType, BIGINT, STRING } from '../../common/sql-type.ts';
import type { AggregateFunction, ResolvedAggregate } from '../function-types.ts';
import { valueKey } from '../scalar/compare.ts';
import { aggregateDoc, argType, noOverload } from './resolve.ts';

/** Sorted canonical keys of the values seen: binary search to add, a linear merge to combine. */
type Keys = readonly string[];

function insert(acc: Keys, key: string): Keys {
  let lo = 0;
  let hi = acc.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (acc[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  if (acc[lo] === key) return acc;
  return [...acc.slice(0, lo), key, ...acc.slice(lo)];
}

function union(a: Keys, b: Keys): Keys {
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i];
    const y = b[j];
    if (y === undefined || (x !== undefined && x < y)) { out.push(x!); i++; }
    else if (x === undefined || y < x) { out.push(y); j++; }
    else { out.push(x); i++; j++; }
  }
  return out;
}

export const COUNT_DISTINCT: AggregateFunction = {
  doc: aggregateDoc('COUNT_DISTINCT', 'Returns the number of distinct non-null values of the column.', [
    { args: 'col1 ANY', returns: 'BIGINT' },
  ]),
  resolve(args) {
    const t = args.length === 1 ? argType(args[0]!) : undefined;
    if (t === undefined) return noOverload('COUNT_DISTINCT', args);
    const agg: ResolvedAggregate<Keys> = {
      returnType: BIGINT,
      accumulatorType: arrayType(STRING),
      inputArgCount: 1,
      initial: () => [],
      add: (acc, a) => (a[0] === null ? acc : insert(acc, valueKey(a[0]))),
      merge: union,
      result: (acc) => BigInt(acc.length),
    };
    return agg;
  },
};
