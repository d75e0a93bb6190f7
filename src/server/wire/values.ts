// SQL values as JSON text the way ksqlDB's ApiJsonMapper writes them in query rows (/query,
// /query-stream, /ws/query): Java-style doubles, plain full-scale decimals, temporal types as strings.
// Type-driven, because the JS value alone cannot tell INTEGER 43 from DOUBLE 43.0.

import { Decimal } from '../../common/decimal.ts';
import { formatDouble } from '../../common/java-number.ts';
import type { SqlType } from '../../common/sql-type.ts';
import { formatDate, formatTime, formatTimestamp } from '../../common/temporal.ts';

/** One row: `[v1,v2,...]`. */
export function encodeRow(values: readonly unknown[], types: readonly SqlType[]): string {
  let out = '[';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ',';
    out += encodeValue(values[i], types[i]);
  }
  return out + ']';
}

/** A value without a known type (extra columns) is written by its JS shape. */
export function encodeValue(v: unknown, t: SqlType | undefined): string {
  if (v === null || v === undefined) return 'null';
  if (t === undefined) return encodeUntyped(v);
  switch (t.kind) {
    case 'BOOLEAN':
      return v ? 'true' : 'false';
    case 'INTEGER':
    case 'BIGINT':
      return typeof v === 'number' || typeof v === 'bigint' ? String(v) : encodeUntyped(v);
    case 'DOUBLE':
      return typeof v === 'number' ? encodeDouble(v) : encodeUntyped(v);
    case 'DECIMAL':
      // WRITE_BIGDECIMAL_AS_PLAIN: `1.50`, never an exponent; at the column's scale (a DECIMAL(4, 2)
      // read from JSON `1.5` is 1.50 in ksqlDB), padding only, so no digits are ever lost.
      if (!(v instanceof Decimal)) return encodeUntyped(v);
      return (v.scale < t.scale ? v.setScale(t.scale) : v).toString();
    case 'STRING':
      return JSON.stringify(typeof v === 'string' ? v : String(v));
    case 'BYTES':
      return v instanceof Uint8Array ? JSON.stringify(Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64')) : encodeUntyped(v);
    case 'TIMESTAMP':
      return typeof v === 'number' ? JSON.stringify(formatTimestamp(v)) : encodeUntyped(v);
    case 'DATE':
      return typeof v === 'number' ? JSON.stringify(formatDate(v)) : encodeUntyped(v);
    case 'TIME':
      // LocalTime.ofSecondOfDay(ms / 1000): milliseconds are dropped.
      return typeof v === 'number' ? JSON.stringify(formatTime(Math.floor(v / 1000) * 1000)) : encodeUntyped(v);
    case 'ARRAY':
      return Array.isArray(v) ? '[' + v.map((e) => encodeValue(e, t.element)).join(',') + ']' : encodeUntyped(v);
    case 'MAP': {
      if (!(v instanceof Map)) return encodeUntyped(v);
      const parts: string[] = [];
      for (const [k, val] of v) parts.push(JSON.stringify(String(k)) + ':' + encodeValue(val, t.value));
      return '{' + parts.join(',') + '}';
    }
    case 'STRUCT': {
      if (typeof v !== 'object') return encodeUntyped(v);
      const obj = v as Record<string, unknown>;
      return '{' + t.fields.map((f) => JSON.stringify(f.name) + ':' + encodeValue(obj[f.name], f.type)).join(',') + '}';
    }
  }
}

/** Jackson quotes non-finite doubles (QUOTE_NON_NUMERIC_NUMBERS is on by default). */
function encodeDouble(x: number): string {
  return Number.isFinite(x) ? formatDouble(x) : JSON.stringify(formatDouble(x));
}

function encodeUntyped(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : JSON.stringify(String(v));
  if (v instanceof Decimal) return v.toString();
  if (v instanceof Uint8Array) return JSON.stringify(Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64'));
  if (Array.isArray(v)) return '[' + v.map((e) => encodeUntyped(e)).join(',') + ']';
  if (v instanceof Map) {
    const parts: string[] = [];
    for (const [k, val] of v) parts.push(JSON.stringify(String(k)) + ':' + encodeUntyped(val));
    return '{' + parts.join(',') + '}';
  }
  if (typeof v === 'object') {
    return '{' + Object.entries(v).map(([k, val]) => JSON.stringify(k) + ':' + encodeUntyped(val)).join(',') + '}';
  }
  return JSON.stringify(v);
}
