// Riffle's HTTP/2 server connection (h2c with prior knowledge, RFC 9113) on a socket whose client
// preface has been recognised. Node's http2 module costs more CPU per request than a pull query's
// whole answer (a Duplex per stream, listeners, an error object with a stack trace per finished
// stream), so requests are served here: frames are parsed as they arrive, the streams a socket read
// completes are dispatched after it, and every frame the responses produce in one turn of the
// event loop goes out in one socket write.
//
// What it enforces: the frame and stream rules of RFC 9113 (connection errors end with GOAWAY,
// stream errors with RST_STREAM), flow control in both directions, the malformed-request rules of
// section 8.1.1/8.2, and limits against abuse: concurrent streams, header block size (CONTINUATION
// floods), client resets per second (rapid reset), and output a client never reads.

import type { IncomingHttpHeaders } from 'node:http';
import type net from 'node:net';
import {
  CLIENT_PREFACE, COMPRESSION_ERROR, CONTINUATION, DATA, DEFAULT_MAX_FRAME_SIZE, DEFAULT_WINDOW, ENHANCE_YOUR_CALM,
  FLAG_ACK, FLAG_END_HEADERS, FLAG_END_STREAM, FLAG_PADDED, FLAG_PRIORITY, FLOW_CONTROL_ERROR, FRAME_HEADER_BYTES,
  FRAME_SIZE_ERROR, GOAWAY, HEADERS, INTERNAL_ERROR, MAX_WINDOW, NO_ERROR, OutputBuffer, PING, PRIORITY, PROTOCOL_ERROR,
  PUSH_PROMISE, REFUSED_STREAM, RST_STREAM, SETTINGS, SETTINGS_ENABLE_PUSH,
  SETTINGS_INITIAL_WINDOW_SIZE, SETTINGS_MAX_CONCURRENT_STREAMS, SETTINGS_MAX_FRAME_SIZE, SETTINGS_MAX_HEADER_LIST_SIZE,
  STREAM_CLOSED, WINDOW_UPDATE,
} from './frames.ts';
import { CompressionError, encodeDateField, encodeResponseHeaders, HpackDecoder } from './hpack.ts';
import { H2Stream, type StreamHost } from './h2-stream.ts';

/** What this server advertises and enforces. */
const MAX_CONCURRENT_STREAMS = 1000;
/** Per-stream receive window: room for an /inserts-stream batch without waiting for credit. */
const STREAM_WINDOW = 1024 * 1024;
const CONNECTION_WINDOW = 16 * 1024 * 1024;
const MAX_HEADER_LIST_BYTES = 64 * 1024;
/** A header block (HEADERS + CONTINUATION) larger than this ends the connection. */
const MAX_HEADER_BLOCK_BYTES = 256 * 1024;
/** Client resets allowed per second on average, and in a burst (CVE-2023-44487). */
const RESETS_PER_SECOND = 200;
const RESET_BURST = 1000;
/** Output waiting for a client that does not read (pings, settings acks, responses) past this ends it. */
const MAX_PENDING_OUTPUT_BYTES = 64 * 1024 * 1024;

/** Connection-specific fields a request must not carry (RFC 9113 8.2.2). */
const CONNECTION_HEADERS = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade']);
const REQUEST_PSEUDO = new Set([':method', ':scheme', ':path', ':authority', ':protocol']);

class ConnectionError extends Error {
  readonly code: number;
  constructor(code: number, message: string) {
    super(message);
    this.code = code;
  }
}

class StreamError extends Error {
  readonly code: number;
  readonly stream: number;
  constructor(stream: number, code: number, message: string) {
    super(message);
    this.stream = stream;
    this.code = code;
  }
}

export type H2StreamListener = (stream: H2Stream) => void;

export class H2Connection implements StreamHost {
  readonly socket: net.Socket;
  readonly #onStream: H2StreamListener;
  readonly #decoder = new HpackDecoder();
  readonly #streams = new Map<number, H2Stream>();
  readonly #out = new OutputBuffer();
  #flushScheduled = false;
  /** Inside #onData: connection credit is sent once at the end of the read. */
  #inRead = false;
  /** The socket refused more (write() returned false): output waits for 'drain'. */
  #blocked = false;
  /** Write callbacks to run once the frames queued so far are handed to the socket. */
  #afterFlush: (() => void)[] = [];
  /** Streams waiting for send window. */
  readonly #starved = new Set<H2Stream>();
  #pending: Buffer | undefined;
  #prefaceSeen = false;
  #settingsSeen = false;
  #lastStreamId = 0;
  /** GOAWAY sent: no new streams; the socket ends once the open ones finish. */
  #goingAway = false;
  #closed = false;
  // Peer settings.
  #peerInitialWindow = DEFAULT_WINDOW;
  #peerMaxFrame = DEFAULT_MAX_FRAME_SIZE;
  #sendWindow = DEFAULT_WINDOW;
  /**
   * DATA bytes consumed (read by the application, or dropped) and not yet credited back on the
   * connection window. Bytes waiting in a stream for a reader are not consumed: the connection
   * window bounds what one connection can make the server hold.
   */
  #uncredited = 0;
  /** What the client may still send on the connection. */
  #receiveWindow = CONNECTION_WINDOW;
  /** Header block being assembled from HEADERS + CONTINUATION frames. */
  #block: { stream: number; flags: number; parts: Buffer[]; bytes: number; selfDependent: boolean } | undefined;
  /** Streams whose head arrived in the current socket read, dispatched after it. */
  readonly #toDispatch: H2Stream[] = [];
  #resetTokens = RESET_BURST;
  #resetRefilledAt = Date.now();
  readonly #closeListeners: (() => void)[] = [];
  /** Ids of the last streams closed, to tell frames on a closed stream from frames on a skipped id. */
  readonly #recentlyClosed: number[] = [];
  readonly #onInternalError: (err: unknown) => void;

  constructor(socket: net.Socket, onStream: H2StreamListener, onInternalError: (err: unknown) => void) {
    this.socket = socket;
    this.#onStream = onStream;
    this.#onInternalError = onInternalError;
    // SETTINGS, then the larger connection window (its initial size is not a setting).
    const settings = Buffer.alloc(4 * 6);
    let at = 0;
    for (const [id, value] of [[SETTINGS_MAX_CONCURRENT_STREAMS, MAX_CONCURRENT_STREAMS], [SETTINGS_INITIAL_WINDOW_SIZE, STREAM_WINDOW],
      [SETTINGS_MAX_HEADER_LIST_SIZE, MAX_HEADER_LIST_BYTES], [SETTINGS_ENABLE_PUSH, 0]] as const) {
      settings.writeUInt16BE(id, at);
      settings.writeUInt32BE(value, at + 2);
      at += 6;
    }
    this.#out.frame(SETTINGS, 0, 0, settings);
    this.#out.uint32(WINDOW_UPDATE, 0, 0, CONNECTION_WINDOW - DEFAULT_WINDOW);
    this.#scheduleFlush();
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('drain', () => {
      this.#blocked = false;
      this.#runAfterFlush();
      for (const s of [...this.#starved]) this.pump(s);
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.#teardown());
  }

  /** Called once the connection is gone. */
  onClose(listener: () => void): void {
    if (this.#closed) listener();
    else this.#closeListeners.push(listener);
  }

  /** Graceful close: GOAWAY, then the socket ends when the open streams have finished. */
  close(): void {
    if (this.#closed) return;
    if (!this.#goingAway) this.#goAway(NO_ERROR, '');
    this.#endIfDone();
  }

  // ---- input ----

  #onData(chunk: Buffer): void {
    if (this.#closed) return;
    this.#inRead = true;
    try {
      this.#read(chunk);
    } finally {
      this.#inRead = false;
    }
    if (this.#closed) return;
    this.#creditConnection();
    const ready = this.#toDispatch.splice(0);
    for (const s of ready) {
      if (s.closed) continue;
      s.dispatched = true;
      try {
        this.#onStream(s);
      } catch (e) {
        this.#onInternalError(e);
        this.reset(s, INTERNAL_ERROR);
      }
    }
  }

  /** Parses the frames `chunk` completes (the rest waits for the next read). */

  #read(chunk: Buffer): void {
    const buf = this.#pending ? Buffer.concat([this.#pending, chunk]) : chunk;
    this.#pending = undefined;
    let at = 0;
    try {
      if (!this.#prefaceSeen) {
        if (buf.length < CLIENT_PREFACE.length) {
          this.#pending = buf;
          return;
        }
        if (!buf.subarray(0, CLIENT_PREFACE.length).equals(CLIENT_PREFACE)) throw new ConnectionError(PROTOCOL_ERROR, 'invalid connection preface');
        this.#prefaceSeen = true;
        at = CLIENT_PREFACE.length;
      }
      while (buf.length - at >= FRAME_HEADER_BYTES) {
        const length = (buf[at]! << 16) | (buf[at + 1]! << 8) | buf[at + 2]!;
        if (length > DEFAULT_MAX_FRAME_SIZE) throw new ConnectionError(FRAME_SIZE_ERROR, `frame of ${length} bytes`);
        if (buf.length - at - FRAME_HEADER_BYTES < length) break;
        const type = buf[at + 3]!;
        const flags = buf[at + 4]!;
        const id = buf.readUInt32BE(at + 5) & 0x7fffffff;
        const payload = buf.subarray(at + FRAME_HEADER_BYTES, at + FRAME_HEADER_BYTES + length);
        at += FRAME_HEADER_BYTES + length;
        try {
          this.#frame(type, flags, id, payload);
        } catch (e) {
          if (!(e instanceof StreamError)) throw e;
          this.#streamError(e.stream, e.code);
        }
        if (this.#closed) return;
      }
      if (at < buf.length) this.#pending = buf.subarray(at);
    } catch (e) {
      if (e instanceof ConnectionError) return this.#connectionError(e.code, e.message);
      if (e instanceof CompressionError) return this.#connectionError(COMPRESSION_ERROR, e.message);
      // A defect here, not the client's: the connection ends, the server does not.
      this.#onInternalError(e);
      return this.#connectionError(INTERNAL_ERROR, 'internal error');
    }
  }

  #frame(type: number, flags: number, id: number, payload: Buffer): void {
    if (this.#block && type !== CONTINUATION) throw new ConnectionError(PROTOCOL_ERROR, 'expected CONTINUATION');
    if (!this.#settingsSeen && type !== SETTINGS) throw new ConnectionError(PROTOCOL_ERROR, 'the first frame must be SETTINGS');
    switch (type) {
      case DATA: return this.#data(flags, id, payload);
      case HEADERS: return this.#headers(flags, id, payload);
      case PRIORITY:
        if (id === 0) throw new ConnectionError(PROTOCOL_ERROR, 'PRIORITY on stream 0');
        if (payload.length !== 5) throw new StreamError(id, FRAME_SIZE_ERROR, 'PRIORITY length');
        if ((payload.readUInt32BE(0) & 0x7fffffff) === id) throw new StreamError(id, PROTOCOL_ERROR, 'stream depends on itself');
        return;
      case RST_STREAM: return this.#rstStream(id, payload);
      case SETTINGS: return this.#settings(flags, id, payload);
      case PUSH_PROMISE: throw new ConnectionError(PROTOCOL_ERROR, 'PUSH_PROMISE from a client');
      case PING:
        if (id !== 0) throw new ConnectionError(PROTOCOL_ERROR, 'PING on a stream');
        if (payload.length !== 8) throw new ConnectionError(FRAME_SIZE_ERROR, 'PING length');
        if (!(flags & FLAG_ACK)) this.#queue(() => this.#out.frame(PING, FLAG_ACK, 0, payload));
        return;
      case GOAWAY:
        if (id !== 0) throw new ConnectionError(PROTOCOL_ERROR, 'GOAWAY on a stream');
        // The client starts no new streams; the open ones finish.
        this.#goingAway = true;
        this.#endIfDone();
        return;
      case WINDOW_UPDATE: return this.#windowUpdate(id, payload);
      case CONTINUATION: return this.#continuation(flags, id, payload);
      default:
        return; // Unknown frame types are ignored (RFC 9113 4.1).
    }
  }

  #data(flags: number, id: number, payload: Buffer): void {
    if (id === 0) throw new ConnectionError(PROTOCOL_ERROR, 'DATA on stream 0');
    // Flow control counts the whole frame, padding included.
    this.#receiveWindow -= payload.length;
    if (this.#receiveWindow < 0) throw new ConnectionError(FLOW_CONTROL_ERROR, 'connection window exceeded');
    const s = this.#streams.get(id);
    if (!s || s.remoteEnded) {
      // Dropped: consumed as far as the connection window goes.
      this.#consumed(payload.length);
      if (!s && id > this.#lastStreamId) throw new ConnectionError(PROTOCOL_ERROR, 'DATA on an idle stream');
      throw new StreamError(id, STREAM_CLOSED, s ? 'DATA after END_STREAM' : 'DATA on a closed stream');
    }
    s.receiveWindow -= payload.length;
    if (s.receiveWindow < 0) {
      this.#consumed(payload.length);
      throw new StreamError(id, FLOW_CONTROL_ERROR, 'stream window exceeded');
    }
    const data = unpad(flags, payload);
    // Padding counts against the windows but is never delivered: credit it back at once.
    if (data.length < payload.length) this.credit(s, payload.length - data.length);
    if (s.declaredLength !== undefined && s.receivedBytes + data.length > s.declaredLength) throw new StreamError(id, PROTOCOL_ERROR, 'body longer than its content-length');
    if (data.length > 0) {
      const credit = s.receive(data);
      if (credit > 0) this.credit(s, credit);
    }
    if (flags & FLAG_END_STREAM) this.#remoteEnd(s);
  }

  #headers(flags: number, id: number, payload: Buffer): void {
    if (id === 0) throw new ConnectionError(PROTOCOL_ERROR, 'HEADERS on stream 0');
    let fragment = unpad(flags, payload);
    let selfDependent = false;
    if (flags & FLAG_PRIORITY) {
      if (fragment.length < 5) throw new ConnectionError(FRAME_SIZE_ERROR, 'HEADERS priority fields missing');
      selfDependent = (fragment.readUInt32BE(0) & 0x7fffffff) === id;
      fragment = fragment.subarray(5);
    }
    this.#block = { stream: id, flags, parts: [fragment], bytes: fragment.length, selfDependent };
    if (flags & FLAG_END_HEADERS) this.#headerBlock();
  }

  #continuation(flags: number, id: number, payload: Buffer): void {
    const b = this.#block;
    if (!b || b.stream !== id) throw new ConnectionError(PROTOCOL_ERROR, 'CONTINUATION without HEADERS');
    b.parts.push(payload);
    b.bytes += payload.length;
    if (b.bytes > MAX_HEADER_BLOCK_BYTES) throw new ConnectionError(ENHANCE_YOUR_CALM, 'header block too large');
    if (flags & FLAG_END_HEADERS) this.#headerBlock();
  }

  /** A complete header block: a new request, or trailers. */
  #headerBlock(): void {
    const { stream: id, flags, parts, selfDependent } = this.#block!;
    this.#block = undefined;
    const block = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    const existing = this.#streams.get(id);
    // The block is decoded in every case: it changes the decoder's table.
    const fields = decodeFields(this.#decoder, block);
    if (selfDependent) {
      this.#lastStreamId = Math.max(this.#lastStreamId, id);
      throw new StreamError(id, PROTOCOL_ERROR, 'stream depends on itself');
    }
    if (existing) {
      // Trailers: they end the request and carry no pseudo-headers; their fields are not used.
      if (existing.remoteEnded) throw new StreamError(id, STREAM_CLOSED, 'HEADERS after END_STREAM');
      if (!(flags & FLAG_END_STREAM)) throw new StreamError(id, PROTOCOL_ERROR, 'trailers without END_STREAM');
      if (fields.pseudo) throw new StreamError(id, PROTOCOL_ERROR, 'pseudo-header in trailers');
      this.#remoteEnd(existing);
      return;
    }
    if (id % 2 === 0) throw new ConnectionError(PROTOCOL_ERROR, 'even stream id from a client');
    if (id <= this.#lastStreamId) {
      if (this.#recentlyClosed.includes(id)) throw new ConnectionError(STREAM_CLOSED, `HEADERS on closed stream ${id}`);
      throw new ConnectionError(PROTOCOL_ERROR, `stream ${id} is lower than an earlier one`);
    }
    this.#lastStreamId = id;
    if (this.#goingAway) return; // Past GOAWAY: ignored, the client retries elsewhere.
    if (this.#streams.size >= MAX_CONCURRENT_STREAMS) throw new StreamError(id, REFUSED_STREAM, 'too many concurrent streams');
    const malformed = checkRequestHead(fields);
    const declared = fields.headers['content-length'];
    if (declared !== undefined && !/^\d{1,15}$/.test(declared)) throw new StreamError(id, PROTOCOL_ERROR, 'invalid content-length');
    if (malformed) throw new StreamError(id, PROTOCOL_ERROR, malformed);
    const s = new H2Stream(this, id, fields.headers, this.#peerInitialWindow, STREAM_WINDOW);
    this.#streams.set(id, s);
    if (flags & FLAG_END_STREAM) this.#remoteEnd(s);
    this.#toDispatch.push(s);
  }

  #remoteEnd(s: H2Stream): void {
    if (s.declaredLength !== undefined && s.declaredLength !== s.receivedBytes) throw new StreamError(s.id, PROTOCOL_ERROR, 'content-length does not match the body');
    s.receiveEnd();
    this.#closeIfDone(s);
  }

  #rstStream(id: number, payload: Buffer): void {
    if (id === 0) throw new ConnectionError(PROTOCOL_ERROR, 'RST_STREAM on stream 0');
    if (payload.length !== 4) throw new ConnectionError(FRAME_SIZE_ERROR, 'RST_STREAM length');
    if (id > this.#lastStreamId) throw new ConnectionError(PROTOCOL_ERROR, 'RST_STREAM on an idle stream');
    const s = this.#streams.get(id);
    if (!s) return;
    const now = Date.now();
    this.#resetTokens = Math.min(RESET_BURST, this.#resetTokens + ((now - this.#resetRefilledAt) / 1000) * RESETS_PER_SECOND);
    this.#resetRefilledAt = now;
    if (--this.#resetTokens < 0) throw new ConnectionError(ENHANCE_YOUR_CALM, 'too many stream resets');
    this.#close(s);
  }

  #settings(flags: number, id: number, payload: Buffer): void {
    if (id !== 0) throw new ConnectionError(PROTOCOL_ERROR, 'SETTINGS on a stream');
    if (flags & FLAG_ACK) {
      if (payload.length !== 0) throw new ConnectionError(FRAME_SIZE_ERROR, 'SETTINGS ack with a payload');
      return;
    }
    if (payload.length % 6 !== 0) throw new ConnectionError(FRAME_SIZE_ERROR, 'SETTINGS length');
    this.#settingsSeen = true;
    for (let at = 0; at < payload.length; at += 6) {
      const key = payload.readUInt16BE(at);
      const value = payload.readUInt32BE(at + 2);
      if (key === SETTINGS_ENABLE_PUSH && value > 1) throw new ConnectionError(PROTOCOL_ERROR, 'ENABLE_PUSH must be 0 or 1');
      if (key === SETTINGS_INITIAL_WINDOW_SIZE) {
        if (value > MAX_WINDOW) throw new ConnectionError(FLOW_CONTROL_ERROR, 'INITIAL_WINDOW_SIZE too large');
        const delta = value - this.#peerInitialWindow;
        this.#peerInitialWindow = value;
        for (const s of this.#streams.values()) {
          s.sendWindow += delta;
          if (s.sendWindow > MAX_WINDOW) throw new ConnectionError(FLOW_CONTROL_ERROR, 'stream window too large');
        }
      }
      if (key === SETTINGS_MAX_FRAME_SIZE) {
        if (value < DEFAULT_MAX_FRAME_SIZE || value > 16777215) throw new ConnectionError(PROTOCOL_ERROR, 'MAX_FRAME_SIZE out of range');
        this.#peerMaxFrame = value;
      }
      // HEADER_TABLE_SIZE: the encoder never indexes. MAX_CONCURRENT_STREAMS: the server never
      // pushes. MAX_HEADER_LIST_SIZE: advisory, and responses carry a few small fields.
    }
    this.#queue(() => this.#out.frame(SETTINGS, FLAG_ACK, 0));
    for (const s of [...this.#starved]) this.pump(s);
  }

  #windowUpdate(id: number, payload: Buffer): void {
    if (payload.length !== 4) throw new ConnectionError(FRAME_SIZE_ERROR, 'WINDOW_UPDATE length');
    const increment = payload.readUInt32BE(0) & 0x7fffffff;
    if (id === 0) {
      if (increment === 0) throw new ConnectionError(PROTOCOL_ERROR, 'WINDOW_UPDATE of 0');
      this.#sendWindow += increment;
      if (this.#sendWindow > MAX_WINDOW) throw new ConnectionError(FLOW_CONTROL_ERROR, 'connection window too large');
      for (const s of [...this.#starved]) this.pump(s);
      return;
    }
    const s = this.#streams.get(id);
    if (!s) {
      if (id > this.#lastStreamId) throw new ConnectionError(PROTOCOL_ERROR, 'WINDOW_UPDATE on an idle stream');
      return;
    }
    if (increment === 0) throw new StreamError(id, PROTOCOL_ERROR, 'WINDOW_UPDATE of 0');
    s.sendWindow += increment;
    if (s.sendWindow > MAX_WINDOW) throw new StreamError(id, FLOW_CONTROL_ERROR, 'stream window too large');
    this.pump(s);
  }

  // ---- StreamHost ----

  sendHead(s: H2Stream, status: number, headers: Readonly<Record<string, string | number>> | undefined, endStream: boolean): void {
    if (s.closed || this.#closed) return;
    const head = encodeResponseHeaders(status, headers);
    const date = encodeDateField(Date.now());
    const max = this.#peerMaxFrame;
    let flags = endStream ? FLAG_END_STREAM : 0;
    if (head.length + date.length <= max) {
      this.#out.frame(HEADERS, flags | FLAG_END_HEADERS, s.id, head, date);
    } else {
      const block = Buffer.concat([head, date]);
      for (let at = 0; at < block.length; at += max) {
        const part = block.subarray(at, at + max);
        const last = at + max >= block.length;
        this.#out.frame(at === 0 ? HEADERS : CONTINUATION, (at === 0 ? flags : 0) | (last ? FLAG_END_HEADERS : 0), s.id, part);
        flags = 0;
      }
    }
    this.#scheduleFlush();
    if (endStream) {
      s.localEnded = true;
      this.#closeIfDone(s);
    }
  }

  pump(s: H2Stream): void {
    if (s.closed || this.#closed) return;
    const q = s.queue;
    while (q.length > 0) {
      const item = q[0]!;
      const left = item.data.length - item.offset;
      const n = Math.min(left, s.sendWindow, this.#sendWindow, this.#peerMaxFrame);
      if (n <= 0 && left > 0) {
        this.#starved.add(s);
        break;
      }
      const last = n === left;
      const flags = last && item.end ? FLAG_END_STREAM : 0;
      this.#out.header(n, DATA, flags, s.id);
      if (n > 0) {
        item.data.copy(this.#out.bytes, this.#out.length, item.offset, item.offset + n);
        this.#out.length += n;
      }
      item.offset += n;
      s.sendWindow -= n;
      this.#sendWindow -= n;
      if (!last) continue;
      q.shift();
      if (item.cb) this.#afterFlush.push(item.cb);
      if (item.end) {
        s.localEnded = true;
        this.#closeIfDone(s);
      }
    }
    if (q.length === 0) this.#starved.delete(s);
    this.#scheduleFlush();
  }

  reset(s: H2Stream, code: number): void {
    if (!s.closed) this.#streamError(s.id, code);
  }

  credit(s: H2Stream, n: number): void {
    if (n === 0) return;
    this.#consumed(n);
    // Only a stream still sending needs more window; small credits are gathered.
    if (s.remoteEnded || s.closed) return;
    s.uncredited += n;
    if (s.uncredited < STREAM_WINDOW / 4) return;
    const total = s.uncredited;
    s.uncredited = 0;
    s.receiveWindow += total;
    this.#queue(() => this.#out.uint32(WINDOW_UPDATE, 0, s.id, total));
  }

  // ---- output ----

  #queue(write: () => void): void {
    if (this.#closed) return;
    write();
    this.#scheduleFlush();
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => this.#flush());
  }

  #flush(): void {
    this.#flushScheduled = false;
    if (this.#closed) return;
    if (this.#out.length > 0) {
      if (this.socket.writableLength > MAX_PENDING_OUTPUT_BYTES) {
        this.socket.destroy();
        return;
      }
      if (!this.socket.write(this.#out.take())) this.#blocked = true;
    }
    if (!this.#blocked) this.#runAfterFlush();
    if (this.#goingAway) this.#endIfDone();
  }

  #runAfterFlush(): void {
    const cbs = this.#afterFlush;
    if (cbs.length === 0) return;
    this.#afterFlush = [];
    for (const cb of cbs) cb();
  }

  /** `n` received bytes left the server's hands: the connection window may grow by that much. */
  #consumed(n: number): void {
    this.#uncredited += n;
    if (!this.#inRead) this.#creditConnection();
  }

  #creditConnection(): void {
    if (this.#uncredited < CONNECTION_WINDOW / 4) return;
    const n = this.#uncredited;
    this.#uncredited = 0;
    this.#receiveWindow += n;
    this.#queue(() => this.#out.uint32(WINDOW_UPDATE, 0, 0, n));
  }

  // ---- closing ----

  #closeIfDone(s: H2Stream): void {
    if (!s.localEnded) return;
    if (s.remoteEnded) return this.#close(s);
    // The response is complete and the request is not: the rest of the body is read and dropped
    // until the client ends it (the stream still counts against the concurrency limit).
    if (s.dispatched) s.discardBody();
  }

  #close(s: H2Stream): void {
    if (s.closed) return;
    // Body bytes nobody will read now are consumed.
    this.#consumed(s.dropHeldBody());
    this.#streams.delete(s.id);
    this.#recentlyClosed.push(s.id);
    if (this.#recentlyClosed.length > 64) this.#recentlyClosed.shift();
    this.#starved.delete(s);
    s.markClosed();
    if (this.#goingAway) this.#endIfDone();
  }

  #streamError(id: number, code: number): void {
    const s = this.#streams.get(id);
    this.#queue(() => this.#out.uint32(RST_STREAM, 0, id, code));
    if (s) this.#close(s);
  }

  #goAway(code: number, message: string): void {
    this.#goingAway = true;
    const debug = Buffer.from(message.slice(0, 200), 'utf8');
    const payload = Buffer.alloc(8 + debug.length);
    payload.writeUInt32BE(this.#lastStreamId, 0);
    payload.writeUInt32BE(code, 4);
    debug.copy(payload, 8);
    this.#queue(() => this.#out.frame(GOAWAY, 0, 0, payload));
  }

  #connectionError(code: number, message: string): void {
    if (this.#closed) return;
    this.#goAway(code, message);
    this.#end();
  }

  /** After GOAWAY: ends the socket once no stream is open and the output is written. */
  #endIfDone(): void {
    if (!this.#closed && this.#streams.size === 0) this.#end();
  }

  /** Writes what is queued, ends the socket, and closes every stream. */
  #end(): void {
    const out = this.#out.take();
    this.#closed = true;
    this.socket.end(out);
    this.#teardown();
  }

  #teardown(): void {
    this.#closed = true;
    for (const s of [...this.#streams.values()]) this.#close(s);
    this.#runAfterFlush();
    for (const l of this.#closeListeners.splice(0)) l();
  }
}

/** Strips the padding of a PADDED frame (RFC 9113 6.1). */
function unpad(flags: number, payload: Buffer): Buffer {
  if (!(flags & FLAG_PADDED)) return payload;
  if (payload.length < 1) throw new ConnectionError(FRAME_SIZE_ERROR, 'padded frame without its length');
  const pad = payload[0]!;
  if (pad >= payload.length) throw new ConnectionError(PROTOCOL_ERROR, 'padding longer than the frame');
  return payload.subarray(1, payload.length - pad);
}

interface DecodedFields {
  readonly headers: IncomingHttpHeaders;
  /** A pseudo-header was present. */
  readonly pseudo: boolean;
  /** The first rule of RFC 9113 8.2/8.3 the fields break, if any. */
  readonly malformed: string | undefined;
}

/** Decodes a header block into Node-style request headers (names lower-case, repeats joined). */
function decodeFields(decoder: HpackDecoder, block: Buffer): DecodedFields {
  const headers: IncomingHttpHeaders = {};
  let pseudo = false;
  let regularSeen = false;
  let malformed: string | undefined;
  let listBytes = 0;
  decoder.decode(block, (name, value) => {
    listBytes += name.length + value.length + 32;
    if (malformed !== undefined) return;
    if (name.startsWith(':')) {
      pseudo = true;
      if (regularSeen) malformed = 'pseudo-header after a regular header';
      else if (!REQUEST_PSEUDO.has(name)) malformed = `unknown pseudo-header ${name}`;
      else if (headers[name] !== undefined) malformed = `repeated ${name}`;
      else headers[name] = value;
      return;
    }
    regularSeen = true;
    if (name !== name.toLowerCase()) malformed = 'upper-case header name';
    else if (CONNECTION_HEADERS.has(name)) malformed = `connection-specific header ${name}`;
    else if (name === 'te' && value !== 'trailers') malformed = 'TE other than trailers';
    else {
      const prior = headers[name];
      if (prior === undefined) headers[name] = name === 'set-cookie' ? [value] : value;
      else if (Array.isArray(prior)) prior.push(value);
      else headers[name] = `${prior}${name === 'cookie' ? '; ' : ', '}${value}`;
    }
  });
  if (listBytes > MAX_HEADER_LIST_BYTES && malformed === undefined) malformed = 'header list too large';
  return { headers, pseudo, malformed };
}

/** Why a request head is malformed, or undefined (RFC 9113 8.3.1). */
function checkRequestHead(f: DecodedFields): string | undefined {
  if (f.malformed) return f.malformed;
  const h = f.headers;
  if (h[':method'] === undefined) return 'missing :method';
  if (h[':method'] === 'CONNECT') return 'CONNECT is not supported';
  if (h[':scheme'] === undefined) return 'missing :scheme';
  if (h[':path'] === undefined || h[':path'] === '') return 'missing :path';
  return undefined;
}

