// Precompiled per-type JSON text writers for runtime values, printing numbers as ksqlDB (Jackson)
// does: DOUBLE like Java's Double.toString (43.0, 1.0E7; NaN/Infinity as strings), DECIMAL plain
// with its full scale, BIGINT unquoted, BYTES as base64, TIMESTAMP/DATE/TIME as numbers.

import type { SqlType } from '../common/sql-type.ts';
import { formatDouble } from '../common/java-number.ts';
import { Decimal } from '../common/decimal.ts';
import { base64Encode } from './text-bytes.ts';

/** Writes a non-null value; callers print `null` themselves. */
export type JsonWriter = (v: unknown) => string;

// Most strings need no escaping; testing for that is cheaper than a JSON.stringify call.
// eslint-disable-next-line no-control-regex -- control characters are exactly what must be escaped
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;
function quote(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : '"' + s + '"';
}

function writeDouble(v: unknown): string {
  const x = v as number;
  // Jackson's default QUOTE_NON_NUMERIC_NUMBERS writes NaN and infinities as strings.
  return Number.isFinite(x) ? formatDouble(x) : '"' + formatDouble(x) + '"';
}

function writeInteger(v: unknown): string {
  return String(v as number | bigint);
}

export function compileJsonWriter(type: SqlType): JsonWriter {
  switch (type.kind) {
    case 'BOOLEAN':
      return (v) => (v ? 'true' : 'false');
    case 'INTEGER':
    case 'BIGINT':
    case 'TIMESTAMP':
    case 'DATE':
    case 'TIME':
      return writeInteger;
    case 'DOUBLE':
      return writeDouble;
    case 'DECIMAL':
      return (v) => (v instanceof Decimal ? v.toString() : writeDouble(v));
    case 'STRING':
      return (v) => quote(v as string);
    case 'BYTES':
      return (v) => '"' + base64Encode(v as Uint8Array) + '"';
    case 'ARRAY': {
      const element = compileJsonWriter(type.element);
      return (v) => {
        const a = v as readonly unknown[];
        let s = '[';
        for (let i = 0; i < a.length; i++) {
          const e = a[i];
          if (i > 0) s += ',';
          s += e === null || e === undefined ? 'null' : element(e);
        }
        return s + ']';
      };
    }
    case 'MAP': {
      const value = compileJsonWriter(type.value);
      return (v) => {
        let s = '{';
        let first = true;
        for (const [k, e] of v as ReadonlyMap<unknown, unknown>) {
          s += (first ? '' : ',') + quote(String(k)) + ':' + (e === null || e === undefined ? 'null' : value(e));
          first = false;
        }
        return s + '}';
      };
    }
    case 'STRUCT': {
      const prefixes = type.fields.map((f, i) => (i === 0 ? '{' : ',') + quote(f.name) + ':');
      const names = type.fields.map((f) => f.name);
      const writers = type.fields.map((f) => compileJsonWriter(f.type));
      if (names.length === 0) return () => '{}';
      return (v) => {
        const o = v as Record<string, unknown>;
        let s = '';
        for (let i = 0; i < names.length; i++) {
          const e = o[names[i]!];
          s += prefixes[i]! + (e === null || e === undefined ? 'null' : writers[i]!(e));
        }
        return s + '}';
      };
    }
  }
}

/** Writes the columns of a row as one JSON object keyed by column name. */
export function compileJsonObjectWriter(
  names: readonly string[],
  types: readonly SqlType[],
): (row: readonly unknown[]) => string {
  if (names.length === 0) return () => '{}';
  const prefixes = names.map((n, i) => (i === 0 ? '{' : ',') + quote(n) + ':');
  const writers = types.map(compileJsonWriter);
  const n = names.length;
  return (row) => {
    let s = '';
    for (let i = 0; i < n; i++) {
      const v = row[i];
      s += prefixes[i]! + (v === null || v === undefined ? 'null' : writers[i]!(v));
    }
    return s + '}';
  };
}
