// Coerces parsed JSON into the runtime values of src/common/values.ts, per SQL type, with ksqlDB's
// JSON coercions (strings into numbers, numbers into strings, base64 into BYTES, case-insensitive
// field names). Input is either plain JSON.parse output (fast path) or lossless JsonValue.

import type { SqlType } from '../common/sql-type.ts';
import { formatType } from '../common/sql-type.ts';
import { Decimal } from '../common/decimal.ts';
import { JsonNumber, stringifyLossless } from './lossless-json.ts';
import { base64Decode } from './text-bytes.ts';
import { ensureDecimalFits } from './decimal-fit.ts';

export type JsonReader = (v: unknown) => unknown;

/** A value cannot be coerced; the message follows ksqlDB's JSON deserializer. */
export class JsonCoercionError extends Error {}

/**
 * Thrown by a fast-path reader that met a plain JS number whose source text matters (an unsafe
 * integer, a number going into STRING or DECIMAL): the caller re-parses losslessly and retries.
 */
export class NeedLosslessParse extends Error {}
const NEED_LOSSLESS = new NeedLosslessParse('lossless parse required');

const INT_TEXT = /^[+-]?\d+$/;
const JAVA_DOUBLE_TEXT = /^[+-]?(?:NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fFdD]?)$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Jackson node class names, as ksqlDB's "Can't convert type" messages show them. */
function nodeType(v: unknown): string {
  if (typeof v === 'string') return 'TextNode';
  if (typeof v === 'boolean') return 'BooleanNode';
  if (typeof v === 'number') return Number.isInteger(v) ? 'IntNode' : 'DoubleNode';
  if (v instanceof JsonNumber) return v.isInteger ? (v.text.length > 9 ? 'LongNode' : 'IntNode') : 'DecimalNode';
  if (Array.isArray(v)) return 'ArrayNode';
  return 'ObjectNode';
}

function cannotConvert(v: unknown, type: SqlType, path: string): JsonCoercionError {
  return new JsonCoercionError(
    `Can't convert type. sourceType: ${nodeType(v)}, requiredType: ${formatType(type)}, path: ${path}`,
  );
}

function cannotCoerceString(type: SqlType, path: string): JsonCoercionError {
  return new JsonCoercionError(`Can't coerce string to type. targetType: ${formatType(type)}, path: ${path}`);
}

function isJsonObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof JsonNumber);
}

/** Java's (long) narrowing of an exact integer. */
function wrapLong(b: bigint): bigint {
  return BigInt.asIntN(64, b);
}

function parseJavaLong(text: string, type: SqlType, path: string): bigint {
  if (!INT_TEXT.test(text)) throw cannotCoerceString(type, path);
  const b = BigInt(text);
  if (b < INT64_MIN || b > INT64_MAX) throw cannotCoerceString(type, path);
  return b;
}

export function compileJsonReader(type: SqlType, path: string): JsonReader {
  switch (type.kind) {
    case 'BOOLEAN':
      return (v) => {
        if (v === null || v === undefined) return null;
        if (typeof v === 'boolean') return v;
        if (typeof v === 'string') {
          const t = v.toLowerCase();
          if (t === 'true') return true;
          if (t === 'false') return false;
          throw cannotCoerceString(type, path);
        }
        throw cannotConvert(v, type, path);
      };
    case 'INTEGER':
    case 'DATE':
    case 'TIME':
      // Jackson's intValue(): fractions truncate, out-of-range integers wrap like Java's (int) cast.
      return (v) => {
        if (v === null || v === undefined) return null;
        if (typeof v === 'number') {
          if (Number.isSafeInteger(v)) return v | 0;
          if (Number.isInteger(v)) throw NEED_LOSSLESS;
          return Math.trunc(v) | 0;
        }
        if (v instanceof JsonNumber) return Number(BigInt.asIntN(32, v.toBigInt()));
        if (typeof v === 'string') {
          const b = parseJavaLong(v, type, path);
          if (b < -2147483648n || b > 2147483647n) throw cannotCoerceString(type, path);
          return Number(b);
        }
        throw cannotConvert(v, type, path);
      };
    case 'BIGINT':
      return (v) => {
        if (v === null || v === undefined) return null;
        if (typeof v === 'number') {
          if (Number.isSafeInteger(v)) return BigInt(v);
          if (Number.isInteger(v)) throw NEED_LOSSLESS;
          return wrapLong(BigInt(Math.trunc(v)));
        }
        if (v instanceof JsonNumber) return wrapLong(v.toBigInt());
        if (typeof v === 'string') return parseJavaLong(v, type, path);
        throw cannotConvert(v, type, path);
      };
    case 'TIMESTAMP':
      return (v) => {
        if (v === null || v === undefined) return null;
        if (typeof v === 'number') return Math.trunc(v);
        if (v instanceof JsonNumber) return Number(wrapLong(v.toBigInt()));
        if (typeof v === 'string') return Number(parseJavaLong(v, type, path));
        throw cannotConvert(v, type, path);
      };
    case 'DOUBLE':
      return (v) => {
        if (v === null || v === undefined) return null;
        if (typeof v === 'number') return v;
        if (v instanceof JsonNumber) return v.toNumber();
        if (typeof v === 'string') {
          const t = v.trim();
          if (!JAVA_DOUBLE_TEXT.test(t)) throw cannotCoerceString(type, path);
          return Number(t.replace(/[fFdD]$/, ''));
        }
        throw cannotConvert(v, type, path);
      };
    case 'DECIMAL':
      return (v) => {
        if (v === null || v === undefined) return null;
        if (typeof v === 'number') throw NEED_LOSSLESS;
        let d: Decimal;
        if (v instanceof JsonNumber) d = v.toDecimal();
        else if (typeof v === 'string') {
          try {
            d = Decimal.parse(v);
          } catch {
            throw cannotCoerceString(type, path);
          }
        } else throw cannotConvert(v, type, path);
        // ksqlDB reads a JSON decimal at the column's scale (0.1 into DECIMAL(6,4) is 0.1000).
        return ensureDecimalFits(d, type.precision, type.scale).setScale(type.scale);
      };
    case 'STRING':
      return (v) => {
        if (v === null || v === undefined) return null;
        if (typeof v === 'string') return v;
        if (typeof v === 'boolean') return v ? 'true' : 'false';
        // Numbers and containers print from their source text, which only the lossless parse keeps.
        if (v instanceof JsonNumber) return v.isInteger ? v.toBigInt().toString() : javaBigDecimalString(v.text);
        if (typeof v === 'number' || typeof v === 'object') {
          if (containsPlainNumber(v)) throw NEED_LOSSLESS;
          return stringifyLossless(v);
        }
        throw cannotConvert(v, type, path);
      };
    case 'BYTES':
      return (v) => {
        if (v === null || v === undefined) return null;
        if (typeof v === 'string') {
          const b = base64Decode(v);
          if (b === undefined) throw cannotCoerceString(type, path);
          return b;
        }
        throw cannotConvert(v, type, path);
      };
    case 'ARRAY': {
      const element = compileJsonReader(type.element, path + '[]');
      return (v) => {
        if (v === null || v === undefined) return null;
        if (!Array.isArray(v)) throw cannotConvert(v, type, path);
        const out = new Array<unknown>(v.length);
        for (let i = 0; i < v.length; i++) out[i] = element(v[i]);
        return out;
      };
    }
    case 'MAP': {
      const value = compileJsonReader(type.value, path + '{}');
      return (v) => {
        if (v === null || v === undefined) return null;
        if (!isJsonObject(v)) throw cannotConvert(v, type, path);
        const out = new Map<string, unknown>();
        for (const k of Object.keys(v)) out.set(k, value(v[k]));
        return out;
      };
    }
    case 'STRUCT': {
      const names = type.fields.map((f) => f.name);
      const fields = compileFieldsReader(
        names,
        type.fields.map((f) => compileJsonReader(f.type, `${path}.${f.name}`)),
      );
      return (v) => {
        if (v === null || v === undefined) return null;
        if (!isJsonObject(v)) throw cannotConvert(v, type, path);
        const values = new Array<unknown>(names.length);
        fields(v, values, 0);
        const out: Record<string, unknown> = {};
        for (let i = 0; i < names.length; i++) out[names[i]!] = values[i];
        return out;
      };
    }
  }
}

/**
 * The reader of a column no step reads: it accepts and rejects exactly what the column's reader
 * does (a bad value still fails the record), but gives null instead of a value it would have to
 * allocate (a BIGINT's BigInt).
 */
export function compileUnreadJsonReader(type: SqlType, path: string): JsonReader {
  const full = compileJsonReader(type, path);
  if (type.kind === 'BIGINT') return (v) => (typeof v === 'number' && Number.isSafeInteger(v) ? null : full(v));
  return full;
}

function containsPlainNumber(v: unknown): boolean {
  if (typeof v === 'number') return true;
  if (Array.isArray(v)) return v.some(containsPlainNumber);
  if (isJsonObject(v)) return Object.values(v).some(containsPlainNumber);
  return false;
}

/** java.math.BigDecimal.toString() of a JSON float lexeme (scientific below 1E-6, as Jackson prints). */
export function javaBigDecimalString(text: string): string {
  const m = /^(-?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) return text;
  const frac = m[3] ?? '';
  let digits = ((m[2] ?? '') + frac).replace(/^0+(?=\d)/, '');
  if (digits === '') digits = '0';
  const scale = frac.length - (m[4] ? Number(m[4]) : 0);
  const adjusted = -scale + (digits.length - 1);
  const sign = m[1] ?? '';
  if (scale >= 0 && adjusted >= -6) {
    if (scale === 0) return sign + digits;
    const padded = digits.length <= scale ? '0'.repeat(scale - digits.length + 1) + digits : digits;
    return sign + padded.slice(0, padded.length - scale) + '.' + padded.slice(padded.length - scale);
  }
  const mantissa = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
  return `${sign}${mantissa}E${adjusted >= 0 ? '+' : ''}${adjusted}`;
}

/**
 * Reads the named fields of a JSON object as ksqlDB does: the exact name first, else a JSON field
 * whose upper-cased name equals the column name (the last such field wins). Missing fields are null.
 * Writes field i to `out[at + i]`, so a caller can decode straight into a wider row.
 */
export function compileFieldsReader(
  names: readonly string[],
  readers: readonly JsonReader[],
): (obj: Record<string, unknown>, out: unknown[], at: number) => void {
  const n = names.length;
  // Names that exist on Object.prototype ("constructor", "toString") need an own-property check.
  const inherited = names.map((name) => name in Object.prototype);
  const anyInherited = inherited.some(Boolean);
  const indexByName = new Map(names.map((name, i) => [name, i]));
  // JSON key -> column index it matches case-insensitively (-1: none). Records of one topic reuse
  // few spellings, so this turns the upper-casing into one map lookup per key.
  const keyIndex = new Map<string, number>();
  function indexOfKey(key: string): number {
    let i = keyIndex.get(key);
    if (i === undefined) {
      if (keyIndex.size > 10_000) keyIndex.clear();
      i = indexByName.get(key.toUpperCase()) ?? -1;
      keyIndex.set(key, i);
    }
    return i;
  }
  const generic = (obj: Record<string, unknown>, out: unknown[], at: number): void => {
    let missing = 0;
    for (let i = 0; i < n; i++) {
      const name = names[i]!;
      const v = anyInherited && inherited[i] && !Object.hasOwn(obj, name) ? undefined : obj[name];
      out[at + i] = v;
      if (v === undefined) missing++;
    }
    if (missing > 0) {
      let found: unknown[] | undefined;
      for (const key of Object.keys(obj)) {
        const i = indexOfKey(key);
        if (i >= 0 && out[at + i] === undefined && key !== names[i]) (found ??= new Array<unknown>(n))[i] = obj[key];
      }
      if (found) for (let i = 0; i < n; i++) if (out[at + i] === undefined) out[at + i] = found[i];
    }
    for (let i = 0; i < n; i++) {
      const v = out[at + i];
      out[at + i] = v === undefined || v === null ? null : readers[i]!(v);
    }
  };
  if (anyInherited || n === 0 || n > MAX_GENERATED_FIELDS) return generic;
  // Generated on first use: many serdes are made and never read with (key serdes of pull queries).
  let reader = (obj: Record<string, unknown>, out: unknown[], at: number): void => {
    reader = generateFieldsReader(names, readers, generic);
    reader(obj, out, at);
  };
  return (obj, out, at) => reader(obj, out, at);
}

/** Wider schemas keep the generic reader (the generated one is one statement per field). */
const MAX_GENERATED_FIELDS = 200;

/**
 * The reader for the common case, generated per schema: every field present under its exact
 * name. Constant property names make each load a monomorphic named load (the generic loop's
 * `obj[names[i]]` is a megamorphic keyed load per field). Any field missing: the generic reader
 * decides (it also handles case-insensitive matches), so both always give the same result.
 */
function generateFieldsReader(
  names: readonly string[],
  readers: readonly JsonReader[],
  generic: (obj: Record<string, unknown>, out: unknown[], at: number) => void,
): (obj: Record<string, unknown>, out: unknown[], at: number) => void {
  const loads = names.map((name, i) => `const v${i} = obj[${JSON.stringify(name)}];`);
  const anyMissing = names.map((_, i) => `v${i} === undefined`).join(' || ');
  const stores = names.map((_, i) => `out[at + ${i}] = v${i} === null ? null : r${i}(v${i});`);
  const body = `return (obj, out, at) => {\n${loads.join('\n')}\nif (${anyMissing}) return generic(obj, out, at);\n${stores.join('\n')}\n};`;
  // Only JSON-quoted column names and indexes go into the source text.
  const make = new Function(...names.map((_, i) => `r${i}`), 'generic', body) as (...args: unknown[]) => ReturnType<typeof generateFieldsReader>;
  return make(...readers, generic);
}

/** True when the type has a DECIMAL anywhere: such schemas always take the lossless parse. */
export function needsLosslessParse(type: SqlType): boolean {
  switch (type.kind) {
    case 'DECIMAL':
      return true;
    case 'ARRAY':
      return needsLosslessParse(type.element);
    case 'MAP':
      return needsLosslessParse(type.value);
    case 'STRUCT':
      return type.fields.some((f) => needsLosslessParse(f.type));
    default:
      return false;
  }
}
