// One append-only segment file of a partition: frames from `baseOffset` on, plus its offset index.
// Scans (and truncates a torn tail) on open; the file of a new segment is created lazily by the
// writer, so rolling can happen synchronously while offsets are assigned.
import fs from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { checkFrame, frameOffset, frameTxnId } from './record-codec.ts';
import { OffsetIndex } from './offset-index.ts';

export function segmentFileName(baseOffset: number): string {
  return `${String(baseOffset).padStart(20, '0')}.log`;
}

export interface SegmentScan {
  readonly segment: Segment;
  /** True when a torn or corrupt tail was cut off (later segments must then be dropped too). */
  readonly truncated: boolean;
}

export class Segment {
  readonly baseOffset: number;
  readonly path: string;
  readonly index: OffsetIndex;
  /** Bytes assigned to this segment, including frames not yet written by the flusher. */
  size: number;
  private fh: FileHandle | null;
  private refs = 0;
  private retired = false;

  constructor(path: string, baseOffset: number, fh: FileHandle | null, index: OffsetIndex, size: number) {
    this.path = path;
    this.baseOffset = baseOffset;
    this.fh = fh;
    this.index = index;
    this.size = size;
  }

  /** Opens an existing segment file, indexes every valid frame and truncates (with fsync) after the last. */
  static async open(path: string, baseOffset: number, onTxnId: (txnId: number) => void): Promise<SegmentScan> {
    const fh = await fs.open(path, 'a+');
    const buf = await fh.readFile();
    const index = new OffsetIndex();
    let pos = 0;
    let last = baseOffset - 1;
    while (pos < buf.length) {
      const check = checkFrame(buf, pos, buf.length);
      if (!check.ok) break;
      const offset = frameOffset(buf, pos);
      if (offset <= last) break; // offsets only ascend: anything else is garbage
      const txnId = frameTxnId(buf, pos);
      if (txnId !== 0) onTxnId(txnId);
      index.push(offset, pos);
      last = offset;
      pos = check.end;
    }
    const truncated = pos < buf.length;
    if (truncated) {
      // The tail was never acknowledged (acks follow fsync of whole frames): cut it off durably.
      await fh.truncate(pos);
      await fh.datasync();
    }
    return { segment: new Segment(path, baseOffset, fh, index, pos), truncated };
  }

  /** A new, empty segment whose file is created by `handle()` on first write. */
  static create(path: string, baseOffset: number): Segment {
    return new Segment(path, baseOffset, null, new OffsetIndex(), 0);
  }

  /** The file handle, creating the file if needed; `created` tells the caller to fsync the directory. */
  async handle(): Promise<{ fh: FileHandle; created: boolean }> {
    if (this.fh) return { fh: this.fh, created: false };
    this.fh = await fs.open(this.path, 'a+');
    return { fh: this.fh, created: true };
  }

  /** The offset after the last record of this segment, or undefined when it has none. */
  lastOffset(): number | undefined {
    const n = this.index.count;
    return n === 0 ? undefined : this.index.offsetAt(n - 1);
  }

  /** Byte position where entry `i` starts (the segment size for i == count). */
  positionOf(i: number): number {
    return i < this.index.count ? this.index.positionAt(i) : this.size;
  }

  async readBytes(start: number, end: number): Promise<Buffer> {
    if (!this.fh) throw new Error(`segment ${this.path} has no file yet`);
    const buf = Buffer.allocUnsafe(end - start);
    let done = 0;
    while (done < buf.length) {
      const { bytesRead } = await this.fh.read(buf, done, buf.length - done, start + done);
      if (bytesRead === 0) throw new Error(`segment ${this.path}: unexpected end of file at ${start + done}`);
      done += bytesRead;
    }
    return buf;
  }

  /** Readers hold a reference so a segment replaced by compaction (or deleted) closes only after them. */
  acquire(): void {
    this.refs++;
  }

  async release(): Promise<void> {
    this.refs--;
    if (this.retired && this.refs === 0) await this.closeFile();
  }

  /** No new readers will come; close the file once the current ones are done. */
  async retire(): Promise<void> {
    this.retired = true;
    if (this.refs === 0) await this.closeFile();
  }

  private async closeFile(): Promise<void> {
    const fh = this.fh;
    this.fh = null;
    if (fh) await fh.close();
  }
}
