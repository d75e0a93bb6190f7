// One topic-partition of the embedded log: its segments, offset assignment, the pending-write
// queue drained by the group-commit flusher, read_committed visibility and waitForData wakeups.
//
// Three positions, always nextOffset >= durableEnd >= visibleEnd:
// - nextOffset: the offset the next assigned record gets (assigned records may not be written yet);
// - durableEnd: every record below it is written and fsynced;
// - visibleEnd: what readers see (Log.endOffset). It stops at the first record of a transaction that
//   is durable but not yet committed in the control journal, so no reader ever sees it early.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { LogRecord, ProduceRecord } from '../log.ts';
import { releaseChunk, takeChunk } from './chunk-pool.ts';
import { decodeRecord, frameLength, frameTxnId, writeFrame } from './record-codec.ts';
import { Segment, segmentFileName } from './segment.ts';

/** Upper bound of bytes one read pulls from disk. */
const MAX_READ_BYTES = 8 * 1024 * 1024;

/** Reads started ahead kept per partition (one per reader reading it at its own position). */
const MAX_READS_AHEAD = 4;

interface PendingChunk {
  readonly segment: Segment;
  readonly buf: Buffer;
}

interface DataWaiter {
  readonly from: number;
  readonly wake: () => void;
}

export class PartitionLog {
  readonly dir: string;
  readonly segmentBytes: number;
  /** Ascending by base offset; the last one is the active segment appends go to. */
  segments: Segment[];
  nextOffset: number;
  durableEnd: number;
  visibleEnd: number;
  /** Segment count when compaction last ran (compacted topics compact again after a roll). */
  compactedSegments = 1;
  /** txnId -> first offset of that transaction here, for transactions written but not yet decided. */
  private readonly openTxns = new Map<number, number>();
  private pending: PendingChunk[] = [];
  private readonly waiters = new Set<DataWaiter>();
  /** Reads started ahead by full reads, by the offset they start at (see read); oldest first. */
  private readonly ahead = new Map<number, { readonly max: number; readonly result: Promise<LogRecord[]> }>();

  constructor(dir: string, segmentBytes: number, segments: Segment[]) {
    this.dir = dir;
    this.segmentBytes = segmentBytes;
    this.segments = segments;
    const active = segments[segments.length - 1]!;
    const last = active.lastOffset();
    this.nextOffset = last === undefined ? active.baseOffset : last + 1;
    this.durableEnd = this.nextOffset;
    this.visibleEnd = this.nextOffset;
  }

  /**
   * Opens the partition directory (creating a first segment if there is none). A torn segment is
   * truncated and every later segment deleted: nothing after a torn frame was ever acknowledged.
   */
  static async open(dir: string, segmentBytes: number, onTxnId: (txnId: number) => void): Promise<PartitionLog> {
    const names = (await fs.readdir(dir)).sort();
    for (const n of names) if (n.endsWith('.compacting')) await fs.rm(path.join(dir, n), { force: true });
    const files = names.filter((n) => /^\d{20}\.log$/.test(n));
    const segments: Segment[] = [];
    for (let i = 0; i < files.length; i++) {
      const file = files[i]!;
      const { segment, truncated } = await Segment.open(path.join(dir, file), Number(file.slice(0, 20)), onTxnId);
      segments.push(segment);
      if (truncated) {
        for (const later of files.slice(i + 1)) await fs.rm(path.join(dir, later), { force: true });
        await fsyncDir(dir);
        break;
      }
    }
    if (segments.length === 0) {
      const s = Segment.create(path.join(dir, segmentFileName(0)), 0);
      await s.handle();
      await fsyncDir(dir);
      segments.push(s);
    }
    return new PartitionLog(dir, segmentBytes, segments);
  }

  /**
   * Assigns offsets to `records` (in order) and queues their frames for the flusher. Synchronous, so
   * concurrent appends get offsets in call order. Rolls to a new segment when the active one is full.
   */
  assign(records: readonly ProduceRecord[], txnId: number, now: number): number[] {
    if (txnId !== 0 && !this.openTxns.has(txnId) && records.length > 0) this.openTxns.set(txnId, this.nextOffset);
    const offsets = new Array<number>(records.length);
    let seg = this.segments[this.segments.length - 1]!;
    let chunkStart = 0;
    let chunkBytes = 0;
    const lengths = new Array<number>(records.length);
    const cuts: { segment: Segment; start: number; end: number; bytes: number }[] = [];
    for (let i = 0; i < records.length; i++) {
      const len = frameLength(records[i]!);
      lengths[i] = len;
      if (seg.size > 0 && seg.size + len > this.segmentBytes) {
        if (i > chunkStart) cuts.push({ segment: seg, start: chunkStart, end: i, bytes: chunkBytes });
        seg = Segment.create(path.join(this.dir, segmentFileName(this.nextOffset)), this.nextOffset);
        this.segments.push(seg);
        chunkStart = i;
        chunkBytes = 0;
      }
      const offset = this.nextOffset++;
      offsets[i] = offset;
      seg.index.push(offset, seg.size);
      seg.size += len;
      chunkBytes += len;
    }
    if (records.length > chunkStart) cuts.push({ segment: seg, start: chunkStart, end: records.length, bytes: chunkBytes });
    for (const cut of cuts) {
      const buf = takeChunk(cut.bytes);
      let pos = 0;
      for (let i = cut.start; i < cut.end; i++) {
        const r = records[i]!;
        pos = writeFrame(buf, pos, r, offsets[i]!, r.timestamp ?? now, txnId);
      }
      this.pending.push({ segment: cut.segment, buf });
    }
    return offsets;
  }

  hasPending(): boolean {
    return this.pending.length > 0;
  }

  /**
   * Writes every queued frame and fsyncs it: fdatasync of each segment file written to, plus an fsync
   * of the partition directory when a segment file was created (so the new file's name is durable).
   * Only then does durableEnd move. Called by the flusher only, never concurrently with itself.
   */
  async flushPending(): Promise<void> {
    const chunks = this.pending;
    const end = this.nextOffset;
    this.pending = [];
    const touched: Segment[] = [];
    let created = false;
    for (let i = 0; i < chunks.length; ) {
      const seg = chunks[i]!.segment;
      const bufs: Buffer[] = [];
      while (i < chunks.length && chunks[i]!.segment === seg) bufs.push(chunks[i++]!.buf);
      const h = await seg.handle();
      created ||= h.created;
      await writeAll(h.fh, bufs);
      // Written: nothing refers to these bytes any more (reads go to the file).
      for (const b of bufs) releaseChunk(b);
      touched.push(seg);
    }
    await Promise.all(touched.map(async (s) => (await s.handle()).fh.datasync()));
    if (created) await fsyncDir(this.dir);
    this.durableEnd = end;
    this.updateVisibility();
  }

  /** The transaction is decided (committed or aborted): it no longer holds back visibility. */
  endTxn(txnId: number): void {
    if (this.openTxns.delete(txnId)) this.updateVisibility();
  }

  private updateVisibility(): void {
    let end = this.durableEnd;
    for (const first of this.openTxns.values()) end = Math.min(end, first);
    if (end <= this.visibleEnd) return;
    this.visibleEnd = end;
    for (const w of this.waiters) if (w.from < end) w.wake();
  }

  startOffset(): number {
    for (const s of this.segments) if (s.index.count > 0) return s.index.offsetAt(0);
    return this.segments[this.segments.length - 1]!.baseOffset;
  }

  /**
   * Visible records with offset >= from, at most maxRecords; records for which `skip(txnId)` is true
   * (aborted transactions) are left out. Keeps reading past a range that was all skipped, so a caller
   * only gets [] when nothing visible is left.
   */
  async read(from: number, maxRecords: number, skip: (txnId: number) => boolean): Promise<LogRecord[]> {
    // Readers (tasks, restores) read on where their last read ended: a read that filled its batch
    // starts the next one at once, so its file read overlaps the processing of this batch instead
    // of leaving the reader idle. Its records were visible when read, and visibility only grows
    // (records below visibleEnd belong to decided transactions), so it is a valid read later too.
    // Kept per start offset, so readers of one partition at different positions keep theirs. The
    // cost: a reader holds up to two reads (MAX_READ_BYTES each) instead of one.
    const ahead = this.ahead.get(from);
    let out: LogRecord[] | undefined;
    if (ahead !== undefined) {
      this.ahead.delete(from);
      // A failed read ahead is read again (a real failure then surfaces from that read).
      if (ahead.max === maxRecords) out = await ahead.result.catch(() => undefined);
      // Nothing was visible then: read again, more may be now.
      if (out?.length === 0) out = undefined;
    }
    out ??= await this.readNow(from, maxRecords, skip);
    if (out.length === maxRecords) {
      const next = out[out.length - 1]!.offset + 1;
      if (!this.ahead.has(next)) {
        const result = this.readNow(next, maxRecords, skip);
        // A failure (the log closing) surfaces only if a reader awaits this read.
        result.catch(() => {});
        this.ahead.set(next, { max: maxRecords, result });
        // A reader that stopped leaves its read behind: keep only the most recent few.
        if (this.ahead.size > MAX_READS_AHEAD) this.ahead.delete(this.ahead.keys().next().value!);
      }
    }
    return out;
  }

  private async readNow(from: number, maxRecords: number, skip: (txnId: number) => boolean): Promise<LogRecord[]> {
    const out: LogRecord[] = [];
    let at = from;
    while (out.length < maxRecords && at < this.visibleEnd) {
      const segIdx = this.segmentFor(at);
      if (segIdx < 0) break;
      const seg = this.segments[segIdx]!;
      const limit = this.visibleEnd;
      const first = seg.index.seek(at);
      let last = Math.min(first + (maxRecords - out.length), seg.index.seek(limit));
      if (first >= last) {
        // Nothing visible in this segment at/after `at`: move to the next one.
        const next = this.segments[segIdx + 1];
        if (!next || next.baseOffset >= limit) break;
        at = Math.max(at, next.baseOffset);
        continue;
      }
      const start = seg.positionOf(first);
      while (last - first > 1 && seg.positionOf(last) - start > MAX_READ_BYTES) last = first + ((last - first) >> 1);
      seg.acquire();
      let buf: Buffer;
      try {
        buf = await seg.readBytes(start, seg.positionOf(last));
      } finally {
        await seg.release();
      }
      for (let i = first; i < last; i++) {
        const pos = seg.positionOf(i) - start;
        const txnId = frameTxnId(buf, pos);
        // Aborted records are skipped before they are decoded.
        if (txnId === 0 || !skip(txnId)) out.push(decodeRecord(buf, pos));
      }
      at = seg.index.offsetAt(last - 1) + 1;
    }
    return out;
  }

  /** Index of the segment holding `offset` (the last one with baseOffset <= offset), or 0 when before all. */
  private segmentFor(offset: number): number {
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.segments[mid]!.baseOffset <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Resolves when a record at or beyond `from` is visible, after `timeoutMs`, or on wakeAll(). */
  waitForData(from: number, timeoutMs: number): Promise<void> {
    if (this.visibleEnd > from) return Promise.resolve();
    return new Promise((resolve) => {
      const w: DataWaiter = {
        from,
        wake: () => {
          clearTimeout(timer);
          this.waiters.delete(w);
          resolve();
        },
      };
      const timer = setTimeout(w.wake, Math.max(0, timeoutMs));
      this.waiters.add(w);
    });
  }

  /** Wakes every waiter (close, topic deletion). */
  wakeAll(): void {
    for (const w of [...this.waiters]) w.wake();
  }

  async close(): Promise<void> {
    this.wakeAll();
    for (const s of this.segments) await s.retire();
  }
}

async function writeAll(fh: fs.FileHandle, bufs: Buffer[]): Promise<void> {
  let rest = bufs;
  while (rest.length > 0) {
    const { bytesWritten } = await fh.writev(rest);
    let n = bytesWritten;
    let i = 0;
    while (i < rest.length && n >= rest[i]!.length) n -= rest[i++]!.length;
    rest = rest.slice(i);
    if (n > 0) rest[0] = rest[0]!.subarray(n);
  }
}

export async function fsyncDir(dir: string): Promise<void> {
  const fh = await fs.open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
