// The runner's "test representation" of actual records: the Java objects ksqlDB's test serdes
// would produce (Integer, Long, Double, BigDecimal, String, Map, List, ...). The comparator rules
// (ExpectedRecordComparator) dispatch on these Java types, so we model them explicitly.

import { JsonNumber, type JsonValue } from './json.ts';

export class JInt {
  readonly v: number;
  constructor(v: number) {
    this.v = v;
  }
}
export class JLong {
  readonly v: bigint;
  constructor(v: bigint) {
    this.v = v;
  }
}
export class JDouble {
  readonly v: number;
  constructor(v: number) {
    this.v = v;
  }
}
/** java.math.BigDecimal: unscaled value and scale; the scale may be negative (`1.0E7` is 10 x 10^6). */
export class JBigDecimal {
  readonly unscaled: bigint;
  readonly scale: number;
  constructor(unscaled: bigint, scale: number) {
    this.unscaled = unscaled;
    this.scale = scale;
  }
  /** `new BigDecimal(text)`; throws on malformed text like Java's NumberFormatException. */
  static parse(text: string): JBigDecimal {
    const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
    if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new Error(`NumberFormatException: ${text}`);
    const frac = m[3] ?? '';
    const unscaled = BigInt((m[2]! + frac) || '0');
    return new JBigDecimal(m[1] === '-' ? -unscaled : unscaled, frac.length - (m[4] ? Number(m[4]) : 0));
  }
  /** BigDecimal.equals: value and scale. */
  equals(o: JBigDecimal): boolean {
    return this.scale === o.scale && this.unscaled === o.unscaled;
  }
  /** Integer part, truncated toward zero (intValue/longValue before narrowing). */
  truncated(): bigint {
    if (this.scale <= 0) return this.unscaled * 10n ** BigInt(-this.scale);
    return this.unscaled / 10n ** BigInt(this.scale);
  }
  toString(): string {
    return `${this.unscaled}E${-this.scale}`;
  }
}
/** A type the comparator has no rule for (BigInteger, unsupported columns): matches nothing. */
export class JOther {
  readonly description: string;
  constructor(description: string) {
    this.description = description;
  }
}
/** Kafka Streams' Windowed<K>. */
export class JWindowed {
  readonly key: JavaValue;
  readonly start: number;
  readonly end: number;
  readonly type: 'TIME' | 'SESSION';
  constructor(key: JavaValue, start: number, end: number, type: 'TIME' | 'SESSION') {
    this.key = key;
    this.start = start;
    this.end = end;
    this.type = type;
  }
}

/** Map and Struct both: field name -> value, insertion ordered. ByteBuffer is a Uint8Array. */
export type JavaValue =
  | null | boolean | string | JInt | JLong | JDouble | JBigDecimal | JOther | JWindowed | Uint8Array
  | JavaValue[] | Map<string, JavaValue>;

const INT_MIN = -(2n ** 31n);
const INT_MAX = 2n ** 31n - 1n;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

/** Jackson's integer token typing: Integer, then Long, then BigInteger. */
export function integerFromText(text: string): JavaValue {
  const b = BigInt(text);
  if (b >= INT_MIN && b <= INT_MAX) return new JInt(Number(b));
  if (b >= LONG_MIN && b <= LONG_MAX) return new JLong(b);
  return new JOther(`BigInteger ${text}`);
}

/**
 * A parsed JSON document as Jackson's `readValue(bytes, Object.class)` sees it. With exact numerics
 * (ksqlDB's TestJsonMapper) floats become BigDecimal; without, Double.
 */
export function javaFromJson(v: JsonValue, exactNumerics = true): JavaValue {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (v instanceof JsonNumber) {
    if (v.isInteger) return integerFromText(v.text);
    return exactNumerics ? JBigDecimal.parse(v.text) : new JDouble(v.toNumber());
  }
  if (Array.isArray(v)) return v.map((x) => javaFromJson(x, exactNumerics));
  const m = new Map<string, JavaValue>();
  for (const [k, x] of Object.entries(v)) m.set(k, javaFromJson(x, exactNumerics));
  return m;
}

/** Java `Objects.equals` over the representation (Integer(1) != Long(1), BigDecimal scale-exact). */
export function javaEquals(a: JavaValue, b: JavaValue): boolean {
  if (a === null || b === null) return a === b;
  if (typeof a !== 'object' || typeof b !== 'object') return a === b;
  if (a instanceof JInt) return b instanceof JInt && a.v === b.v;
  if (a instanceof JLong) return b instanceof JLong && a.v === b.v;
  if (a instanceof JDouble) return b instanceof JDouble && Object.is(a.v, b.v);
  if (a instanceof JBigDecimal) return b instanceof JBigDecimal && a.equals(b);
  if (a instanceof JOther) return b instanceof JOther && a.description === b.description;
  if (a instanceof JWindowed) {
    return b instanceof JWindowed && a.start === b.start && a.end === b.end && a.type === b.type && javaEquals(a.key, b.key);
  }
  if (a instanceof Uint8Array) return b instanceof Uint8Array && Buffer.from(a).equals(Buffer.from(b));
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => javaEquals(x, b[i]!));
  if (!(b instanceof Map) || a.size !== b.size) return false;
  for (const [k, x] of a) {
    if (!b.has(k) || !javaEquals(x, b.get(k)!)) return false;
  }
  return true;
}

/** Readable rendering for failure reasons. */
export function describeJava(v: JavaValue): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'boolean') return String(v);
  if (v instanceof JInt) return `${v.v}`;
  if (v instanceof JLong) return `${v.v}L`;
  if (v instanceof JDouble) return `${v.v}d`;
  if (v instanceof JBigDecimal) return bigDecimalPlain(v);
  if (v instanceof JOther) return `<${v.description}>`;
  if (v instanceof JWindowed) return `[${describeJava(v.key)}@${v.start}/${v.end}]`;
  if (v instanceof Uint8Array) return `bytes:${Buffer.from(v).toString('base64')}`;
  if (Array.isArray(v)) return '[' + v.map(describeJava).join(', ') + ']';
  return '{' + [...v].map(([k, x]) => `${k}=${describeJava(x)}`).join(', ') + '}';
}

function bigDecimalPlain(d: JBigDecimal): string {
  if (d.scale <= 0) return (d.unscaled * 10n ** BigInt(-d.scale)).toString();
  const neg = d.unscaled < 0n;
  let digits = (neg ? -d.unscaled : d.unscaled).toString().padStart(d.scale + 1, '0');
  digits = digits.slice(0, digits.length - d.scale) + '.' + digits.slice(digits.length - d.scale);
  return (neg ? '-' : '') + digits;
}
