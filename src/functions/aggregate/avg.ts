// AVG over INT, BIGINT and DOUBLE (DECIMAL widens to DOUBLE); returns DOUBLE, 0.0 when no
// non-null value was seen, like ksqlDB. Valid on tables (undo).

import { BIGINT, DOUBLE, structType, type SqlType } from '../../common/sql-type.ts';
import type { AggregateFunction, ResolvedAggregate } from '../function-types.ts';
import { aggregateDoc, argType, noOverload, toBigInt, toDouble, widenNumeric } from './resolve.ts';

/** The accumulator: integral inputs sum exactly in a BIGINT, doubles in a DOUBLE. */
interface AvgAcc { readonly SUM: number | bigint; readonly COUNT: bigint }

export const AVG: AggregateFunction = {
  doc: aggregateDoc('AVG', 'Returns the average of the non-null values of the column.', [
    { args: 'col1 INT', returns: 'DOUBLE' },
    { args: 'col1 BIGINT', returns: 'DOUBLE' },
    { args: 'col1 DOUBLE', returns: 'DOUBLE' },
  ]),
  resolve(args) {
    const t = args.length === 1 ? argType(args[0]!) : undefined;
    const target: SqlType | undefined = t === null ? DOUBLE : t ? widenNumeric(t, ['INTEGER', 'BIGINT', 'DOUBLE']) : undefined;
    if (!target) return noOverload('AVG', args);
    const exact = target.kind !== 'DOUBLE';
    const sumType = exact ? BIGINT : DOUBLE;
    const plus = (s: number | bigint, v: unknown, sign: 1 | -1): number | bigint =>
      exact ? BigInt.asIntN(64, (s as bigint) + BigInt(sign) * toBigInt(v)) : (s as number) + sign * toDouble(v);
    const agg: ResolvedAggregate<AvgAcc> = {
      returnType: DOUBLE,
      accumulatorType: structType([{ name: 'SUM', type: sumType }, { name: 'COUNT', type: BIGINT }]),
      inputArgCount: 1,
      initial: () => ({ SUM: exact ? 0n : 0, COUNT: 0n }),
      add: (acc, a) => (a[0] === null ? acc : { SUM: plus(acc.SUM, a[0], 1), COUNT: acc.COUNT + 1n }),
      undo: (acc, a) => (a[0] === null ? acc : { SUM: plus(acc.SUM, a[0], -1), COUNT: acc.COUNT - 1n }),
      merge: (x, y) => ({
        SUM: exact ? BigInt.asIntN(64, (x.SUM as bigint) + (y.SUM as bigint)) : (x.SUM as number) + (y.SUM as number),
        COUNT: x.COUNT + y.COUNT,
      }),
      result: (acc) => (acc.COUNT === 0n ? 0.0 : Number(acc.SUM) / Number(acc.COUNT)),
    };
    return agg;
  },
};
