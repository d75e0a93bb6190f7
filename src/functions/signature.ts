// Overload resolution shared by scalar and aggregate functions: parameter patterns (exact types,
// any DECIMAL/STRUCT, generics, variadics, lambdas), ksqlDB's implicit widening and its error wording.
// Knows nothing about what a function computes; it only picks an overload and value coercions.

import { Decimal } from '../common/decimal.ts';
import type { SqlType } from '../common/sql-type.ts';
import { arrayType, decimalType, mapType, typesEqual } from '../common/sql-type.ts';
import type { ArgInfo, ArgType } from './function-types.ts';

/** A declared parameter type. */
export type ParamType =
  | { readonly p: 'exact'; readonly type: SqlType }
  /** Any DECIMAL(p, s). */
  | { readonly p: 'decimal' }
  /** Any STRUCT. */
  | { readonly p: 'struct' }
  /** A type variable, bound by the first argument it meets. */
  | { readonly p: 'generic'; readonly name: string }
  | { readonly p: 'array'; readonly element: ParamType }
  | { readonly p: 'map'; readonly key: ParamType; readonly value: ParamType }
  | { readonly p: 'lambda'; readonly params: readonly ParamType[]; readonly returns: ParamType }
  /** A bare time unit (TIMESTAMPADD(SECONDS, ...)). */
  | { readonly p: 'timeUnit' };

export interface Signature {
  readonly params: readonly ParamType[];
  /** The last parameter may repeat zero or more times (Java varargs). */
  readonly variadic?: boolean;
  /** Parameter names for "Valid alternatives" lines; optional. */
  readonly names?: readonly string[];
}

/** Shorthands for declaring signatures. */
export const P = {
  exact: (type: SqlType): ParamType => ({ p: 'exact', type }),
  BOOLEAN: { p: 'exact', type: { kind: 'BOOLEAN' } } as ParamType,
  INT: { p: 'exact', type: { kind: 'INTEGER' } } as ParamType,
  BIGINT: { p: 'exact', type: { kind: 'BIGINT' } } as ParamType,
  DOUBLE: { p: 'exact', type: { kind: 'DOUBLE' } } as ParamType,
  STRING: { p: 'exact', type: { kind: 'STRING' } } as ParamType,
  BYTES: { p: 'exact', type: { kind: 'BYTES' } } as ParamType,
  TIMESTAMP: { p: 'exact', type: { kind: 'TIMESTAMP' } } as ParamType,
  DATE: { p: 'exact', type: { kind: 'DATE' } } as ParamType,
  TIME: { p: 'exact', type: { kind: 'TIME' } } as ParamType,
  DECIMAL: { p: 'decimal' } as ParamType,
  STRUCT: { p: 'struct' } as ParamType,
  TIME_UNIT: { p: 'timeUnit' } as ParamType,
  generic: (name: string): ParamType => ({ p: 'generic', name }),
  array: (element: ParamType): ParamType => ({ p: 'array', element }),
  map: (key: ParamType, value: ParamType): ParamType => ({ p: 'map', key, value }),
  lambda: (params: readonly ParamType[], returns: ParamType): ParamType => ({ p: 'lambda', params, returns }),
} as const;

/** Converts one argument value to the parameter's representation (identity when none needed). */
export type Coercer = (value: unknown) => unknown;

export interface Match<S extends Signature = Signature> {
  readonly signature: S;
  /** Index of the chosen signature in the list given to `resolveSignature`. */
  readonly index: number;
  /** Generic bindings (T -> INTEGER, ...). */
  readonly bindings: ReadonlyMap<string, SqlType>;
  /** The type each argument has after implicit casting; null for NULL literals / lambdas. */
  readonly argTypes: readonly (SqlType | null)[];
  /** One coercer per argument (identity when not cast). */
  readonly coercers: readonly Coercer[];
  /** True when a single ARRAY argument was passed for the variadic parameter. */
  readonly spreadVariadicArray: boolean;
}

/** The coercer of arguments that need no conversion (compare by reference). */
export const identityCoercer: Coercer = (v) => v;
const identity = identityCoercer;

/**
 * Chooses the overload for `args` like ksqlDB's UdfIndex: first without implicit casts, then with;
 * within a pass the non-variadic, least-generic candidates win and a tie is an ambiguity error.
 */
export function resolveSignature<S extends Signature>(
  functionName: string,
  signatures: readonly S[],
  args: readonly ArgInfo[],
): Match<S> | { readonly error: string } {
  for (const allowCast of [false, true]) {
    const candidates: { match: Match<S>; rank: readonly number[] }[] = [];
    signatures.forEach((sig, index) => {
      const m = matchSignature(sig, index, args, allowCast);
      if (m) candidates.push({ match: m, rank: rankOf(sig, args.length) });
    });
    if (candidates.length === 0) continue;
    candidates.sort((a, b) => compareRank(a.rank, b.rank));
    if (candidates.length > 1 && compareRank(candidates[0]!.rank, candidates[1]!.rank) === 0) {
      return {
        error: `Function '${functionName}' cannot be resolved due to ambiguous method parameters (${formatArgTypes(args)}).`,
      };
    }
    return candidates[0]!.match;
  }
  return { error: noMatchMessage(functionName, signatures, args) };
}

export function noMatchMessage(functionName: string, signatures: readonly Signature[], args: readonly ArgInfo[]): string {
  const alternatives = signatures.map((s) => `${functionName}(${formatSignatureParams(s)})`);
  return `Function '${functionName}' does not accept parameters (${formatArgTypes(args)}).` +
    (alternatives.length ? `\nValid alternatives are:\n${alternatives.join('\n')}` : '');
}

/** Lower is better: [variadic, generic count, -fixed params]. */
function rankOf(sig: Signature, _argc: number): readonly number[] {
  const generics = sig.params.reduce((n, p) => n + countGenerics(p), 0);
  const fixed = sig.variadic ? sig.params.length - 1 : sig.params.length;
  return [sig.variadic ? 1 : 0, generics, -fixed];
}

function compareRank(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

function countGenerics(p: ParamType): number {
  switch (p.p) {
    case 'generic': return 1;
    case 'array': return countGenerics(p.element);
    case 'map': return countGenerics(p.key) + countGenerics(p.value);
    case 'lambda': return p.params.reduce((n, q) => n + countGenerics(q), countGenerics(p.returns));
    default: return 0;
  }
}

function matchSignature<S extends Signature>(sig: S, index: number, args: readonly ArgInfo[], allowCast: boolean): Match<S> | undefined {
  const n = sig.params.length;
  const fixed = sig.variadic ? n - 1 : n;
  if (sig.variadic ? args.length < fixed : args.length !== n) return undefined;
  const bindings = new Map<string, SqlType>();
  const argTypes: (SqlType | null)[] = [];
  const coercers: Coercer[] = [];
  let spreadVariadicArray = false;
  for (let i = 0; i < args.length; i++) {
    const param = i < fixed ? sig.params[i]! : sig.params[n - 1]!;
    let r = matchArg(param, args[i]!, bindings, allowCast);
    if (!r && sig.variadic && i === fixed && args.length === n) {
      // ksqlDB also accepts an ARRAY of the element type in the variadic position.
      const t = args[i]!.type;
      if (t.kind === 'value' && t.type.kind === 'ARRAY') {
        const inner = matchType(param, t.type.element, bindings, allowCast, undefined);
        if (inner) {
          r = { type: t.type, coerce: inner.coerce === identity ? identity : (v) => (v === null ? null : (v as unknown[]).map(inner.coerce)) };
          spreadVariadicArray = true;
        }
      }
    }
    if (!r) return undefined;
    argTypes.push(r.type);
    coercers.push(r.coerce);
  }
  return { signature: sig, index, bindings, argTypes, coercers, spreadVariadicArray };
}

interface ArgMatch { readonly type: SqlType | null; readonly coerce: Coercer }

function matchArg(param: ParamType, arg: ArgInfo, bindings: Map<string, SqlType>, allowCast: boolean): ArgMatch | undefined {
  const t = arg.type;
  switch (t.kind) {
    case 'null':
      if (param.p === 'lambda' || param.p === 'timeUnit') return undefined;
      return { type: param.p === 'exact' ? param.type : null, coerce: identity };
    case 'timeUnit':
      return param.p === 'timeUnit' ? { type: null, coerce: identity } : undefined;
    case 'lambda': {
      if (param.p !== 'lambda' || param.params.length !== t.params.length) return undefined;
      for (let i = 0; i < t.params.length; i++) {
        if (!matchType(param.params[i]!, t.params[i]!, bindings, false, undefined)) return undefined;
      }
      if (!matchType(param.returns, t.returns, bindings, false, undefined)) return undefined;
      return { type: null, coerce: identity };
    }
    case 'value':
      return matchType(param, t.type, bindings, allowCast, arg.constant);
  }
}

/** Matches a value type against a pattern, binding generics; with `allowCast`, widens. */
export function matchType(
  param: ParamType,
  type: SqlType,
  bindings: Map<string, SqlType>,
  allowCast: boolean,
  constant: { readonly value: unknown } | undefined,
): ArgMatch | undefined {
  switch (param.p) {
    case 'exact':
      if (typesEqual(param.type, type)) return { type, coerce: identity };
      if (!allowCast) return undefined;
      return castTo(type, param.type, constant);
    case 'decimal':
      if (type.kind === 'DECIMAL') return { type, coerce: identity };
      if (!allowCast) return undefined;
      if (type.kind === 'INTEGER') return castTo(type, decimalType(10, 0), constant);
      if (type.kind === 'BIGINT') return castTo(type, decimalType(19, 0), constant);
      return undefined;
    case 'struct':
      return type.kind === 'STRUCT' ? { type, coerce: identity } : undefined;
    case 'generic': {
      const bound = bindings.get(param.name);
      if (!bound) {
        bindings.set(param.name, type);
        return { type, coerce: identity };
      }
      if (typesEqual(bound, type)) return { type, coerce: identity };
      return allowCast ? castTo(type, bound, constant) : undefined;
    }
    case 'array': {
      if (type.kind !== 'ARRAY') return undefined;
      const e = matchType(param.element, type.element, bindings, allowCast, undefined);
      if (!e) return undefined;
      return {
        type: arrayType(e.type ?? type.element),
        coerce: e.coerce === identity ? identity : (v) => (v === null ? null : (v as unknown[]).map((x) => (x === null ? null : e.coerce(x)))),
      };
    }
    case 'map': {
      if (type.kind !== 'MAP') return undefined;
      const k = matchType(param.key, type.key, bindings, allowCast, undefined);
      const val = k && matchType(param.value, type.value, bindings, allowCast, undefined);
      if (!k || !val) return undefined;
      const noop = k.coerce === identity && val.coerce === identity;
      return {
        type: mapType(k.type ?? type.key, val.type ?? type.value),
        coerce: noop ? identity : (v) => {
          if (v === null) return null;
          const out = new Map();
          for (const [a, b] of v as Map<unknown, unknown>) out.set(a === null ? null : k.coerce(a), b === null ? null : val.coerce(b));
          return out;
        },
      };
    }
    default:
      return undefined;
  }
}

/** ksqlDB's implicit casts: INT -> BIGINT -> DECIMAL -> DOUBLE, and string literals to temporal types. */
function castTo(from: SqlType, to: SqlType, constant: { readonly value: unknown } | undefined): ArgMatch | undefined {
  const ok = (coerce: Coercer): ArgMatch => ({ type: to, coerce: (v) => (v === null ? null : coerce(v)) });
  switch (from.kind) {
    case 'INTEGER':
      if (to.kind === 'BIGINT') return ok((v) => BigInt(v as number));
      if (to.kind === 'DOUBLE') return ok(identity);
      if (to.kind === 'DECIMAL' && to.precision - to.scale >= 10) return ok((v) => new Decimal(BigInt(v as number), 0).setScale(to.scale));
      return undefined;
    case 'BIGINT':
      if (to.kind === 'DOUBLE') return ok((v) => Number(v as bigint));
      if (to.kind === 'DECIMAL' && to.precision - to.scale >= 19) return ok((v) => new Decimal(v as bigint, 0).setScale(to.scale));
      return undefined;
    case 'DECIMAL':
      if (to.kind === 'DOUBLE') return ok((v) => (v as Decimal).toNumber());
      if (to.kind === 'DECIMAL' && to.scale >= from.scale && to.precision - to.scale >= from.precision - from.scale) {
        return ok((v) => (v as Decimal).setScale(to.scale));
      }
      return undefined;
    case 'STRING':
      // Only literals convert, as in ksqlDB (a column of strings does not).
      if (!constant) return undefined;
      if (to.kind === 'TIMESTAMP') return ok((v) => parseTimestampLiteral(v as string));
      if (to.kind === 'DATE') return ok((v) => Math.floor(parseTimestampLiteral(v as string) / 86_400_000));
      if (to.kind === 'TIME') return ok((v) => parseTimeLiteral(v as string));
      return undefined;
    default:
      return undefined;
  }
}

/** Parses an ISO-8601 style timestamp literal ('2022-06-14', '2022-06-14T09:16:00.123+01:00'). */
export function parseTimestampLiteral(text: string): number {
  const m = /^(\d{4,})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2})(?::(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?)?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/.exec(text.trim());
  if (!m) throw new Error(`Failed to parse timestamp '${text}'`);
  const ms = m[7] ? Number((m[7] + '00').slice(0, 3)) : 0;
  let t = Date.UTC(Number(m[1]), Number(m[2] ?? 1) - 1, Number(m[3] ?? 1), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), ms);
  const z = m[8];
  if (z && z !== 'Z') {
    const sign = z[0] === '-' ? -1 : 1;
    const digits = z.slice(1).replace(':', '');
    t -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0)) * 60_000;
  }
  return t;
}

/** Parses 'HH:mm[:ss[.SSS]]' into milliseconds of the day. */
export function parseTimeLiteral(text: string): number {
  const m = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/.exec(text.trim());
  if (!m) throw new Error(`Failed to parse time '${text}'`);
  const ms = m[4] ? Number((m[4] + '00').slice(0, 3)) : 0;
  return ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3] ?? 0)) * 1000 + ms;
}

/** Argument types as ksqlDB prints them in resolution errors: `INTEGER`, `null`, `STRUCT<a STRING>`. */
export function formatArgTypes(args: readonly ArgInfo[]): string {
  return args.map((a) => formatArgType(a.type)).join(', ');
}

function formatArgType(t: ArgType): string {
  switch (t.kind) {
    case 'null': return 'null';
    case 'timeUnit': return 'INTERVALUNIT';
    case 'lambda': return `LAMBDA (${t.params.map(formatPlainType).join(', ')}) => ${formatPlainType(t.returns)}`;
    case 'value': return formatPlainType(t.type);
  }
}

/** SqlType.toString() without identifier quoting (as in function errors). */
export function formatPlainType(t: SqlType): string {
  switch (t.kind) {
    case 'DECIMAL': return `DECIMAL(${t.precision}, ${t.scale})`;
    case 'ARRAY': return `ARRAY<${formatPlainType(t.element)}>`;
    case 'MAP': return `MAP<${formatPlainType(t.key)}, ${formatPlainType(t.value)}>`;
    case 'STRUCT': return `STRUCT<${t.fields.map((f) => `${f.name} ${formatPlainType(f.type)}`).join(', ')}>`;
    default: return t.kind;
  }
}

/** A parameter in ksqlDB's "Valid alternatives" style (Java-ish type names: VARCHAR, INT). */
export function formatParamType(p: ParamType): string {
  switch (p.p) {
    case 'exact': {
      const k = p.type.kind;
      if (k === 'STRING') return 'VARCHAR';
      if (k === 'INTEGER') return 'INT';
      if (k === 'ARRAY' || k === 'MAP' || k === 'STRUCT' || k === 'DECIMAL') return formatPlainType(p.type);
      return k;
    }
    case 'decimal': return 'DECIMAL';
    case 'struct': return 'STRUCT';
    case 'generic': return p.name;
    case 'array': return `ARRAY<${formatParamType(p.element)}>`;
    case 'map': return `MAP<${formatParamType(p.key)}, ${formatParamType(p.value)}>`;
    case 'lambda': return `LAMBDA (${p.params.map(formatParamType).join(', ')}) => ${formatParamType(p.returns)}`;
    case 'timeUnit': return 'INTERVALUNIT';
  }
}

export function formatSignatureParams(s: Signature): string {
  return s.params.map((p, i) => {
    const last = s.variadic && i === s.params.length - 1;
    const name = s.names?.[i];
    return formatParamType(p) + (last ? '...' : '') + (name ? ` ${name}` : '');
  }).join(', ');
}

/** Substitutes bound generics in a pattern; undefined when one is unbound. */
export function instantiate(p: ParamType, bindings: ReadonlyMap<string, SqlType>): SqlType | undefined {
  switch (p.p) {
    case 'exact': return p.type;
    case 'generic': return bindings.get(p.name);
    case 'array': {
      const e = instantiate(p.element, bindings);
      return e && arrayType(e);
    }
    case 'map': {
      const k = instantiate(p.key, bindings);
      const v = instantiate(p.value, bindings);
      return k && v && mapType(k, v);
    }
    default: return undefined;
  }
}
