// SUM over INT, BIGINT, DOUBLE and DECIMAL, with ksqlDB's result types: INT and BIGINT wrap like
// Java, DECIMAL keeps the input's precision and fails with "Numeric field overflow" past it.

import { Decimal } from '../../common/decimal.ts';
import { KsqlError } from '../../common/errors.ts';
import { BIGINT, decimalType, DOUBLE, INTEGER, type SqlType } from '../../common/sql-type.ts';
import { toInt32, toInt64 } from '../../common/values.ts';
import type { AggregateFunction, ResolvedAggregate } from '../function-types.ts';
import { aggregateDoc, argType, noOverload, toBigInt, toDouble, widenNumeric } from './resolve.ts';

/** Addition and subtraction for one numeric SQL type, with that type's overflow behaviour. */
export interface NumericOps<T> {
  readonly type: SqlType;
  readonly zero: T;
  /** Converts an argument value (possibly of a narrower type) to T. */
  from(v: unknown): T;
  add(a: T, b: T): T;
  sub(a: T, b: T): T;
}

/** The arithmetic of SUM's result type for an argument type, or undefined if SUM rejects it. */
export function sumOps(t: SqlType): NumericOps<unknown> | undefined {
  const target = widenNumeric(t, ['INTEGER', 'BIGINT', 'DOUBLE', 'DECIMAL']);
  if (!target) return undefined;
  switch (target.kind) {
    case 'INTEGER':
      return {
        type: INTEGER, zero: 0, from: (v) => v as number,
        add: (a, b) => toInt32((a as number) + (b as number)),
        sub: (a, b) => toInt32((a as number) - (b as number)),
      };
    case 'BIGINT':
      return {
        type: BIGINT, zero: 0n, from: toBigInt,
        add: (a, b) => toInt64((a as bigint) + (b as bigint)),
        sub: (a, b) => toInt64((a as bigint) - (b as bigint)),
      };
    case 'DOUBLE':
      return {
        type: DOUBLE, zero: 0, from: toDouble,
        add: (a, b) => (a as number) + (b as number),
        sub: (a, b) => (a as number) - (b as number),
      };
    case 'DECIMAL':
      return decimalOps(target.precision, target.scale) as NumericOps<unknown>;
    default:
      return undefined;
  }
}

function decimalOps(precision: number, scale: number): NumericOps<Decimal> {
  const type = decimalType(precision, scale);
  const limit = 10n ** BigInt(precision);
  const fit = (unscaled: bigint): Decimal => {
    if (unscaled >= limit || unscaled <= -limit) throw new KsqlError('runtime', 'Numeric field overflow');
    return new Decimal(unscaled, scale);
  };
  const from = (v: unknown): Decimal =>
    v instanceof Decimal ? v.setScale(scale) : new Decimal(toBigInt(v) * 10n ** BigInt(scale), scale);
  return {
    type,
    zero: new Decimal(0n, scale),
    from,
    add: (a, b) => fit(from(a).unscaled + from(b).unscaled),
    sub: (a, b) => fit(from(a).unscaled - from(b).unscaled),
  };
}

export const SUM: AggregateFunction = {
  doc: aggregateDoc('SUM', 'Sums the column values; null values are ignored.', [
    { args: 'col1 INT', returns: 'INT' },
    { args: 'col1 BIGINT', returns: 'BIGINT' },
    { args: 'col1 DOUBLE', returns: 'DOUBLE' },
    { args: 'col1 DECIMAL', returns: 'DECIMAL' },
  ]),
  resolve(args) {
    const t = args.length === 1 ? argType(args[0]!) : undefined;
    const ops = t === null ? sumOps(INTEGER) : t ? sumOps(t) : undefined;
    if (!ops) return noOverload('SUM', args);
    const agg: ResolvedAggregate = {
      returnType: ops.type,
      accumulatorType: ops.type,
      inputArgCount: 1,
      initial: () => ops.zero,
      add: (acc, a) => (a[0] === null ? acc : ops.add(acc, ops.from(a[0]))),
      undo: (acc, a) => (a[0] === null ? acc : ops.sub(acc, ops.from(a[0]))),
      merge: (x, y) => ops.add(x, y),
      result: (acc) => acc,
    };
    return agg;
  },
};
