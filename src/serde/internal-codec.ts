// Compact typed binary encoding of runtime values for state stores and changelog topics. The SQL
// type drives the layout, so nothing but the data is written; it is not a Kafka-visible format and
// may change between versions only with a migration. Order-preserving key bytes: ordered-key.ts.
//
// Layout: every value is a presence byte (0 = null, 1 = present) then its payload:
//   BOOLEAN 1 byte | INTEGER/DATE/TIME zigzag varint | BIGINT 8-byte BE | DOUBLE/TIMESTAMP float64 BE
//   DECIMAL zigzag-varint scale, sign byte, varint length + big-endian magnitude bytes
//   STRING varint length + UTF-8 | BYTES varint length + bytes
//   ARRAY varint count + elements | MAP varint count + (key, value)* | STRUCT fields in schema order
// A row is a byte 0 (null row) or 1 followed by its columns in order.

import { Buffer } from 'node:buffer';
import type { SqlType } from '../common/sql-type.ts';
import { Decimal } from '../common/decimal.ts';

export { encodeKeyBytes, decodeKeyBytes, compareBytes } from './ordered-key.ts';

export interface InternalCodec<T> {
  encode(value: T): Uint8Array;
  decode(bytes: Uint8Array): T;
}

const MAX_KEPT_BYTES = 64 * 1024;

class ByteWriter {
  buf = new Uint8Array(64);
  dv = new DataView(this.buf.buffer);
  // A Buffer view of `buf`, kept to write UTF-8 in place without allocating per string.
  view = Buffer.from(this.buf.buffer, 0, this.buf.length);
  pos = 0;

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const old = this.buf;
    this.#reset(size);
    this.buf.set(old.subarray(0, this.pos));
  }
  #reset(size: number): void {
    this.buf = new Uint8Array(size);
    this.dv = new DataView(this.buf.buffer);
    this.view = Buffer.from(this.buf.buffer, 0, this.buf.length);
  }
  u8(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }
  /** Unsigned varint for 0 <= n < 2^53. */
  varuint(n: number): void {
    this.ensure(8);
    while (n >= 0x80) {
      this.buf[this.pos++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buf[this.pos++] = n;
  }
  zigzag32(n: number): void {
    this.varuint(((n << 1) ^ (n >> 31)) >>> 0);
  }
  f64(x: number): void {
    this.ensure(8);
    this.dv.setFloat64(this.pos, x);
    this.pos += 8;
  }
  i64(x: bigint): void {
    this.ensure(8);
    this.dv.setBigInt64(this.pos, x);
    this.pos += 8;
  }
  bytes(b: Uint8Array): void {
    this.varuint(b.length);
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
  string(s: string): void {
    const len = Buffer.byteLength(s, 'utf8');
    this.varuint(len);
    this.ensure(len);
    this.view.write(s, this.pos, len, 'utf8');
    this.pos += len;
  }
  /** Starts a value (also after an encode that threw half-way). */
  start(): this {
    this.pos = 0;
    return this;
  }
  /** A copy of the bytes written. */
  finish(): Uint8Array {
    const out = this.buf.slice(0, this.pos);
    // Do not keep a buffer grown for one huge value.
    if (this.buf.length > MAX_KEPT_BYTES) this.#reset(64);
    return out;
  }
}

// Encoding is synchronous and never nested, so one writer serves every encode (start() resets it,
// finish() copies the bytes out): no buffer, DataView and Buffer view to allocate per value.
const sharedWriter = new ByteWriter();

class ByteReader {
  readonly buf: Uint8Array;
  readonly dv: DataView;
  pos = 0;

  constructor(buf: Uint8Array) {
    this.buf = buf;
    this.dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  u8(): number {
    if (this.pos >= this.buf.length) throw new Error('Internal codec: unexpected end of data');
    return this.buf[this.pos++]!;
  }
  varuint(): number {
    let n = 0;
    let mul = 1;
    while (true) {
      const b = this.u8();
      n += (b & 0x7f) * mul;
      if (b < 0x80) return n;
      mul *= 0x80;
    }
  }
  zigzag32(): number {
    const z = this.varuint();
    return (z >>> 1) ^ -(z & 1);
  }
  f64(): number {
    const x = this.dv.getFloat64(this.pos);
    this.pos += 8;
    return x;
  }
  i64(): bigint {
    const x = this.dv.getBigInt64(this.pos);
    this.pos += 8;
    return x;
  }
  bytes(): Uint8Array {
    const len = this.varuint();
    if (this.pos + len > this.buf.length) throw new Error('Internal codec: unexpected end of data');
    const out = this.buf.slice(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }
  string(): string {
    const len = this.varuint();
    if (this.pos + len > this.buf.length) throw new Error('Internal codec: unexpected end of data');
    const s = Buffer.from(this.buf.buffer, this.buf.byteOffset + this.pos, len).toString('utf8');
    this.pos += len;
    return s;
  }
}

interface ValueCodec {
  write(w: ByteWriter, v: unknown): void;
  read(r: ByteReader): unknown;
}

function nullable(inner: ValueCodec): ValueCodec {
  return {
    write(w, v) {
      if (v === null || v === undefined) w.u8(0);
      else {
        w.u8(1);
        inner.write(w, v);
      }
    },
    read(r) {
      return r.u8() === 0 ? null : inner.read(r);
    },
  };
}

function writeDecimal(w: ByteWriter, d: Decimal): void {
  w.zigzag32(d.scale);
  const neg = d.unscaled < 0n;
  w.u8(neg ? 1 : 0);
  const hex = (neg ? -d.unscaled : d.unscaled).toString(16);
  const even = hex.length % 2 === 0 ? hex : '0' + hex;
  w.bytes(Buffer.from(even, 'hex'));
}

function readDecimal(r: ByteReader): Decimal {
  const scale = r.zigzag32();
  const neg = r.u8() === 1;
  const mag = BigInt('0x' + (Buffer.from(r.bytes()).toString('hex') || '0'));
  return new Decimal(neg ? -mag : mag, scale);
}

const codecCache = new WeakMap<SqlType, ValueCodec>();

function valueCodec(type: SqlType): ValueCodec {
  let c = codecCache.get(type);
  if (!c) {
    c = nullable(payloadCodec(type));
    codecCache.set(type, c);
  }
  return c;
}

function payloadCodec(type: SqlType): ValueCodec {
  switch (type.kind) {
    case 'BOOLEAN':
      return { write: (w, v) => w.u8(v ? 1 : 0), read: (r) => r.u8() === 1 };
    case 'INTEGER':
    case 'DATE':
    case 'TIME':
      return { write: (w, v) => w.zigzag32(v as number), read: (r) => r.zigzag32() };
    case 'BIGINT':
      return { write: (w, v) => w.i64(BigInt.asIntN(64, BigInt(v as bigint))), read: (r) => r.i64() };
    case 'DOUBLE':
    case 'TIMESTAMP':
      return { write: (w, v) => w.f64(v as number), read: (r) => r.f64() };
    case 'DECIMAL':
      return { write: (w, v) => writeDecimal(w, v as Decimal), read: readDecimal };
    case 'STRING':
      return { write: (w, v) => w.string(v as string), read: (r) => r.string() };
    case 'BYTES':
      return { write: (w, v) => w.bytes(v as Uint8Array), read: (r) => r.bytes() };
    case 'ARRAY': {
      const el = valueCodec(type.element);
      return {
        write(w, v) {
          const a = v as readonly unknown[];
          w.varuint(a.length);
          for (const e of a) el.write(w, e);
        },
        read(r) {
          const n = r.varuint();
          const out = new Array<unknown>(n);
          for (let i = 0; i < n; i++) out[i] = el.read(r);
          return out;
        },
      };
    }
    case 'MAP': {
      const k = valueCodec(type.key);
      const val = valueCodec(type.value);
      return {
        write(w, v) {
          const m = v as ReadonlyMap<unknown, unknown>;
          w.varuint(m.size);
          for (const [mk, mv] of m) {
            k.write(w, mk);
            val.write(w, mv);
          }
        },
        read(r) {
          const n = r.varuint();
          const out = new Map<unknown, unknown>();
          for (let i = 0; i < n; i++) {
            const mk = k.read(r);
            out.set(mk, val.read(r));
          }
          return out;
        },
      };
    }
    case 'STRUCT': {
      const names = type.fields.map((f) => f.name);
      const codecs = type.fields.map((f) => valueCodec(f.type));
      return {
        write(w, v) {
          const o = v as Record<string, unknown>;
          for (let i = 0; i < names.length; i++) codecs[i]!.write(w, o[names[i]!]);
        },
        read(r) {
          const out: Record<string, unknown> = {};
          for (let i = 0; i < names.length; i++) out[names[i]!] = codecs[i]!.read(r);
          return out;
        },
      };
    }
  }
}

function checkConsumed(r: ByteReader): void {
  if (r.pos !== r.buf.length) throw new Error(`Internal codec: ${r.buf.length - r.pos} trailing bytes`);
}

/** Codec for one value of `type` (null allowed). */
export function internalCodec(type: SqlType): InternalCodec<unknown> {
  const c = valueCodec(type);
  return {
    encode(value) {
      const w = sharedWriter.start();
      c.write(w, value);
      return w.finish();
    },
    decode(bytes) {
      const r = new ByteReader(bytes);
      const v = c.read(r);
      checkConsumed(r);
      return v;
    },
  };
}

/** Codec for a row of columns of the given types; a null row round-trips. */
export function internalRowCodec(types: readonly SqlType[]): InternalCodec<unknown[] | null> {
  const codecs = types.map(valueCodec);
  const n = codecs.length;
  return {
    encode(row) {
      const w = sharedWriter.start();
      if (row === null) {
        w.u8(0);
      } else {
        w.u8(1);
        for (let i = 0; i < n; i++) codecs[i]!.write(w, row[i]);
      }
      return w.finish();
    },
    decode(bytes) {
      const r = new ByteReader(bytes);
      if (r.u8() === 0) {
        checkConsumed(r);
        return null;
      }
      const out = new Array<unknown>(n);
      for (let i = 0; i < n; i++) out[i] = codecs[i]!.read(r);
      checkConsumed(r);
      return out;
    },
  };
}

export function encodeInternal(type: SqlType, value: unknown): Uint8Array {
  return internalCodec(type).encode(value);
}

export function decodeInternal(type: SqlType, bytes: Uint8Array): unknown {
  return internalCodec(type).decode(bytes);
}
