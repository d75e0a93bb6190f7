// CAST(x AS T) and implicit widening at run time, with Java/ksqlDB conversion semantics.
// Throws on values that cannot convert; callers turn that into null plus a processing-log entry.

import { Decimal } from '../common/decimal.ts';
import { formatDouble } from '../common/java-number.ts';
import { formatType, type SqlType } from '../common/sql-type.ts';
import { formatDate, formatTime, formatTimestamp, MS_PER_DAY, parseDate, parseTime, parseTimestamp } from '../common/temporal.ts';
import { isStruct } from '../common/values.ts';
import { checkPrecision, decimalFromNumber } from './decimal-math.ts';

export type Caster = (v: unknown) => unknown;

/** Builds a converter from `from` to `to` once, so the per-row work is a single call. */
export function compileCast(from: SqlType, to: SqlType): Caster {
  if (formatType(from) === formatType(to)) return (v) => v;
  switch (to.kind) {
    case 'STRING':
      return (v) => (v === null ? null : valueToString(v, from));
    case 'INTEGER':
      return (v) => (v === null ? null : toInteger(v, from));
    case 'BIGINT':
      return (v) => (v === null ? null : toBigint(v, from));
    case 'DOUBLE':
      return (v) => (v === null ? null : toDouble(v, from));
    case 'DECIMAL':
      return (v) => (v === null ? null : checkPrecision(toDecimal(v, from), to.precision, to.scale));
    case 'BOOLEAN':
      return (v) => {
        if (v === null) return null;
        if (from.kind === 'STRING') {
          const s = (v as string).trim().toLowerCase();
          if (s === 'true' || s === 't' || s === 'yes' || s === 'y') return true;
          if (s === 'false' || s === 'f' || s === 'no' || s === 'n') return false;
          throw new Error(`Cannot cast '${String(v)}' to BOOLEAN`);
        }
        throw castError(from, to);
      };
    case 'TIMESTAMP':
      return (v) => {
        if (v === null) return null;
        if (from.kind === 'STRING') {
          const t = parseTimestamp(v as string);
          if (t === undefined) throw new Error(`Cannot cast '${String(v)}' to TIMESTAMP`);
          return t;
        }
        if (from.kind === 'DATE') return (v as number) * MS_PER_DAY;
        if (from.kind === 'BIGINT') return Number(v);
        if (from.kind === 'INTEGER') return v;
        throw castError(from, to);
      };
    case 'DATE':
      return (v) => {
        if (v === null) return null;
        if (from.kind === 'STRING') {
          const d = parseDate(v as string) ?? (() => {
            const t = parseTimestamp(v as string);
            return t === undefined ? undefined : Math.floor(t / MS_PER_DAY);
          })();
          if (d === undefined) throw new Error(`Cannot cast '${String(v)}' to DATE`);
          return d;
        }
        if (from.kind === 'TIMESTAMP') return Math.floor((v as number) / MS_PER_DAY);
        throw castError(from, to);
      };
    case 'TIME':
      return (v) => {
        if (v === null) return null;
        if (from.kind === 'STRING') {
          const t = parseTime(v as string);
          if (t === undefined) throw new Error(`Cannot cast '${String(v)}' to TIME`);
          return t;
        }
        if (from.kind === 'TIMESTAMP') return (((v as number) % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY;
        throw castError(from, to);
      };
    case 'BYTES':
      return (v) => {
        if (v === null) return null;
        throw castError(from, to);
      };
    case 'ARRAY': {
      if (from.kind !== 'ARRAY') return (v) => { if (v === null) return null; throw castError(from, to); };
      const el = compileCast(from.element, to.element);
      return (v) => (v === null ? null : (v as unknown[]).map((x) => (x === null ? null : el(x))));
    }
    case 'MAP': {
      if (from.kind !== 'MAP') return (v) => { if (v === null) return null; throw castError(from, to); };
      const k = compileCast(from.key, to.key);
      const val = compileCast(from.value, to.value);
      return (v) => {
        if (v === null) return null;
        const out = new Map<unknown, unknown>();
        for (const [a, b] of v as Map<unknown, unknown>) out.set(a === null ? null : k(a), b === null ? null : val(b));
        return out;
      };
    }
    case 'STRUCT': {
      if (from.kind !== 'STRUCT') return (v) => { if (v === null) return null; throw castError(from, to); };
      const fieldCasts = to.fields.map((f) => {
        const src = from.fields.find((x) => x.name === f.name);
        return { name: f.name, src: src?.name, cast: src ? compileCast(src.type, f.type) : () => null };
      });
      return (v) => {
        if (v === null) return null;
        const s = v as Record<string, unknown>;
        const out: Record<string, unknown> = {};
        for (const f of fieldCasts) {
          const x = f.src === undefined ? null : s[f.src] ?? null;
          out[f.name] = x === null ? null : f.cast(x);
        }
        return out;
      };
    }
  }
}

function castError(from: SqlType, to: SqlType): Error {
  return new Error(`Cast of ${formatType(from)} to ${formatType(to)} is not supported`);
}

/** Java-like string of a value: what CAST(x AS STRING) and CONCAT produce. */
export function valueToString(v: unknown, type: SqlType): string {
  switch (type.kind) {
    case 'DOUBLE': return formatDouble(v as number);
    case 'TIMESTAMP': return formatTimestamp(v as number);
    case 'DATE': return formatDate(v as number);
    case 'TIME': return formatTime(v as number);
    case 'BYTES': return Buffer.from(v as Uint8Array).toString('base64');
    default: return genericToString(v);
  }
}

function genericToString(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : formatDouble(v);
  if (typeof v === 'bigint' || typeof v === 'boolean' || typeof v === 'string') return String(v);
  if (v instanceof Decimal) return v.toString();
  if (Array.isArray(v)) return `[${v.map(genericToString).join(', ')}]`;
  if (v instanceof Map) return `{${[...v].map(([k, x]) => `${genericToString(k)}=${genericToString(x)}`).join(', ')}}`;
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (isStruct(v)) return `Struct{${Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => `${k}=${genericToString(x)}`).join(',')}}`;
  return String(v);
}

function javaIntFromDouble(d: number): number {
  if (Number.isNaN(d)) return 0;
  if (d >= 2147483647) return 2147483647;
  if (d <= -2147483648) return -2147483648;
  return Math.trunc(d);
}

function toInteger(v: unknown, from: SqlType): number {
  switch (from.kind) {
    case 'INTEGER': return v as number;
    case 'BIGINT': return Number(BigInt.asIntN(32, v as bigint));
    case 'DOUBLE': return javaIntFromDouble(v as number);
    case 'DECIMAL': {
      const d = v as Decimal;
      return Number(BigInt.asIntN(32, d.unscaled / 10n ** BigInt(d.scale)));
    }
    case 'STRING': {
      const s = (v as string).trim();
      if (!/^[+-]?\d+$/.test(s)) throw new Error(`Cannot cast '${s}' to INTEGER: For input string: "${s}"`);
      const n = Number(s);
      if (n > 2147483647 || n < -2147483648) throw new Error(`Cannot cast '${s}' to INTEGER: out of range`);
      return n;
    }
    case 'TIMESTAMP': case 'DATE': case 'TIME': return v as number;
    default: throw castError(from, { kind: 'INTEGER' });
  }
}

function toBigint(v: unknown, from: SqlType): bigint {
  switch (from.kind) {
    case 'INTEGER': return BigInt(v as number);
    case 'BIGINT': return v as bigint;
    case 'DOUBLE': {
      const d = v as number;
      if (Number.isNaN(d)) return 0n;
      if (d >= 2 ** 63) return 9223372036854775807n;
      if (d <= -(2 ** 63)) return -9223372036854775808n;
      return BigInt(Math.trunc(d));
    }
    case 'DECIMAL': {
      const d = v as Decimal;
      return BigInt.asIntN(64, d.unscaled / 10n ** BigInt(d.scale));
    }
    case 'STRING': {
      const s = (v as string).trim();
      if (!/^[+-]?\d+$/.test(s)) throw new Error(`Cannot cast '${s}' to BIGINT: For input string: "${s}"`);
      const n = BigInt(s);
      if (n !== BigInt.asIntN(64, n)) throw new Error(`Cannot cast '${s}' to BIGINT: out of range`);
      return n;
    }
    case 'TIMESTAMP': case 'DATE': case 'TIME': return BigInt(v as number);
    default: throw castError(from, { kind: 'BIGINT' });
  }
}

function toDouble(v: unknown, from: SqlType): number {
  switch (from.kind) {
    case 'INTEGER': case 'DOUBLE': return v as number;
    case 'BIGINT': return Number(v as bigint);
    case 'DECIMAL': return (v as Decimal).toNumber();
    case 'STRING': {
      const s = (v as string).trim();
      const n = Number(s);
      if (s === '' || Number.isNaN(n) && s !== 'NaN') throw new Error(`Cannot cast '${s}' to DOUBLE`);
      return n;
    }
    default: throw castError(from, { kind: 'DOUBLE' });
  }
}

function toDecimal(v: unknown, from: SqlType): Decimal {
  switch (from.kind) {
    case 'INTEGER': return new Decimal(BigInt(v as number), 0);
    case 'BIGINT': return new Decimal(v as bigint, 0);
    case 'DOUBLE': return decimalFromNumber(v as number);
    case 'DECIMAL': return v as Decimal;
    case 'STRING': return Decimal.parse(v as string);
    default: throw castError(from, { kind: 'DECIMAL', precision: 1, scale: 0 });
  }
}
