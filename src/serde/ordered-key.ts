// Order-preserving key bytes for state stores that scan ranges (e.g. key + window start):
// comparing two encodings bytewise (memcmp, as LMDB does) gives the order of the value tuples.
//
// Guarantees, for tuples encoded by encodeKeyBytes:
// - Tuples compare element by element; a tuple that is a prefix of another sorts first, and every
//   encoding of a tuple starting with `p` starts with encodeKeyBytes(p) (prefix scans work).
// - Within one kind: numbers (INTEGER, DOUBLE, TIMESTAMP, DATE, TIME are all JS numbers) in numeric
//   order, -0 just below 0, NaN above +Infinity; bigints (BIGINT, int64 range) in numeric order;
//   Decimals by value, equal values of different scale ordered by scale (1.5 < 1.50) so that the
//   encoding stays lossless; strings by Unicode code point (UTF-8 byte order; differs from JS `<`
//   only for surrogate pairs vs U+E000..U+FFFF); bytes lexicographically, shorter prefix first;
//   false < true; arrays and structs element-wise, structs by field name then value.
// - Across kinds the order is fixed but meaningless: null < boolean < number < bigint < Decimal <
//   string < bytes < array < struct. A number and a bigint never compare equal.
// Maps cannot be keys (ksqlDB forbids them) and are rejected.

import { Buffer } from 'node:buffer';
import { Decimal } from '../common/decimal.ts';

const END = 0x00;
const NULL = 0x01;
const FALSE = 0x02;
const TRUE = 0x03;
const NUMBER = 0x04;
const BIGINT = 0x05;
const DECIMAL = 0x06;
const STRING = 0x07;
const BYTES = 0x08;
const ARRAY = 0x09;
const STRUCT = 0x0a;
const FIELD = 0x01;

const f64 = new DataView(new ArrayBuffer(8));

function pushNumber(out: number[], x: number): void {
  f64.setFloat64(0, Number.isNaN(x) ? NaN : x);
  const neg = (f64.getUint8(0) & 0x80) !== 0;
  for (let i = 0; i < 8; i++) {
    const b = f64.getUint8(i);
    out.push(neg ? ~b & 0xff : i === 0 ? b ^ 0x80 : b);
  }
}

function readNumber(bytes: Uint8Array, pos: number): number {
  const neg = (bytes[pos]! & 0x80) === 0;
  for (let i = 0; i < 8; i++) {
    const b = bytes[pos + i]!;
    f64.setUint8(i, neg ? ~b & 0xff : i === 0 ? b ^ 0x80 : b);
  }
  return f64.getFloat64(0);
}

function pushEscaped(out: number[], bytes: Uint8Array): void {
  for (const b of bytes) {
    out.push(b);
    if (b === 0x00) out.push(0xff);
  }
  out.push(0x00, 0x01);
}

function readEscaped(bytes: Uint8Array, pos: number): [Uint8Array, number] {
  const out: number[] = [];
  while (true) {
    const b = bytes[pos++];
    if (b === undefined) throw new Error('Key bytes: unterminated string');
    if (b !== 0x00) {
      out.push(b);
      continue;
    }
    const next = bytes[pos++];
    if (next === 0xff) out.push(0x00);
    else if (next === 0x01) return [Uint8Array.from(out), pos];
    else throw new Error('Key bytes: bad escape');
  }
}

function pushDecimal(out: number[], d: Decimal): void {
  const sign = d.unscaled < 0n ? 0 : d.unscaled === 0n ? 1 : 2;
  out.push(sign);
  if (sign !== 1) {
    const full = (sign === 0 ? -d.unscaled : d.unscaled).toString();
    const digits = full.replace(/0+$/, '');
    // value = 0.<digits> x 10^exp
    const exp = full.length - d.scale;
    const body: number[] = [];
    const e = (exp + 0x80000000) >>> 0;
    body.push(e >>> 24, (e >>> 16) & 0xff, (e >>> 8) & 0xff, e & 0xff);
    for (let i = 0; i < digits.length; i++) body.push(digits.charCodeAt(i));
    body.push(0x00);
    for (const b of body) out.push(sign === 0 ? ~b & 0xff : b);
  }
  out.push((d.scale >>> 8) & 0xff, d.scale & 0xff);
}

function readDecimal(bytes: Uint8Array, pos: number): [Decimal, number] {
  const sign = bytes[pos++];
  let digits = '';
  let exp = 0;
  if (sign !== 1) {
    const inv = (b: number): number => (sign === 0 ? ~b & 0xff : b);
    exp = ((inv(bytes[pos]!) << 24) | (inv(bytes[pos + 1]!) << 16) | (inv(bytes[pos + 2]!) << 8) | inv(bytes[pos + 3]!)) - 0x80000000;
    exp = (exp | 0);
    pos += 4;
    while (true) {
      const b = inv(bytes[pos++]!);
      if (b === 0x00) break;
      digits += String.fromCharCode(b);
    }
  }
  const scale = (bytes[pos]! << 8) | bytes[pos + 1]!;
  pos += 2;
  if (sign === 1) return [new Decimal(0n, scale), pos];
  const unscaled = BigInt(digits) * 10n ** BigInt(exp - digits.length + scale);
  return [new Decimal(sign === 0 ? -unscaled : unscaled, scale), pos];
}

function push(out: number[], v: unknown): void {
  if (v === null || v === undefined) out.push(NULL);
  else if (typeof v === 'boolean') out.push(v ? TRUE : FALSE);
  else if (typeof v === 'number') {
    out.push(NUMBER);
    pushNumber(out, v);
  } else if (typeof v === 'bigint') {
    if (BigInt.asIntN(64, v) !== v) throw new Error(`Key bytes: bigint out of int64 range: ${v}`);
    out.push(BIGINT);
    const u = BigInt.asUintN(64, v) ^ (1n << 63n);
    for (let shift = 56n; shift >= 0n; shift -= 8n) out.push(Number((u >> shift) & 0xffn));
  } else if (v instanceof Decimal) {
    out.push(DECIMAL);
    pushDecimal(out, v);
  } else if (typeof v === 'string') {
    out.push(STRING);
    pushEscaped(out, Buffer.from(v, 'utf8'));
  } else if (v instanceof Uint8Array) {
    out.push(BYTES);
    pushEscaped(out, v);
  } else if (Array.isArray(v)) {
    out.push(ARRAY);
    for (const e of v) push(out, e);
    out.push(END);
  } else if (v instanceof Map) {
    throw new Error('Key bytes: MAP values cannot be keys');
  } else if (typeof v === 'object') {
    out.push(STRUCT);
    for (const [k, e] of Object.entries(v)) {
      out.push(FIELD);
      pushEscaped(out, Buffer.from(k, 'utf8'));
      push(out, e);
    }
    out.push(END);
  } else {
    throw new Error(`Key bytes: unsupported value ${String(v)}`);
  }
}

/** Encodes a tuple of runtime values so that byte order matches tuple order (see header). */
export function encodeKeyBytes(values: readonly unknown[]): Uint8Array {
  return encodeFast(values) ?? encodeGeneral(values);
}

/**
 * The hot path (every keyed state access): tuples of NUL-free strings and numbers are written
 * straight into one buffer, byte-identical to the general encoding.
 */
function encodeFast(values: readonly unknown[]): Uint8Array | undefined {
  let size = 0;
  for (const v of values) {
    if (typeof v === 'string') {
      if (v.includes('\0')) return undefined;
      size += 3 + Buffer.byteLength(v, 'utf8');
    } else if (typeof v === 'number') {
      size += 9;
    } else {
      return undefined;
    }
  }
  const buf = Buffer.allocUnsafe(size);
  let pos = 0;
  for (const v of values) {
    if (typeof v === 'string') {
      buf[pos++] = STRING;
      pos += buf.write(v, pos, 'utf8');
      buf[pos++] = 0x00;
      buf[pos++] = 0x01;
    } else {
      const x = v as number;
      f64.setFloat64(0, Number.isNaN(x) ? NaN : x);
      const neg = (f64.getUint8(0) & 0x80) !== 0;
      buf[pos++] = NUMBER;
      for (let i = 0; i < 8; i++) {
        const b = f64.getUint8(i);
        buf[pos++] = neg ? ~b & 0xff : i === 0 ? b ^ 0x80 : b;
      }
    }
  }
  return buf;
}

/**
 * encodeKeyBytes as a string of one char per byte (latin1), for keying in-memory maps: equal
 * tuples give equal strings. Tuples of ASCII strings without NUL and of numbers are built without
 * going through bytes (a state access per record keys its cache this way); anything else is the
 * latin1 text of encodeKeyBytes.
 */
export function encodeKeyString(values: readonly unknown[]): string {
  let s = '';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'string' && isKeyAscii(v)) s += '\x07' + v + '\x00\x01';
    else if (typeof v === 'number') s += numberKeyChars(v);
    else return latin1(encodeKeyBytes(values));
  }
  return s;
}

/** Chars 0x01-0x7f only: their UTF-8 bytes are the chars themselves and need no escaping. */
function isKeyAscii(v: string): boolean {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === 0 || c > 0x7f) return false;
  }
  return true;
}

function numberKeyChars(x: number): string {
  f64.setFloat64(0, Number.isNaN(x) ? NaN : x);
  const neg = (f64.getUint8(0) & 0x80) !== 0;
  const b = (i: number): number => {
    const raw = f64.getUint8(i);
    return neg ? ~raw & 0xff : i === 0 ? raw ^ 0x80 : raw;
  };
  return String.fromCharCode(NUMBER, b(0), b(1), b(2), b(3), b(4), b(5), b(6), b(7));
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/** Inverse of encodeKeyString: the key bytes. */
export function keyStringBytes(key: string): Uint8Array {
  return Buffer.from(key, 'latin1');
}

function encodeGeneral(values: readonly unknown[]): Uint8Array {
  const out: number[] = [];
  for (const v of values) push(out, v);
  return Uint8Array.from(out);
}

function read(bytes: Uint8Array, pos: number): [unknown, number] {
  const tag = bytes[pos++];
  switch (tag) {
    case NULL:
      return [null, pos];
    case FALSE:
      return [false, pos];
    case TRUE:
      return [true, pos];
    case NUMBER:
      return [readNumber(bytes, pos), pos + 8];
    case BIGINT: {
      let u = 0n;
      for (let i = 0; i < 8; i++) u = (u << 8n) | BigInt(bytes[pos + i]!);
      return [BigInt.asIntN(64, u ^ (1n << 63n)), pos + 8];
    }
    case DECIMAL:
      return readDecimal(bytes, pos);
    case STRING: {
      const [b, next] = readEscaped(bytes, pos);
      return [Buffer.from(b).toString('utf8'), next];
    }
    case BYTES:
      return readEscaped(bytes, pos);
    case ARRAY: {
      const out: unknown[] = [];
      while (bytes[pos] !== END) {
        const [v, next] = read(bytes, pos);
        out.push(v);
        pos = next;
      }
      return [out, pos + 1];
    }
    case STRUCT: {
      const out: Record<string, unknown> = {};
      while (bytes[pos] === FIELD) {
        const [name, afterName] = readEscaped(bytes, pos + 1);
        const [v, next] = read(bytes, afterName);
        out[Buffer.from(name).toString('utf8')] = v;
        pos = next;
      }
      return [out, pos + 1];
    }
    default:
      throw new Error(`Key bytes: bad tag ${tag} at ${pos - 1}`);
  }
}

/** Inverse of encodeKeyBytes. */
export function decodeKeyBytes(bytes: Uint8Array): unknown[] {
  const out: unknown[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    const [v, next] = read(bytes, pos);
    out.push(v);
    pos = next;
  }
  return out;
}

/** memcmp order, as LMDB compares keys. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(a, b);
}
