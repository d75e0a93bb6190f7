// The control journal: the single source of truth for transaction outcomes and consumer-group
// offsets of the embedded log, as one append-only file of length+CRC32-framed JSON entries.
//
// Guarantees: an entry is applied to the in-memory state (and its promise resolves) only after it
// is written and fsynced; concurrent entries share one fsync (group commit). A transaction is
// committed iff its commit entry is durable - the entry carries the transaction's group offsets,
// so records and offsets commit together. A torn tail is truncated on open. `rewrite` replaces the
// file by a snapshot (write temp file, fsync, rename, fsync directory), so it never grows unbounded.
import fs from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { fsyncDir } from './partition-log.ts';

export type GroupOffsets = Record<string, Record<string, number>>;

type Entry =
  | {
      t: 'snapshot';
      /** Every txn id below this was decided: committed unless listed in `aborted`. */
      decidedBelow: number;
      nextTxnId: number;
      /** Committed ids >= decidedBelow. */
      committed: number[];
      aborted: number[];
      groups: GroupOffsets;
    }
  | { t: 'offsets'; groups: GroupOffsets }
  | { t: 'commit'; txn: number; groups: GroupOffsets }
  | { t: 'abort'; txn: number };

const FILE = 'control.journal';
/** Rewrite the journal once it passes this size (default). */
const REWRITE_BYTES = 4 * 1024 * 1024;

export class ControlJournal {
  private readonly dir: string;
  private readonly rewriteBytes: number;
  private fh: fs.FileHandle;
  private size: number;
  readonly groups = new Map<string, Map<string, number>>();
  /** Ids of transactions known aborted; readers skip their records. */
  readonly aborted = new Set<number>();
  private readonly committed = new Set<number>();
  private decidedBelow = 1;
  private nextTxnId = 1;
  /** Txn ids handed out whose outcome is not yet durable. */
  private readonly inFlight = new Set<number>();
  private queue: { entry: Entry | null; resolve: () => void; reject: (e: unknown) => void }[] = [];
  /** True while drain() runs; cleared synchronously when its loop ends (see drain). */
  private active = false;
  private draining: Promise<void> = Promise.resolve();
  /** Set after a failed write: the journal (and the log) is fail-stop from then on. */
  failure: unknown = undefined;

  private constructor(dir: string, fh: fs.FileHandle, size: number, rewriteBytes: number) {
    this.dir = dir;
    this.rewriteBytes = rewriteBytes;
    this.fh = fh;
    this.size = size;
  }

  static async open(dir: string, rewriteBytes = REWRITE_BYTES): Promise<ControlJournal> {
    const file = path.join(dir, FILE);
    await fs.rm(`${file}.tmp`, { force: true });
    const fh = await fs.open(file, 'a+');
    const buf = await fh.readFile();
    const j = new ControlJournal(dir, fh, 0, rewriteBytes);
    let pos = 0;
    while (pos + 8 <= buf.length) {
      const len = buf.readUInt32LE(pos);
      const end = pos + 8 + len;
      if (end > buf.length || crc32(buf.subarray(pos + 8, end)) !== buf.readUInt32LE(pos + 4)) break;
      j.apply(JSON.parse(buf.toString('utf8', pos + 8, end)) as Entry);
      pos = end;
    }
    if (pos < buf.length) {
      await fh.truncate(pos);
      await fh.datasync();
    }
    j.size = pos;
    return j;
  }

  /** Committed unless known aborted or not yet decided. */
  isCommitted(txnId: number): boolean {
    if (this.aborted.has(txnId)) return false;
    return txnId < this.decidedBelow || this.committed.has(txnId);
  }

  /** Makes sure new ids are above every id already used on disk. */
  reserveAbove(txnId: number): void {
    this.nextTxnId = Math.max(this.nextTxnId, txnId + 1);
  }

  allocateTxnId(): number {
    const id = this.nextTxnId++;
    this.inFlight.add(id);
    return id;
  }

  /** After open: marks transactions found on disk without a commit entry as aborted, durably. */
  async abortUndecided(txnIds: Iterable<number>): Promise<void> {
    for (const id of txnIds) if (!this.isCommitted(id)) this.aborted.add(id);
    await this.enqueue(null);
  }

  commitOffsets(groups: GroupOffsets): Promise<void> {
    return this.enqueue({ t: 'offsets', groups });
  }

  async commitTxn(txnId: number, groups: GroupOffsets): Promise<void> {
    await this.enqueue({ t: 'commit', txn: txnId, groups });
  }

  /** Records an abort; the in-memory state changes at once so readers skip the records. */
  async abortTxn(txnId: number): Promise<void> {
    this.aborted.add(txnId);
    this.inFlight.delete(txnId);
    await this.enqueue({ t: 'abort', txn: txnId });
  }

  async close(): Promise<void> {
    while (this.active) await this.draining;
    await this.fh.close();
  }

  private apply(e: Entry): void {
    switch (e.t) {
      case 'snapshot':
        this.decidedBelow = e.decidedBelow;
        this.nextTxnId = Math.max(this.nextTxnId, e.nextTxnId);
        this.committed.clear();
        for (const id of e.committed) this.committed.add(id);
        for (const id of e.aborted) this.aborted.add(id);
        this.groups.clear();
        this.mergeGroups(e.groups);
        break;
      case 'offsets':
        this.mergeGroups(e.groups);
        break;
      case 'commit':
        this.committed.add(e.txn);
        this.inFlight.delete(e.txn);
        this.reserveAbove(e.txn);
        this.mergeGroups(e.groups);
        break;
      case 'abort':
        this.aborted.add(e.txn);
        this.inFlight.delete(e.txn);
        this.reserveAbove(e.txn);
        break;
    }
  }

  private mergeGroups(groups: GroupOffsets): void {
    for (const [group, offsets] of Object.entries(groups)) {
      let m = this.groups.get(group);
      if (!m) this.groups.set(group, (m = new Map()));
      for (const [k, v] of Object.entries(offsets)) m.set(k, v);
    }
  }

  private snapshot(): Entry {
    let decidedBelow = this.nextTxnId;
    for (const id of this.inFlight) decidedBelow = Math.min(decidedBelow, id);
    const groups: GroupOffsets = {};
    for (const [g, m] of this.groups) groups[g] = Object.fromEntries(m);
    return {
      t: 'snapshot',
      decidedBelow,
      nextTxnId: this.nextTxnId,
      committed: [...this.committed].filter((id) => id >= decidedBelow),
      aborted: [...this.aborted],
      groups,
    };
  }

  /** `null` asks for a snapshot rewrite. */
  private enqueue(entry: Entry | null): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure as Error);
    return new Promise((resolve, reject) => {
      this.queue.push({ entry, resolve, reject });
      if (!this.active) {
        this.active = true;
        this.draining = this.drain();
      }
    });
  }

  /** Group commit: every queued entry is written with one write and one fdatasync. */
  private async drain(): Promise<void> {
    try {
      await this.drainQueue();
    } finally {
      this.active = false;
    }
  }

  private async drainQueue(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      const entries = batch.flatMap((b) => (b.entry ? [b.entry] : []));
      try {
        if (entries.length > 0) {
          const buf = Buffer.concat(entries.map(frame));
          await this.fh.write(buf);
          await this.fh.datasync();
          this.size += buf.length;
          for (const e of entries) this.apply(e);
        }
        if (entries.length < batch.length || this.size > this.rewriteBytes) await this.rewrite();
      } catch (e) {
        this.failure = e;
        for (const b of [...batch, ...this.queue]) b.reject(e);
        this.queue = [];
        return;
      }
      for (const b of batch) b.resolve();
    }
  }

  private async rewrite(): Promise<void> {
    const file = path.join(this.dir, FILE);
    const tmp = `${file}.tmp`;
    const snap = frame(this.snapshot());
    const out = await fs.open(tmp, 'w');
    try {
      await out.write(snap);
      await out.datasync();
    } finally {
      await out.close();
    }
    await fs.rename(tmp, file);
    await fsyncDir(this.dir);
    await this.fh.close();
    this.fh = await fs.open(file, 'a+');
    this.size = snap.length;
    this.apply(JSON.parse(snap.toString('utf8', 8)) as Entry);
  }
}

function frame(e: Entry): Buffer {
  const body = Buffer.from(JSON.stringify(e));
  const b = Buffer.allocUnsafe(8 + body.length);
  b.writeUInt32LE(body.length, 0);
  b.writeUInt32LE(crc32(body), 4);
  body.copy(b, 8);
  return b;
}
