// Compaction for cleanup.policy=compact: rewrites the closed segments of a partition keeping, per
// key, only the newest visible record (records with a null key are kept; aborted records dropped).
// Offsets are kept as they are, so compaction leaves gaps and never reuses an offset.
//
// Crash safety: a segment is rewritten into `<file>.compacting`, fdatasync'ed, renamed over the
// original, then the directory is fsynced; a leftover `.compacting` file is deleted on open.
import fs from 'node:fs/promises';
import { checkFrame, decodeFrame, frameEnd } from './record-codec.ts';
import { OffsetIndex } from './offset-index.ts';
import { Segment } from './segment.ts';
import { fsyncDir, type PartitionLog } from './partition-log.ts';

/** One compaction at a time per partition (a forced one may meet a background one). */
const running = new WeakMap<PartitionLog, Promise<unknown>>();

/** Compacts `p`; `aborted(txnId)` tells which transactional records to drop. Returns records removed. */
export function compactPartition(p: PartitionLog, aborted: (txnId: number) => boolean): Promise<number> {
  const previous = running.get(p) ?? Promise.resolve();
  const next = previous.catch(() => {}).then(() => compactNow(p, aborted));
  running.set(p, next);
  return next;
}

async function compactNow(p: PartitionLog, aborted: (txnId: number) => boolean): Promise<number> {
  const limit = p.visibleEnd;
  // Closed segments wholly below the visible end: nothing in them can still change.
  const closed = p.segments.slice(0, -1).filter((s) => (s.lastOffset() ?? -1) < limit);
  if (closed.length === 0) return 0;
  const newest = new Map<string, number>();
  for (let from = 0; from < limit; ) {
    const batch = await p.read(from, 10_000, aborted);
    if (batch.length === 0) break;
    for (const rec of batch) if (rec.key !== null) newest.set(keyString(rec.key), rec.offset);
    from = batch[batch.length - 1]!.offset + 1;
  }
  let removed = 0;
  for (const seg of closed) {
    if (seg.index.count === 0) continue;
    seg.acquire();
    let buf: Buffer;
    try {
      buf = await seg.readBytes(0, seg.size);
    } finally {
      await seg.release();
    }
    const keep: Buffer[] = [];
    const index = new OffsetIndex();
    let size = 0;
    for (let pos = 0; pos < buf.length; pos = frameEnd(buf, pos)) {
      if (!checkFrame(buf, pos, buf.length).ok) throw new Error(`corrupt frame in ${seg.path} at ${pos}`);
      const rec = decodeFrame(buf, pos);
      const key = rec.key === null ? null : keyString(rec.key);
      const dropped = (rec.txnId !== 0 && aborted(rec.txnId)) || (key !== null && newest.get(key) !== rec.offset);
      if (dropped) {
        removed++;
        continue;
      }
      const frame = buf.subarray(pos, frameEnd(buf, pos));
      index.push(rec.offset, size);
      keep.push(frame);
      size += frame.length;
    }
    if (index.count === seg.index.count) continue;
    const tmp = `${seg.path}.compacting`;
    const out = await fs.open(tmp, 'w');
    try {
      await out.write(Buffer.concat(keep));
      await out.datasync();
    } finally {
      await out.close();
    }
    await fs.rename(tmp, seg.path);
    await fsyncDir(p.dir);
    const fresh = new Segment(seg.path, seg.baseOffset, await fs.open(seg.path, 'a+'), index, size);
    p.segments = p.segments.map((s) => (s === seg ? fresh : s));
    await seg.retire();
  }
  return removed;
}

function keyString(key: Uint8Array): string {
  return Buffer.from(key.buffer, key.byteOffset, key.length).toString('latin1');
}
