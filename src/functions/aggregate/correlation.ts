// CORRELATION(x, y): Pearson's correlation coefficient over the rows where both are non-null,
// as DOUBLE (NaN with fewer than two points). Kept as running sums so it is valid on tables (undo).

import { BIGINT, DOUBLE, structType } from '../../common/sql-type.ts';
import type { AggregateFunction, ResolvedAggregate } from '../function-types.ts';
import { aggregateDoc, argType, noOverload, toDouble, widenNumeric } from './resolve.ts';

interface Sums {
  readonly COUNT: bigint;
  readonly X_SUM: number;
  readonly Y_SUM: number;
  readonly X_SQUARED_SUM: number;
  readonly Y_SQUARED_SUM: number;
  readonly XY_SUM: number;
}

const SUMS_TYPE = structType([
  { name: 'COUNT', type: BIGINT },
  ...['X_SUM', 'Y_SUM', 'X_SQUARED_SUM', 'Y_SQUARED_SUM', 'XY_SUM'].map((name) => ({ name, type: DOUBLE })),
]);

function step(acc: Sums, xv: unknown, yv: unknown, sign: 1 | -1): Sums {
  if (xv === null || yv === null) return acc;
  const x = toDouble(xv);
  const y = toDouble(yv);
  return {
    COUNT: acc.COUNT + BigInt(sign),
    X_SUM: acc.X_SUM + sign * x,
    Y_SUM: acc.Y_SUM + sign * y,
    X_SQUARED_SUM: acc.X_SQUARED_SUM + sign * x * x,
    Y_SQUARED_SUM: acc.Y_SQUARED_SUM + sign * y * y,
    XY_SUM: acc.XY_SUM + sign * x * y,
  };
}

export const CORRELATION: AggregateFunction = {
  doc: aggregateDoc('CORRELATION', 'Returns the correlation coefficient of two numeric columns.', [
    { args: 'x DOUBLE, y DOUBLE', returns: 'DOUBLE' },
  ]),
  resolve(args) {
    const ok = args.length === 2 && args.every((a) => {
      const t = argType(a);
      return t === null || (t !== undefined && widenNumeric(t, ['DOUBLE']) !== undefined);
    });
    if (!ok) return noOverload('CORRELATION', args);
    const agg: ResolvedAggregate<Sums> = {
      returnType: DOUBLE,
      accumulatorType: SUMS_TYPE,
      inputArgCount: 2,
      initial: () => ({ COUNT: 0n, X_SUM: 0, Y_SUM: 0, X_SQUARED_SUM: 0, Y_SQUARED_SUM: 0, XY_SUM: 0 }),
      add: (acc, a) => step(acc, a[0], a[1], 1),
      undo: (acc, a) => step(acc, a[0], a[1], -1),
      merge: (p, q) => ({
        COUNT: p.COUNT + q.COUNT,
        X_SUM: p.X_SUM + q.X_SUM,
        Y_SUM: p.Y_SUM + q.Y_SUM,
        X_SQUARED_SUM: p.X_SQUARED_SUM + q.X_SQUARED_SUM,
        Y_SQUARED_SUM: p.Y_SQUARED_SUM + q.Y_SQUARED_SUM,
        XY_SUM: p.XY_SUM + q.XY_SUM,
      }),
      result: (s) => {
        // n*Σxy - ΣxΣy over sqrt((n*Σx² - (Σx)²)(n*Σy² - (Σy)²)), in this operation order: it is
        // the one that reproduces ksqlDB's outputs bit for bit. 0/0 gives NaN like Java.
        const n = Number(s.COUNT);
        const numerator = n * s.XY_SUM - s.X_SUM * s.Y_SUM;
        const denominator = Math.sqrt((n * s.X_SQUARED_SUM - s.X_SUM * s.X_SUM) * (n * s.Y_SQUARED_SUM - s.Y_SUM * s.Y_SUM));
        return numerator / denominator;
      },
    };
    return agg;
  },
};
