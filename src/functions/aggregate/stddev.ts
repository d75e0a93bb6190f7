// STDDEV_SAMPLE (sample standard deviation) and STDDEV_SAMP, which in ksqlDB returns the sample
// *variance* (its corpus expects 50.0 for {0, 10}); both kept bug-compatible. Valid on tables.

import { BIGINT, DOUBLE, structType, type SqlType } from '../../common/sql-type.ts';
import type { AggregateFunction, ResolvedAggregate } from '../function-types.ts';
import { aggregateDoc, argType, noOverload, toBigInt, toDouble, widenNumeric } from './resolve.ts';

/** Count, sum and sum of squared deviations (M2), updated incrementally. */
interface Moments { readonly COUNT: bigint; readonly SUM: number | bigint; readonly M2: number }

function moments(name: string, toResult: (variance: number) => number): AggregateFunction {
  return {
    doc: aggregateDoc(name, name === 'STDDEV_SAMP'
      ? 'Returns the sample variance of the column (ksqlDB behaviour).'
      : 'Returns the sample standard deviation of the column.', [
      { args: 'col1 INT', returns: 'DOUBLE' },
      { args: 'col1 BIGINT', returns: 'DOUBLE' },
      { args: 'col1 DOUBLE', returns: 'DOUBLE' },
    ]),
    resolve(args) {
      const t = args.length === 1 ? argType(args[0]!) : undefined;
      const target: SqlType | undefined = t === null ? DOUBLE : t ? widenNumeric(t, ['INTEGER', 'BIGINT', 'DOUBLE']) : undefined;
      if (!target) return noOverload(name, args);
      // Integral sums stay exact so n*x - sum is computed without rounding.
      const exact = target.kind !== 'DOUBLE';
      // (n*x - sum) with the new n and sum; exact in BIGINT for integral inputs.
      const deviation = (n: bigint, sum: number | bigint, v: unknown): number =>
        exact ? Number(n * toBigInt(v) - (sum as bigint)) : Number(n) * toDouble(v) - (sum as number);
      const plus = (sum: number | bigint, v: unknown, sign: 1 | -1): number | bigint =>
        exact ? (sum as bigint) + BigInt(sign) * toBigInt(v) : (sum as number) + sign * toDouble(v);
      const agg: ResolvedAggregate<Moments> = {
        returnType: DOUBLE,
        accumulatorType: structType([
          { name: 'COUNT', type: BIGINT }, { name: 'SUM', type: exact ? BIGINT : DOUBLE }, { name: 'M2', type: DOUBLE },
        ]),
        inputArgCount: 1,
        initial: () => ({ COUNT: 0n, SUM: exact ? 0n : 0, M2: 0 }),
        add: (acc, a) => {
          if (a[0] === null) return acc;
          const count = acc.COUNT + 1n;
          const sum = plus(acc.SUM, a[0], 1);
          if (acc.COUNT === 0n) return { COUNT: count, SUM: sum, M2: 0 };
          const d = deviation(count, sum, a[0]);
          return { COUNT: count, SUM: sum, M2: acc.M2 + (d * d) / (Number(count) * Number(acc.COUNT)) };
        },
        undo: (acc, a) => {
          if (a[0] === null || acc.COUNT === 0n) return acc;
          if (acc.COUNT === 1n) return { COUNT: 0n, SUM: exact ? 0n : 0, M2: 0 };
          const count = acc.COUNT - 1n;
          const d = deviation(acc.COUNT, acc.SUM, a[0]);
          return { COUNT: count, SUM: plus(acc.SUM, a[0], -1), M2: acc.M2 - (d * d) / (Number(acc.COUNT) * Number(count)) };
        },
        merge: (p, q) => {
          if (p.COUNT === 0n) return q;
          if (q.COUNT === 0n) return p;
          // Chan et al.: M2 = M2a + M2b + (mean_b - mean_a)^2 * na*nb / (na+nb).
          const na = Number(p.COUNT);
          const nb = Number(q.COUNT);
          const delta = Number(q.SUM) / nb - Number(p.SUM) / na;
          return {
            COUNT: p.COUNT + q.COUNT,
            SUM: exact ? (p.SUM as bigint) + (q.SUM as bigint) : (p.SUM as number) + (q.SUM as number),
            M2: p.M2 + q.M2 + (delta * delta * na * nb) / (na + nb),
          };
        },
        result: (acc) => (acc.COUNT < 2n ? 0.0 : toResult(acc.M2 / Number(acc.COUNT - 1n))),
      };
      return agg;
    },
  };
}

export const STDDEV_SAMP = moments('STDDEV_SAMP', (variance) => variance);
export const STDDEV_SAMPLE = moments('STDDEV_SAMPLE', Math.sqrt);
