// HTTP/2 frame types, flags, settings and error codes (RFC 9113 sections 6, 7 and 11), and the
// writer of frames into an output buffer.

export const FRAME_HEADER_BYTES = 9;

export const DATA = 0x0;
export const HEADERS = 0x1;
export const PRIORITY = 0x2;
export const RST_STREAM = 0x3;
export const SETTINGS = 0x4;
export const PUSH_PROMISE = 0x5;
export const PING = 0x6;
export const GOAWAY = 0x7;
export const WINDOW_UPDATE = 0x8;
export const CONTINUATION = 0x9;

export const FLAG_END_STREAM = 0x1;
export const FLAG_ACK = 0x1;
export const FLAG_END_HEADERS = 0x4;
export const FLAG_PADDED = 0x8;
export const FLAG_PRIORITY = 0x20;

export const SETTINGS_HEADER_TABLE_SIZE = 0x1;
export const SETTINGS_ENABLE_PUSH = 0x2;
export const SETTINGS_MAX_CONCURRENT_STREAMS = 0x3;
export const SETTINGS_INITIAL_WINDOW_SIZE = 0x4;
export const SETTINGS_MAX_FRAME_SIZE = 0x5;
export const SETTINGS_MAX_HEADER_LIST_SIZE = 0x6;

export const NO_ERROR = 0x0;
export const PROTOCOL_ERROR = 0x1;
export const INTERNAL_ERROR = 0x2;
export const FLOW_CONTROL_ERROR = 0x3;
export const STREAM_CLOSED = 0x5;
export const FRAME_SIZE_ERROR = 0x6;
export const REFUSED_STREAM = 0x7;
export const CANCEL = 0x8;
export const COMPRESSION_ERROR = 0x9;
export const ENHANCE_YOUR_CALM = 0xb;

/** The largest flow-control window (RFC 9113 6.9.1). */
export const MAX_WINDOW = 2 ** 31 - 1;
/** The frame size every endpoint must accept (RFC 9113 4.2). */
export const DEFAULT_MAX_FRAME_SIZE = 16384;
export const DEFAULT_WINDOW = 65535;

export const CLIENT_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

/** Outputs up to this size are copied out of the buffer instead of taking it over. */
const SMALL_OUTPUT_BYTES = 4096;

/**
 * A growing byte buffer that frames are written into and that is handed to the socket whole: many
 * small frames, one socket write.
 */
export class OutputBuffer {
  bytes: Buffer = Buffer.allocUnsafe(16 * 1024);
  length = 0;

  /** Makes room for `n` more bytes. */
  reserve(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.length + n));
    this.bytes.copy(next, 0, 0, this.length);
    this.bytes = next;
  }

  /** Writes a frame header; the caller writes `length` payload bytes after it. */
  header(length: number, type: number, flags: number, stream: number): void {
    this.reserve(FRAME_HEADER_BYTES + length);
    const b = this.bytes;
    let at = this.length;
    b[at++] = length >>> 16;
    b[at++] = (length >>> 8) & 0xff;
    b[at++] = length & 0xff;
    b[at++] = type;
    b[at++] = flags;
    b.writeUInt32BE(stream, at);
    this.length = at + 4;
  }

  /** A frame whose payload is `payload` followed by `more`. */
  frame(type: number, flags: number, stream: number, payload?: Uint8Array, more?: Uint8Array): void {
    this.header((payload?.length ?? 0) + (more?.length ?? 0), type, flags, stream);
    for (const part of [payload, more]) {
      if (!part || part.length === 0) continue;
      this.bytes.set(part, this.length);
      this.length += part.length;
    }
  }

  uint32(type: number, flags: number, stream: number, value: number): void {
    this.header(4, type, flags, stream);
    this.bytes.writeUInt32BE(value, this.length);
    this.length += 4;
  }

  /**
   * Takes the bytes written so far. Small outputs are copied (into Node's shared pool) and the
   * buffer is kept; large ones are handed over and a new buffer is started.
   */
  take(): Buffer {
    const n = this.length;
    this.length = 0;
    if (n <= SMALL_OUTPUT_BYTES) return Buffer.from(this.bytes.subarray(0, n));
    const out = this.bytes.subarray(0, n);
    this.bytes = Buffer.allocUnsafe(16 * 1024);
    return out;
  }
}
