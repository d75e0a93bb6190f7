// HPACK header compression (RFC 7541) for the HTTP/2 connection handler: a decoder with the dynamic
// table that request header blocks build up, and an encoder for response headers that never adds
// to the client's dynamic table (plain literals; the common :status values from the static table).

import { HuffmanError, huffmanDecode } from './hpack-huffman.ts';

const STATIC_TABLE: readonly (readonly [string, string])[] = [
  [':authority', ''], [':method', 'GET'], [':method', 'POST'], [':path', '/'], [':path', '/index.html'],
  [':scheme', 'http'], [':scheme', 'https'], [':status', '200'], [':status', '204'], [':status', '206'],
  [':status', '304'], [':status', '400'], [':status', '404'], [':status', '500'], ['accept-charset', ''],
  ['accept-encoding', 'gzip, deflate'], ['accept-language', ''], ['accept-ranges', ''], ['accept', ''],
  ['access-control-allow-origin', ''], ['age', ''], ['allow', ''], ['authorization', ''], ['cache-control', ''],
  ['content-disposition', ''], ['content-encoding', ''], ['content-language', ''], ['content-length', ''],
  ['content-location', ''], ['content-range', ''], ['content-type', ''], ['cookie', ''], ['date', ''],
  ['etag', ''], ['expect', ''], ['expires', ''], ['from', ''], ['host', ''], ['if-match', ''],
  ['if-modified-since', ''], ['if-none-match', ''], ['if-range', ''], ['if-unmodified-since', ''],
  ['last-modified', ''], ['link', ''], ['location', ''], ['max-forwards', ''], ['proxy-authenticate', ''],
  ['proxy-authorization', ''], ['range', ''], ['referer', ''], ['refresh', ''], ['retry-after', ''],
  ['server', ''], ['set-cookie', ''], ['strict-transport-security', ''], ['transfer-encoding', ''],
  ['user-agent', ''], ['vary', ''], ['via', ''], ['www-authenticate', ''],
];

/** Each dynamic table entry counts its name and value lengths plus 32 (RFC 7541 4.1). */
const ENTRY_OVERHEAD = 32;

/** A header block that cannot be decoded: a connection error of type COMPRESSION_ERROR. */
export class CompressionError extends Error {}

/** Called once per decoded field, in order. */
export type FieldSink = (name: string, value: string) => void;

export class HpackDecoder {
  /** Newest entry last. */
  readonly #entries: [string, string][] = [];
  #size = 0;
  #maxSize: number;
  /** The most the peer may set #maxSize to: what this side advertised (SETTINGS_HEADER_TABLE_SIZE). */
  readonly #limit: number;

  constructor(limit = 4096) {
    this.#limit = limit;
    this.#maxSize = limit;
  }

  /** Decodes one complete header block. */
  decode(block: Uint8Array, sink: FieldSink): void {
    let at = 0;
    let fieldSeen = false;
    const int = (prefixBits: number): number => {
      const mask = (1 << prefixBits) - 1;
      let value = block[at++]! & mask;
      if (value < mask) return value;
      let shift = 0;
      for (;;) {
        if (at >= block.length) throw new CompressionError('truncated integer');
        const b = block[at++]!;
        value += (b & 0x7f) * 2 ** shift;
        shift += 7;
        if (value > 0xffffffff) throw new CompressionError('integer too large');
        if ((b & 0x80) === 0) return value;
      }
    };
    const str = (): string => {
      if (at >= block.length) throw new CompressionError('truncated string');
      const huffman = (block[at]! & 0x80) !== 0;
      const length = int(7);
      const end = at + length;
      if (end > block.length) throw new CompressionError('truncated string');
      let s: string;
      try {
        s = huffman ? huffmanDecode(block, at, end) : Buffer.from(block.buffer, block.byteOffset + at, length).toString('latin1');
      } catch (e) {
        if (e instanceof HuffmanError) throw new CompressionError(e.message);
        throw e;
      }
      at = end;
      return s;
    };
    while (at < block.length) {
      const b = block[at]!;
      if (b & 0x80) {
        // Indexed field.
        const [name, value] = this.#entry(int(7));
        sink(name, value);
        fieldSeen = true;
      } else if (b & 0x40) {
        // Literal with incremental indexing.
        const index = int(6);
        const name = index === 0 ? str() : this.#entry(index)[0];
        const value = str();
        this.#add(name, value);
        sink(name, value);
        fieldSeen = true;
      } else if (b & 0x20) {
        // Dynamic table size update: only at the start of a block (RFC 7541 4.2).
        if (fieldSeen) throw new CompressionError('table size update after a header field');
        const size = int(5);
        if (size > this.#limit) throw new CompressionError(`table size ${size} above the advertised ${this.#limit}`);
        this.#maxSize = size;
        this.#evict(0);
      } else {
        // Literal without indexing (0000) or never indexed (0001).
        const index = int(4);
        const name = index === 0 ? str() : this.#entry(index)[0];
        sink(name, str());
        fieldSeen = true;
      }
    }
  }

  #entry(index: number): readonly [string, string] {
    if (index === 0) throw new CompressionError('index 0');
    if (index <= STATIC_TABLE.length) return STATIC_TABLE[index - 1]!;
    const e = this.#entries[this.#entries.length - (index - STATIC_TABLE.length)];
    if (!e) throw new CompressionError(`index ${index} not in the table`);
    return e;
  }

  #add(name: string, value: string): void {
    const size = name.length + value.length + ENTRY_OVERHEAD;
    this.#evict(size);
    // An entry larger than the table empties it and is not added (RFC 7541 4.4).
    if (size > this.#maxSize) return;
    this.#entries.push([name, value]);
    this.#size += size;
  }

  /** Evicts the oldest entries until `room` more bytes fit. */
  #evict(room: number): void {
    let drop = 0;
    while (this.#size + room > this.#maxSize && drop < this.#entries.length) {
      const [n, v] = this.#entries[drop++]!;
      this.#size -= n.length + v.length + ENTRY_OVERHEAD;
    }
    if (drop > 0) this.#entries.splice(0, drop);
  }
}

/** Static-table indexes of the :status values it holds. */
const STATUS_INDEX: Readonly<Record<number, number>> = { 200: 8, 204: 9, 206: 10, 304: 11, 400: 12, 404: 13, 500: 14 };

/** Encoded blocks of the most common response heads, by status and content type. */
const blockMemo = new Map<string, Buffer>();
const MEMO_LIMIT = 256;

/**
 * A response header block: `:status`, then each header as a literal without indexing with a
 * literal lower-case name. Names and values are written as Latin-1 bytes and must not hold CR, LF
 * or NUL (they come from Riffle's own code, never from a request).
 */
export function encodeResponseHeaders(status: number, headers: Readonly<Record<string, string | number>> | undefined): Buffer {
  let onlyType: string | undefined;
  let count = 0;
  for (const k in headers) {
    count++;
    if (k === 'content-type') onlyType = String(headers[k]);
  }
  const memoKey = count === 0 ? `${status}` : count === 1 && onlyType !== undefined ? `${status} ${onlyType}` : undefined;
  if (memoKey !== undefined) {
    const hit = blockMemo.get(memoKey);
    if (hit) return hit;
  }
  const parts: number[] = [];
  const index = STATUS_INDEX[status];
  if (index !== undefined) parts.push(0x80 | index);
  else literal(parts, 8, undefined, String(status));
  for (const k in headers) literal(parts, 0, k.toLowerCase(), String(headers[k]));
  const block = Buffer.from(parts);
  if (memoKey !== undefined && blockMemo.size < MEMO_LIMIT) blockMemo.set(memoKey, block);
  return block;
}

let dateSecond = -1;
let dateBlock: Buffer = Buffer.alloc(0);

/**
 * The `date` field of responses sent now (RFC 9110 6.6.1: origin servers with a clock send it),
 * encoded once per second.
 */
export function encodeDateField(nowMs: number): Buffer {
  const second = Math.floor(nowMs / 1000);
  if (second !== dateSecond) {
    const parts: number[] = [];
    literal(parts, 33, undefined, new Date(second * 1000).toUTCString());
    dateBlock = Buffer.from(parts);
    dateSecond = second;
  }
  return dateBlock;
}

/** A literal without indexing: indexed name when `nameIndex` > 0, else the literal name. */
function literal(out: number[], nameIndex: number, name: string | undefined, value: string): void {
  integer(out, 0x00, 4, nameIndex);
  if (name !== undefined) stringLiteral(out, name);
  stringLiteral(out, value);
}

function stringLiteral(out: number[], s: string): void {
  const bytes = Buffer.from(s, 'latin1');
  integer(out, 0x00, 7, bytes.length);
  for (const b of bytes) out.push(b);
}

function integer(out: number[], firstBits: number, prefixBits: number, value: number): void {
  const max = (1 << prefixBits) - 1;
  if (value < max) {
    out.push(firstBits | value);
    return;
  }
  out.push(firstBits | max);
  value -= max;
  while (value >= 0x80) {
    out.push((value & 0x7f) | 0x80);
    value = Math.floor(value / 128);
  }
  out.push(value);
}
