// The test framework's own serdes (ksqlDB's utils/SerdeUtil): input JSON -> bytes for producing,
// output bytes -> test representation for judging. Deliberately independent of the engine's serdes,
// so a serde bug in the engine shows up as a failed case rather than being judged by itself.

import type { Column } from '../catalog/schema.ts';
import type { SqlType } from '../common/sql-type.ts';
import { formatDouble } from '../common/java-number.ts';
import { parseLossless, stringifyLossless, type JsonValue } from './json.ts';
import { JBigDecimal, JInt, JLong, JOther, JWindowed, javaFromJson, type JavaValue } from './java-values.ts';
import type { WindowSpec } from './model.ts';

export interface TopicFormats {
  readonly keyFormat: string;
  readonly valueFormat: string;
  /** Key columns (KAFKA needs the single column's type). */
  readonly keyColumns: readonly Column[];
  /** Serialized value columns only (no HEADER columns). */
  readonly valueColumns: readonly Column[];
  /** Window of the key: time windows carry their size to rebuild `end`. */
  readonly window: { readonly type: 'TIME' | 'SESSION'; readonly sizeMs: number | undefined } | undefined;
}

/** Used when nothing is known about a topic: ksqlDB's defaults (KAFKA key, JSON value). */
export const DEFAULT_FORMATS: TopicFormats = {
  keyFormat: 'KAFKA', valueFormat: 'JSON', keyColumns: [], valueColumns: [], window: undefined,
};

const utf8 = new TextEncoder();
const utf8d = new TextDecoder();

function scalarText(v: JsonValue): string {
  return typeof v === 'string' ? v : stringifyLossless(v);
}

function encodeKafka(v: JsonValue, type: SqlType | undefined): Uint8Array {
  const buf = Buffer.alloc(8);
  switch (type?.kind) {
    case 'INTEGER':
      buf.writeInt32BE(Number(scalarText(v)) | 0);
      return new Uint8Array(buf.subarray(0, 4));
    case 'BIGINT':
      buf.writeBigInt64BE(BigInt.asIntN(64, BigInt(scalarText(v).replace(/\.0*$/, ''))));
      return new Uint8Array(buf);
    case 'DOUBLE':
      buf.writeDoubleBE(Number(scalarText(v)));
      return new Uint8Array(buf);
    default:
      // STRING, BYTES (the string's UTF-8 bytes, not base64) and zero-column schemas (String serde).
      return utf8.encode(scalarText(v));
  }
}

function encodeInner(v: JsonValue, format: string, columns: readonly Column[]): Uint8Array | null {
  if (v === null || format === 'NONE') return null;
  switch (format) {
    case 'KAFKA':
      return encodeKafka(v, columns.length === 1 ? columns[0]!.type : undefined);
    case 'DELIMITED':
      return utf8.encode(scalarText(v));
    default:
      return utf8.encode(stringifyLossless(v));
  }
}

function long8(n: number): Uint8Array {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(n));
  return new Uint8Array(b);
}

/** Serializes a test record's key; windowed keys get Kafka Streams' window suffix. */
export function encodeKey(key: JsonValue, window: WindowSpec | undefined, f: TopicFormats): Uint8Array | null {
  const inner = encodeInner(key, f.keyFormat, f.keyColumns);
  if (!window || inner === null) return inner;
  const suffix = window.type === 'SESSION' ? [long8(window.end), long8(window.start)] : [long8(window.start)];
  return new Uint8Array(Buffer.concat([inner, ...suffix]));
}

export function encodeValue(value: JsonValue, f: TopicFormats): Uint8Array | null {
  return encodeInner(value, f.valueFormat, f.valueColumns);
}

function decodeKafka(bytes: Uint8Array, columns: readonly Column[]): JavaValue {
  const b = Buffer.from(bytes);
  const type = columns.length === 1 ? columns[0]!.type : undefined;
  const need = (n: number): void => {
    if (b.length !== n) throw new Error(`KAFKA ${type?.kind}: expected ${n} bytes, got ${b.length}`);
  };
  switch (type?.kind) {
    case 'INTEGER':
      need(4);
      return new JInt(b.readInt32BE(0));
    case 'BIGINT': {
      need(8);
      const v = b.readBigInt64BE(0);
      // The test deserializer returns an Integer when the value fits.
      return v >= -(2n ** 31n) && v < 2n ** 31n ? new JInt(Number(v)) : new JLong(v);
    }
    case 'DOUBLE': {
      need(8);
      const d = b.readDoubleBE(0);
      // BigDecimal.valueOf(double) == new BigDecimal(Double.toString(d)).
      return Number.isFinite(d) ? JBigDecimal.parse(formatDouble(d)) : new JOther(`Double ${d}`);
    }
    case undefined:
    case 'STRING':
    case 'BYTES':
      return utf8d.decode(b);
    default:
      return new JOther(`KAFKA ${type?.kind ?? "?"}`);
  }
}

function decodeInner(bytes: Uint8Array | null, format: string, columns: readonly Column[], exact: boolean): JavaValue {
  if (bytes === null || format === 'NONE') return null;
  switch (format) {
    case 'KAFKA':
      return decodeKafka(bytes, columns);
    case 'DELIMITED':
      return utf8d.decode(bytes);
    case 'JSON':
      return javaFromJson(parseLossless(utf8d.decode(bytes)), exact);
    default: {
      const text = utf8d.decode(bytes);
      try {
        return javaFromJson(parseLossless(text), exact);
      } catch {
        return text;
      }
    }
  }
}

/** Deserializes an actual key; windowed topics give a JWindowed. */
export function decodeKey(bytes: Uint8Array | null, f: TopicFormats, exact = true): JavaValue {
  if (!f.window || bytes === null) return decodeInner(bytes, f.keyFormat, f.keyColumns, exact);
  const b = Buffer.from(bytes);
  if (f.window.type === 'SESSION') {
    if (b.length < 16) throw new Error('session-windowed key shorter than 16 bytes');
    const end = Number(b.readBigInt64BE(b.length - 16));
    const start = Number(b.readBigInt64BE(b.length - 8));
    return new JWindowed(decodeInner(new Uint8Array(b.subarray(0, b.length - 16)), f.keyFormat, f.keyColumns, exact), start, end, 'SESSION');
  }
  if (b.length < 8) throw new Error('time-windowed key shorter than 8 bytes');
  const start = Number(b.readBigInt64BE(b.length - 8));
  const inner = decodeInner(new Uint8Array(b.subarray(0, b.length - 8)), f.keyFormat, f.keyColumns, exact);
  return new JWindowed(inner, start, start + (f.window.sizeMs ?? 0), 'TIME');
}

export function decodeValue(bytes: Uint8Array | null, f: TopicFormats, exact = true): JavaValue {
  return decodeInner(bytes, f.valueFormat, f.valueColumns, exact);
}

