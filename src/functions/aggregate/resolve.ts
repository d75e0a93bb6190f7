// Overload resolution shared by the aggregates: ksqlDB's error wording, literal-parameter checks
// and implicit numeric widening (INT -> BIGINT -> DECIMAL -> DOUBLE). Knows no single function.

import { Decimal } from '../../common/decimal.ts';
import { BIGINT, DOUBLE, decimalType, formatType, INTEGER, type SqlType } from '../../common/sql-type.ts';
import type { ArgInfo, FunctionDoc, ResolvedAggregate } from '../function-types.ts';

export type Resolution = ResolvedAggregate | { readonly error: string };

/** The argument's SQL type; null for a NULL literal; undefined for lambdas and time units. */
export function argType(arg: ArgInfo): SqlType | null | undefined {
  const t = arg.type;
  return t.kind === 'value' ? t.type : t.kind === 'null' ? null : undefined;
}

/** `(INTEGER, null)` as ksqlDB lists argument types in resolution errors. */
export function describeArgs(args: readonly ArgInfo[]): string {
  const parts = args.map((a) => {
    const t = argType(a);
    return t === null ? 'null' : t === undefined ? (a.type.kind === 'lambda' ? 'LAMBDA' : 'TIME_UNIT') : formatType(t);
  });
  return '(' + parts.join(', ') + ')';
}

/** ksqlDB's "does not accept parameters" error, optionally listing the valid alternatives. */
export function noOverload(name: string, args: readonly ArgInfo[], alternatives?: readonly string[]): { error: string } {
  let msg = `Function '${name}' does not accept parameters ${describeArgs(args)}.`;
  if (alternatives && alternatives.length > 0) msg += '\nValid alternatives are:\n' + alternatives.join('\n');
  return { error: msg };
}

/**
 * The value of a literal parameter (TOPK's k...), or ksqlDB's error when the argument is an
 * expression. `index` is 0-based; the message counts from 1 like ksqlDB.
 */
export function literalValue(name: string, args: readonly ArgInfo[], index: number): { value: unknown } | { error: string } {
  const arg = args[index]!;
  if (arg.constant === undefined) {
    return {
      error: `Parameter ${index + 1} passed to function ${name} must be a literal constant, ` +
        `but was expression: '${arg.text ?? '?'}'`,
    };
  }
  return { value: arg.constant.value };
}

/** An INTEGER literal parameter as a JS number (INT literals only, like ksqlDB's int params). */
export function intLiteral(name: string, args: readonly ArgInfo[], index: number): { value: number } | { error: string } {
  const lit = literalValue(name, args, index);
  if ('error' in lit) return lit;
  const v = lit.value;
  if (typeof v === 'number' && Number.isInteger(v)) return { value: v };
  if (typeof v === 'bigint') return { value: Number(v) };
  return { error: `Parameter ${index + 1} passed to function ${name} must be an INTEGER literal` };
}

const WIDENING: readonly SqlType['kind'][] = ['INTEGER', 'BIGINT', 'DECIMAL', 'DOUBLE'];

/**
 * Picks the numeric parameter type an argument of type `t` binds to, among `accepted` kinds: the
 * exact kind if accepted, else the nearest wider one. Undefined when none fits.
 */
export function widenNumeric(t: SqlType, accepted: readonly SqlType['kind'][]): SqlType | undefined {
  if (accepted.includes(t.kind)) return t;
  const from = WIDENING.indexOf(t.kind);
  if (from < 0) return undefined;
  for (const kind of WIDENING.slice(from + 1)) {
    if (!accepted.includes(kind)) continue;
    if (kind === 'BIGINT') return BIGINT;
    if (kind === 'DOUBLE') return DOUBLE;
    if (kind === 'DECIMAL') return t.kind === 'INTEGER' ? decimalType(10, 0) : decimalType(19, 0);
    if (kind === 'INTEGER') return INTEGER;
  }
  return undefined;
}

/** Converts a numeric runtime value to a double (for widened arguments). */
export function toDouble(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Decimal) return v.toNumber();
  throw new Error(`Not a number: ${String(v)}`);
}

/** Converts an INT or BIGINT runtime value to a bigint (for widened arguments). */
export function toBigInt(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(Math.trunc(v));
  if (v instanceof Decimal) return v.setScale(0).unscaled;
  throw new Error(`Not an integer: ${String(v)}`);
}

/** A FunctionDoc for an aggregate. */
export function aggregateDoc(
  name: string,
  description: string,
  signatures: readonly { args: string; returns: string; description?: string }[],
): FunctionDoc {
  return { name, description, category: 'AGGREGATE', signatures };
}
