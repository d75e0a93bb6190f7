// Java-like ordering and equality of runtime values, shared by GREATEST/LEAST, ARRAY_SORT/MIN/MAX and
// the set-like array functions: Comparable.compareTo and Object.equals as ksqlDB's UDFs see them.

import { Decimal } from '../../common/decimal.ts';

/** Comparable.compareTo for two non-null values of the same SQL type. */
export function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') {
    // Double.compare: -0.0 < 0.0 and NaN greatest.
    if (a < b) return -1;
    if (a > b) return 1;
    if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
    if (Number.isNaN(b)) return -1;
    const za = Object.is(a, -0);
    return za === Object.is(b, -0) ? 0 : za ? -1 : 1;
  }
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  if (a instanceof Decimal && b instanceof Decimal) return a.compareTo(b);
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    // ByteBuffer.compareTo compares signed bytes.
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const x = (a[i]! << 24) >> 24;
      const y = (b[i]! << 24) >> 24;
      if (x !== y) return x < y ? -1 : 1;
    }
    return a.length - b.length;
  }
  throw new Error(`Cannot compare values ${String(a)} and ${String(b)}`);
}

/** Object.equals: Double by bits (NaN equals NaN), DECIMAL with scale, containers deeply. */
export function valuesEqual(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b);
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  if (a instanceof Decimal && b instanceof Decimal) return a.equalsExact(b);
  if (a instanceof Uint8Array && b instanceof Uint8Array) return a.length === b.length && a.every((x, i) => x === b[i]);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => valuesEqual(x, b[i]));
  if (a instanceof Map && b instanceof Map) {
    if (a.size !== b.size) return false;
    for (const [k, v] of a) {
      if (!b.has(k) || !valuesEqual(v, b.get(k))) return false;
    }
    return true;
  }
  if (typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k, i) => k === kb[i] && valuesEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return false;
}

/** A string that is equal for values that are `valuesEqual`, for hashing into sets. */
export function valueKey(v: unknown): string {
  if (v === null || v === undefined) return 'n';
  if (typeof v === 'number') return Object.is(v, -0) ? 'd-0' : 'd' + String(v);
  if (typeof v === 'bigint') return 'l' + v.toString();
  if (typeof v === 'string') return 's' + JSON.stringify(v);
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (v instanceof Decimal) return `m${v.unscaled}e${v.scale}`;
  if (v instanceof Uint8Array) return 'b' + Buffer.from(v).toString('hex');
  if (Array.isArray(v)) return '[' + v.map(valueKey).join(',') + ']';
  if (v instanceof Map) return '{' + [...v].map(([k, x]) => valueKey(k) + ':' + valueKey(x)).sort().join(',') + '}';
  return '(' + Object.entries(v as object).map(([k, x]) => JSON.stringify(k) + ':' + valueKey(x)).join(',') + ')';
}
