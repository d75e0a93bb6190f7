// The on-disk record frame of the embedded log: [u32 bodyLength][u32 crc32(body)][body].
// Knows bytes only; which file a frame lives in and what it means for visibility is elsewhere.
//
// Body: f64 offset, f64 timestamp, f64 txnId (0 = not transactional), i32 keyLength (-1 = null),
// i32 valueLength (-1 = null), u32 headerCount, key, value, then per header:
// u32 keyLength, utf8 key, i32 valueLength (-1 = null), value.
import { crc32 } from 'node:zlib';
import type { Header, LogRecord, ProduceRecord } from '../log.ts';

export const FRAME_HEADER_BYTES = 8;
const FIXED_BODY_BYTES = 8 + 8 + 8 + 4 + 4 + 4;
/** Frames larger than this are treated as corruption when scanning (a torn length field). */
export const MAX_FRAME_BODY_BYTES = 256 * 1024 * 1024;

export interface StoredRecord extends LogRecord {
  /** 0 for records appended outside a transaction. */
  readonly txnId: number;
}

export function frameLength(record: ProduceRecord): number {
  let n = FRAME_HEADER_BYTES + FIXED_BODY_BYTES + (record.key?.length ?? 0) + (record.value?.length ?? 0);
  if (record.headers) {
    for (const h of record.headers) n += 8 + Buffer.byteLength(h.key) + (h.value?.length ?? 0);
  }
  return n;
}

// Frames are written many at a time into one chunk buffer: one DataView per buffer, kept while
// consecutive calls write into the same buffer (Buffer's write methods validate every argument).
let viewOf: Buffer | undefined;
let view: DataView = new DataView(new ArrayBuffer(0));

// Reads decode many frames of one buffer in a row: one DataView per buffer, as for writes
// (Buffer's readDoubleLE copies bytes one by one through a scratch array).
let readViewOf: Buffer | undefined;
let readView: DataView = new DataView(new ArrayBuffer(0));

/** Writes one frame at `pos` of `buf` (which must have frameLength(record) bytes free); returns the end. */
export function writeFrame(
  buf: Buffer, pos: number, record: ProduceRecord, offset: number, timestamp: number, txnId: number,
): number {
  if (buf !== viewOf) {
    viewOf = buf;
    view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  const v = view;
  const body = pos + FRAME_HEADER_BYTES;
  const key = record.key;
  const value = record.value;
  const headers = record.headers ?? [];
  v.setFloat64(body, offset, true);
  v.setFloat64(body + 8, timestamp, true);
  v.setFloat64(body + 16, txnId, true);
  v.setInt32(body + 24, key === null ? -1 : key.length, true);
  v.setInt32(body + 28, value === null ? -1 : value.length, true);
  v.setUint32(body + 32, headers.length, true);
  let p = body + FIXED_BODY_BYTES;
  if (key !== null) { buf.set(key, p); p += key.length; }
  if (value !== null) { buf.set(value, p); p += value.length; }
  for (const h of headers) {
    const len = buf.write(h.key, p + 4, 'utf8');
    v.setUint32(p, len, true);
    p += 4 + len;
    v.setInt32(p, h.value === null ? -1 : h.value.length, true);
    p += 4;
    if (h.value !== null) { buf.set(h.value, p); p += h.value.length; }
  }
  v.setUint32(pos, p - body, true);
  v.setUint32(pos + 4, crc32(buf.subarray(body, p)), true);
  return p;
}

export type FrameCheck =
  | { readonly ok: true; readonly end: number }
  | { readonly ok: false; readonly reason: 'short' | 'length' | 'crc' };

/** Checks the frame starting at `pos` (length, bounds, CRC) without decoding it. */
export function checkFrame(buf: Buffer, pos: number, limit: number): FrameCheck {
  if (limit - pos < FRAME_HEADER_BYTES) return { ok: false, reason: 'short' };
  const len = buf.readUInt32LE(pos);
  if (len < FIXED_BODY_BYTES || len > MAX_FRAME_BODY_BYTES) return { ok: false, reason: 'length' };
  const end = pos + FRAME_HEADER_BYTES + len;
  if (end > limit) return { ok: false, reason: 'short' };
  if (crc32(buf.subarray(pos + FRAME_HEADER_BYTES, end)) !== buf.readUInt32LE(pos + 4)) {
    return { ok: false, reason: 'crc' };
  }
  return { ok: true, end };
}

/** The offset and txnId of a checked frame, without decoding key/value/headers. */
export function frameOffset(buf: Buffer, pos: number): number {
  return buf.readDoubleLE(pos + FRAME_HEADER_BYTES);
}
export function frameTxnId(buf: Buffer, pos: number): number {
  return readViewFor(buf).getFloat64(pos + FRAME_HEADER_BYTES + 16, true);
}
export function frameEnd(buf: Buffer, pos: number): number {
  return pos + FRAME_HEADER_BYTES + buf.readUInt32LE(pos);
}

/** Shared by every record without headers (most of them): one allocation less per record read. */
const NO_HEADERS: readonly Header[] = Object.freeze([]);

/** Decodes a checked frame. Key, value and header values are views into `buf` (no copy). */
export function decodeFrame(buf: Buffer, pos: number): StoredRecord {
  const r = decodeRecord(buf, pos);
  return { offset: r.offset, timestamp: r.timestamp, key: r.key, value: r.value, headers: r.headers, txnId: frameTxnId(buf, pos) };
}

function readViewFor(buf: Buffer): DataView {
  if (buf !== readViewOf) {
    readViewOf = buf;
    readView = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  return readView;
}

/** Decodes a checked frame as readers see it (without its txnId): views into `buf`, no copy. */
export function decodeRecord(buf: Buffer, pos: number): LogRecord {
  const v = readViewFor(buf);
  let p = pos + FRAME_HEADER_BYTES;
  const offset = v.getFloat64(p, true);
  const timestamp = v.getFloat64(p + 8, true);
  const keyLen = v.getInt32(p + 24, true);
  const valueLen = v.getInt32(p + 28, true);
  const headerCount = v.getUint32(p + 32, true);
  p += FIXED_BODY_BYTES;
  let key: Uint8Array | null = null;
  if (keyLen >= 0) { key = buf.subarray(p, p + keyLen); p += keyLen; }
  let value: Uint8Array | null = null;
  if (valueLen >= 0) { value = buf.subarray(p, p + valueLen); p += valueLen; }
  if (headerCount === 0) return { offset, timestamp, key, value, headers: NO_HEADERS };
  const headers: Header[] = [];
  for (let i = 0; i < headerCount; i++) {
    const kl = v.getUint32(p, true);
    const hk = buf.toString('utf8', p + 4, p + 4 + kl);
    p += 4 + kl;
    const vl = v.getInt32(p, true);
    p += 4;
    let hv: Uint8Array | null = null;
    if (vl >= 0) { hv = buf.subarray(p, p + vl); p += vl; }
    headers.push({ key: hk, value: hv });
  }
  return { offset, timestamp, key, value, headers };
}
