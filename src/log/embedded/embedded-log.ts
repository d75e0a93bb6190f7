// The embedded Log: topics as segment files under one data directory, for single-node use and tests.
// Durability rule: `append` and transaction `commit` resolve only after fsync (see the protocol on
// each method); acknowledged records survive kill -9; everything unacknowledged may be lost.
//
// What is fsynced when:
// - append: the segment files written (fdatasync), plus the partition directory when a segment file
//   was created - once per group-commit cycle shared by all concurrent appends (group-commit.ts);
// - commitOffsets: the control journal (fdatasync), group-committed (control-journal.ts);
// - transaction commit: its records as for append, then the journal entry that commits it;
// - createTopic/deleteTopic: topic.json and the topic directory, then the topics directory after the
//   rename that publishes/removes it (topic-dir.ts);
// - open: a truncated torn tail (fdatasync), the journal snapshot (file, then directory);
// - compaction: the rewritten segment, then the partition directory after the rename.
import fs from 'node:fs/promises';
import type {
  Log, LogTransaction, LogRecord, ProduceRecord, TopicConfig, TopicDescription,
} from '../log.ts';
import { ControlJournal, type GroupOffsets } from './control-journal.ts';
import { GroupCommit } from './group-commit.ts';
import { PartitionLog } from './partition-log.ts';
import { compactPartition } from './compaction.ts';
import { EmbeddedTransaction, type TransactionCommitter, type TxnAppend } from './embedded-transaction.ts';
import { createTopicDir, deleteTopicDir, listTopicDirs, partitionPath, type TopicMeta } from './topic-dir.ts';
import { acquireDirLock, type DirLock } from './dir-lock.ts';

export interface EmbeddedLogOptions {
  /** A segment rolls once it would pass this many bytes (default 64 MiB). */
  readonly segmentBytes?: number;
  /** The control journal is rewritten as a snapshot once it passes this many bytes (default 4 MiB). */
  readonly journalRewriteBytes?: number;
}

interface Topic {
  readonly meta: TopicMeta;
  readonly dir: string;
  readonly partitions: PartitionLog[];
}

/** Opens (creating if needed) the log in `dataDir`. One process, one open log per directory. */
export async function openEmbeddedLog(dataDir: string, options: EmbeddedLogOptions = {}): Promise<EmbeddedLog> {
  await fs.mkdir(dataDir, { recursive: true });
  const lock = await acquireDirLock(dataDir);
  try {
    const segmentBytes = options.segmentBytes ?? 64 * 1024 * 1024;
    const journal = await ControlJournal.open(dataDir, options.journalRewriteBytes);
    const txnIds = new Set<number>();
    const onTxnId = (id: number): void => {
      txnIds.add(id);
    };
    const topics = new Map<string, Topic>();
    for (const { dir, meta } of await listTopicDirs(dataDir)) {
      const partitions: PartitionLog[] = [];
      for (let p = 0; p < meta.partitions; p++) {
        partitions.push(await PartitionLog.open(partitionPath(dir, p), segmentBytes, onTxnId));
      }
      topics.set(meta.name, { meta, dir, partitions });
    }
    // Transactions whose records are on disk but whose commit entry is not were never acknowledged:
    // they are aborted now, durably, so their records stay invisible forever.
    for (const id of txnIds) journal.reserveAbove(id);
    await journal.abortUndecided(txnIds);
    return new EmbeddedLog(dataDir, segmentBytes, journal, topics, lock);
  } catch (e) {
    await lock.release();
    throw e;
  }
}

export class EmbeddedLog implements Log, TransactionCommitter {
  readonly kind = 'embedded';
  readonly dataDir: string;
  private readonly segmentBytes: number;
  private readonly journal: ControlJournal;
  private readonly topics: Map<string, Topic>;
  private readonly lock: DirLock;
  private readonly flusher = new GroupCommit();
  private readonly transactions = new Map<string, EmbeddedTransaction>();
  private readonly compactions = new Set<Promise<unknown>>();
  private closed = false;

  constructor(dataDir: string, segmentBytes: number, journal: ControlJournal, topics: Map<string, Topic>, lock: DirLock) {
    this.dataDir = dataDir;
    this.segmentBytes = segmentBytes;
    this.journal = journal;
    this.topics = topics;
    this.lock = lock;
  }

  async createTopic(name: string, config: TopicConfig): Promise<void> {
    this.checkUsable();
    if (!name || name === '.' || name === '..') throw new Error(`invalid topic name '${name}'`);
    if (!Number.isInteger(config.partitions) || config.partitions < 1) {
      throw new Error(`topic ${name}: partitions must be a positive integer, got ${config.partitions}`);
    }
    if (this.topics.has(name)) throw new Error(`topic ${name} already exists`);
    const meta: TopicMeta = {
      name,
      partitions: config.partitions,
      replicas: config.replicas ?? 1,
      cleanupPolicy: config.cleanupPolicy ?? 'delete',
      ...(config.retentionMs === undefined ? {} : { retentionMs: config.retentionMs }),
    };
    // Reserve the name before the first await so a concurrent create of the same name fails.
    const placeholder: Topic = { meta, dir: '', partitions: [] };
    this.topics.set(name, placeholder);
    try {
      const dir = await createTopicDir(this.dataDir, meta);
      const partitions: PartitionLog[] = [];
      for (let p = 0; p < meta.partitions; p++) {
        partitions.push(await PartitionLog.open(partitionPath(dir, p), this.segmentBytes, () => {}));
      }
      this.topics.set(name, { meta, dir, partitions });
    } catch (e) {
      this.topics.delete(name);
      throw e;
    }
  }

  async deleteTopic(name: string): Promise<void> {
    this.checkUsable();
    const topic = this.topic(name);
    this.topics.delete(name);
    await this.flusher.idle();
    for (const p of topic.partitions) await p.close();
    await deleteTopicDir(this.dataDir, topic.dir);
  }

  async describeTopic(name: string): Promise<TopicDescription | undefined> {
    this.checkUsable();
    const t = this.topics.get(name);
    return t && t.partitions.length > 0 ? describe(t.meta) : undefined;
  }

  async listTopics(): Promise<TopicDescription[]> {
    this.checkUsable();
    return [...this.topics.values()].filter((t) => t.partitions.length > 0).map((t) => describe(t.meta))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /**
   * Assigns offsets synchronously (call order = offset order), queues the frames, and resolves after
   * the group-commit flush has written and fdatasync'ed them (see PartitionLog.flushPending).
   */
  async append(topic: string, records: readonly ProduceRecord[]): Promise<number[]> {
    this.checkUsable();
    this.checkAppend(topic, records);
    const touched = new Set<PartitionLog>();
    const offsets = this.assign(topic, records, 0, Date.now(), touched);
    if (touched.size > 0) await this.flusher.flush(touched);
    this.scheduleCompaction(topic);
    return offsets;
  }

  async read(topic: string, partition: number, from: number, maxRecords: number): Promise<LogRecord[]> {
    this.checkUsable();
    return this.partition(topic, partition).read(from, maxRecords, this.isAborted);
  }

  async endOffset(topic: string, partition: number): Promise<number> {
    this.checkUsable();
    return this.partition(topic, partition).visibleEnd;
  }

  async startOffset(topic: string, partition: number): Promise<number> {
    this.checkUsable();
    return this.partition(topic, partition).startOffset();
  }

  /** Resolves after the offsets are in the control journal and fsynced. */
  async commitOffsets(group: string, offsets: ReadonlyMap<string, number>): Promise<void> {
    this.checkUsable();
    await this.journal.commitOffsets({ [group]: Object.fromEntries(offsets) });
  }

  async committedOffsets(group: string): Promise<Map<string, number>> {
    this.checkUsable();
    return new Map(this.journal.groups.get(group));
  }

  async waitForData(topic: string, partition: number, from: number, timeoutMs: number): Promise<void> {
    this.checkUsable();
    await this.partition(topic, partition).waitForData(from, timeoutMs);
  }

  async beginTransaction(transactionalId: string): Promise<LogTransaction> {
    this.checkUsable();
    const tx = new EmbeddedTransaction(transactionalId, this);
    const older = this.transactions.get(transactionalId);
    this.transactions.set(transactionalId, tx);
    // Fence the older one; if it is mid-commit, start only once its outcome is decided.
    if (older) await older.fence();
    return tx;
  }

  checkAppend(topic: string, records: readonly ProduceRecord[]): void {
    const t = this.topic(topic);
    for (const r of records) {
      if (!Number.isInteger(r.partition) || r.partition < 0 || r.partition >= t.partitions.length) {
        throw new Error(`topic ${topic} has no partition ${r.partition} (it has ${t.partitions.length})`);
      }
    }
  }

  /**
   * The commit protocol, atomic across partitions and with the group offsets, also across a crash:
   * 1. a fresh txn id is allocated and the records are queued tagged with it; each partition holds
   *    its visible end at the transaction's first offset;
   * 2. the group-commit flush writes and fdatasyncs them;
   * 3. a commit entry (txn id + group offsets) is appended to the control journal and fdatasync'ed:
   *    this is the commit point;
   * 4. the partitions release their visible end and wake waiters.
   * A crash before 3 leaves records whose txn id has no commit entry: open() marks them aborted and
   * readers skip them. Offsets of an aborted transaction are never reused.
   */
  async commitTransaction(appends: readonly TxnAppend[], groups: GroupOffsets): Promise<number[][]> {
    this.checkUsable();
    for (const a of appends) this.checkAppend(a.topic, a.records);
    const hasRecords = appends.some((a) => a.records.length > 0);
    if (!hasRecords) {
      if (Object.keys(groups).length > 0) await this.journal.commitOffsets(groups);
      return appends.map(() => []);
    }
    const txnId = this.journal.allocateTxnId();
    const touched = new Set<PartitionLog>();
    const now = Date.now();
    const result = appends.map((a) => this.assign(a.topic, a.records, txnId, now, touched));
    try {
      await this.flusher.flush(touched);
      await this.journal.commitTxn(txnId, groups);
    } catch (e) {
      // The log is now fail-stop; mark the records aborted in memory so nobody ever reads them.
      this.journal.abortTxn(txnId).catch(() => {});
      throw e;
    } finally {
      for (const p of touched) p.endTxn(txnId);
    }
    for (const a of appends) this.scheduleCompaction(a.topic);
    return result;
  }

  /** Compacts every partition of a compacted topic now (it also runs after segment rolls). */
  async compact(topic: string): Promise<number> {
    this.checkUsable();
    const t = this.topic(topic);
    let removed = 0;
    for (const p of t.partitions) removed += await compactPartition(p, this.isAborted);
    return removed;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.compactions]);
    await this.flusher.idle();
    for (const t of this.topics.values()) for (const p of t.partitions) await p.close();
    await this.journal.close();
    await this.lock.release();
  }

  private readonly isAborted = (txnId: number): boolean => this.journal.aborted.has(txnId);

  private assign(
    topic: string, records: readonly ProduceRecord[], txnId: number, now: number, touched: Set<PartitionLog>,
  ): number[] {
    const parts = this.topic(topic).partitions;
    if (records.length === 0) return [];
    const first = records[0]!.partition;
    if (records.every((r) => r.partition === first)) {
      const p = parts[first]!;
      touched.add(p);
      return p.assign(records, txnId, now);
    }
    const byPartition = new Map<number, number[]>();
    records.forEach((r, i) => {
      const list = byPartition.get(r.partition);
      if (list) list.push(i);
      else byPartition.set(r.partition, [i]);
    });
    const offsets = new Array<number>(records.length);
    for (const [partition, indexes] of byPartition) {
      const p = parts[partition]!;
      touched.add(p);
      const assigned = p.assign(indexes.map((i) => records[i]!), txnId, now);
      indexes.forEach((i, j) => (offsets[i] = assigned[j]!));
    }
    return offsets;
  }

  /** A compacted topic whose active segment rolled gets compacted in the background. */
  private scheduleCompaction(topic: string): void {
    const t = this.topics.get(topic);
    if (!t || t.meta.cleanupPolicy !== 'compact' || this.compactions.size > 0) return;
    if (!t.partitions.some((p) => p.segments.length > 1 && p.segments.length !== p.compactedSegments)) return;
    const run = (async () => {
      for (const p of t.partitions) {
        if (this.closed || this.topics.get(topic) !== t) return;
        if (p.segments.length > 1 && p.segments.length !== p.compactedSegments) {
          await compactPartition(p, this.isAborted);
          p.compactedSegments = p.segments.length;
        }
      }
    })().catch(() => {}).finally(() => this.compactions.delete(run));
    this.compactions.add(run);
  }

  private topic(name: string): Topic {
    const t = this.topics.get(name);
    if (!t || t.partitions.length === 0) throw new Error(`topic ${name} does not exist`);
    return t;
  }

  private partition(topic: string, partition: number): PartitionLog {
    const p = this.topic(topic).partitions[partition];
    if (!p) throw new Error(`topic ${topic} has no partition ${partition}`);
    return p;
  }

  private checkUsable(): void {
    if (this.closed) throw new Error('the log is closed');
    const failure = this.flusher.failure ?? this.journal.failure;
    if (failure !== undefined) throw new Error('the log failed a write and must be reopened', { cause: failure });
  }
}

function describe(meta: TopicMeta): TopicDescription {
  return { name: meta.name, partitions: meta.partitions, replicas: meta.replicas, cleanupPolicy: meta.cleanupPolicy };
}

