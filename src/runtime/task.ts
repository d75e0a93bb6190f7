// A task: one sub-topology of one query over one input partition (or, for transient queries, all
// partitions). It reads its inputs in order, pushes records through its operators, and commits
// outputs, changelog writes and input offsets in one log transaction (exactly-once), then writes
// the store batch with its changelog position so a restart replays only the changelog tail.
// Commits can be pipelined (beginCommit): one is written while the next records are processed.

import type { Log, LogRecord, ProduceRecord } from '../log/log.ts';
import { topicPartitionKey } from '../log/log.ts';
import type { InternalCodec } from '../serde/internal-codec.ts';
import type { StateStoreFactory } from '../state/state-store.ts';
import type { Change, Emit } from './change.ts';
import type { OperatorContext, OutputRecord } from './operator-context.ts';
import { partitionForKey } from './partitioner.ts';
import { TaskStore, type DirtyEntry } from './task-store.ts';
import { instantiate, peekRepartitionSequence, type SubTopology } from './topology.ts';

export interface TaskInput {
  readonly topic: string;
  readonly partition: number;
  /** Repartition topics carry their origin sequence in the value. */
  readonly repartition: boolean;
}

export interface ProcessingErrorSink {
  (entry: { type: string; message: string; queryId: string; topic?: string; partition?: number; offset?: number }): void;
}

export interface TaskOptions {
  readonly id: string;
  readonly queryId: string;
  readonly sub: SubTopology;
  /** The partition of stores and changelogs; inputs are listed explicitly. */
  readonly partition: number;
  readonly inputs: readonly TaskInput[];
  readonly log: Log;
  readonly stores: StateStoreFactory;
  /** Consumer group whose committed offsets say where inputs resume; undefined = transient. */
  readonly group: string | undefined;
  /** Internal topic name of a store's changelog; undefined = no changelog (transient). */
  readonly changelogTopic: ((store: string) => string) | undefined;
  readonly partitionsOf: (topic: string) => number;
  /** Partitions of changelog topics this task creates when missing. */
  readonly changelogPartitions?: number;
  readonly sequenceOf: (topic: string, partition: number, offset: number) => number | undefined;
  readonly processingError: ProcessingErrorSink;
  readonly repartition: boolean;
  readonly output?: Emit;
  /** Where to start reading when no offset was committed: 'earliest' or 'latest'. */
  readonly startFrom: 'earliest' | 'latest';
  /** Record cache for table changes in bytes (0 = off). */
  readonly cacheMaxBytes?: number;
  /** A record whose timestamp column cannot be read fails the task instead of being skipped. */
  readonly throwOnInvalidTimestamp?: boolean;
}

/** What one commit carries, taken at one instant (Task.#snapshot). */
interface CommitSnapshot {
  readonly group: string;
  readonly outputs: ReadonlyMap<string, ProduceRecord[]>;
  readonly changelogs: readonly { store: TaskStore<unknown>; entries: DirtyEntry[] }[];
  readonly positions: ReadonlyMap<string, number>;
}

interface InputState {
  readonly input: TaskInput;
  position: number;
  buffer: LogRecord[];
  cursor: number;
  exhausted: boolean;
}

export class Task {
  readonly id: string;
  readonly sub: SubTopology;
  readonly #o: TaskOptions;
  readonly #inputs: InputState[];
  #handlers!: ReadonlyMap<string, (rec: LogRecord, partition: number) => void>;
  readonly #stores = new Map<string, TaskStore<unknown>>();
  /** Records to write at the next commit, per topic, already partitioned. */
  #outputs = new Map<string, ProduceRecord[]>();
  #outputCount = 0;
  #currentSeq: number | undefined;
  #positionsDirty = false;
  #roundRobin = 0;
  #beforeCommit: (() => void)[] = [];
  /** The commit started by beginCommit and not yet awaited. */
  #inFlight: Promise<void> | undefined;
  #committing = false;

  constructor(options: TaskOptions) {
    this.id = options.id;
    this.sub = options.sub;
    this.#o = options;
    this.#inputs = options.inputs.map((input) => ({ input, position: 0, buffer: [], cursor: 0, exhausted: false }));
  }

  /** Opens stores, replays changelog tails, and positions inputs at their committed offsets. */
  async init(): Promise<void> {
    await this.#openStores(true);
    await this.#startProcessing();
  }

  /**
   * Standby to active keeping its open stores, so they stay readable by pull queries throughout:
   * replays the changelog tail, then positions inputs at their committed offsets.
   */
  async promote(): Promise<void> {
    for (const store of this.#stores.values()) if (store.changelogTopic) await this.#restore(store);
    await this.#startProcessing();
  }

  async #startProcessing(): Promise<void> {
    for (const s of this.#inputs) {
      s.buffer = [];
      s.cursor = 0;
    }
    this.#beforeCommit = [];
    this.#handlers = instantiate(this.#o.sub, this.#context(), this.#o.repartition, this.#o.output).handlers;
    // Take over the transactional id first: a crashed previous owner's open transaction is aborted
    // now instead of at its timeout, so its pending offsets do not stall the (stable) read below.
    if (this.#o.group) await (await this.#o.log.beginTransaction(this.#transactionalId)).abort();
    const committed = this.#o.group ? await this.#o.log.committedOffsets(this.#o.group) : new Map<string, number>();
    for (const s of this.#inputs) {
      const c = committed.get(topicPartitionKey(s.input.topic, s.input.partition));
      if (c !== undefined) s.position = c;
      else s.position = this.#o.startFrom === 'latest' && !s.input.repartition
        ? await this.#o.log.endOffset(s.input.topic, s.input.partition)
        : await this.#o.log.startOffset(s.input.topic, s.input.partition);
    }
  }

  /**
   * Standby replica: opens this task's stores and replays their changelogs, running no
   * operators. Promoting it later (close, then `init` as an active) reuses the stores, so only
   * the changelog tail is replayed.
   */
  async initStandby(): Promise<void> {
    // No restore here: replayStandby catches up in bounded steps, so a new standby never holds up
    // the assignment (promotions) or the processing of the active tasks next to it.
    await this.#openStores(false);
  }

  /** Standby: applies up to `max` records the changelogs gained since the last call; returns records applied. */
  async replayStandby(max = 20_000): Promise<number> {
    let n = 0;
    for (const store of this.#stores.values()) n += await this.#restore(store, max - n);
    return n;
  }

  /** Per store: the changelog position the store reflects and the changelog's end (lag = end - position). */
  async storeLags(): Promise<{ store: string; changelogTopic: string; partition: number; position: number; end: number }[]> {
    const out = [];
    for (const s of this.#stores.values()) {
      if (!s.changelogTopic) continue;
      out.push({
        store: s.name, changelogTopic: s.changelogTopic, partition: this.#o.partition,
        position: s.changelogPosition(), end: await this.#o.log.endOffset(s.changelogTopic, this.#o.partition),
      });
    }
    return out;
  }

  /** Per input: the next offset to process and the input's end (an active's input lag). */
  async inputLags(): Promise<{ topic: string; partition: number; position: number; end: number }[]> {
    const out = [];
    for (const s of this.#inputs) {
      out.push({ topic: s.input.topic, partition: s.input.partition, position: s.position, end: await this.#o.log.endOffset(s.input.topic, s.input.partition) });
    }
    return out;
  }

  get #transactionalId(): string {
    return `${this.#o.queryId}-${this.id}`;
  }

  async #openStores(restore: boolean): Promise<void> {
    // A dry run of the operators tells which stores they use, so they can be opened first.
    const wanted = new Map<string, InternalCodec<unknown>>();
    instantiate(this.#o.sub, this.#recordingContext(wanted), this.#o.repartition, this.#o.output);
    for (const [name, codec] of wanted) {
      const storeId = `${this.#o.queryId}.${name}.${this.#o.partition}`;
      const changelog = this.#o.changelogTopic?.(name) ?? '';
      // Registered as soon as it is open, so a later failure (log unavailable) still closes it.
      const ts = new TaskStore<unknown>(name, changelog, await this.#o.stores.open(storeId), codec);
      this.#stores.set(name, ts);
      if (changelog && !(await this.#o.log.describeTopic(changelog))) {
        try {
          await this.#o.log.createTopic(changelog, { partitions: this.#o.changelogPartitions ?? this.#o.partition + 1, cleanupPolicy: 'compact' });
        } catch (e) {
          if (!(await this.#o.log.describeTopic(changelog))) throw e;
        }
      }
      if (changelog && restore) await this.#restore(ts);
    }
  }

  /** Applies the changelog from the store's position to the current end; returns records applied. */
  async #restore(store: TaskStore<unknown>, max = Number.POSITIVE_INFINITY): Promise<number> {
    const topic = store.changelogTopic;
    let pos = store.changelogPosition();
    const end = await this.#o.log.endOffset(topic, this.#o.partition);
    let n = 0;
    while (pos < end && n < max) {
      const recs = await this.#o.log.read(topic, this.#o.partition, pos, 5000);
      if (recs.length === 0) {
        // Only gaps remain (Kafka transaction markers, compacted records): the store is current.
        await store.applyChangelog([], end);
        break;
      }
      const entries: DirtyEntry[] = recs.filter((r) => r.key !== null).map((r) => ({ key: r.key!, value: r.value }));
      pos = recs[recs.length - 1]!.offset + 1;
      n += recs.length;
      await store.applyChangelog(entries, pos);
    }
    return n;
  }

  #recordingContext(wanted: Map<string, InternalCodec<unknown>>): OperatorContext {
    return {
      ...this.#context(),
      store: <V>(name: string, codec: InternalCodec<V>): TaskStore<V> => {
        wanted.set(name, codec as InternalCodec<unknown>);
        return new TaskStore<V>(name, '', nullStore, codec);
      },
    };
  }

  #context(): OperatorContext {
    return {
      queryId: this.#o.queryId,
      partition: this.#o.partition,
      store: <V>(name: string): TaskStore<V> => this.#stores.get(name) as TaskStore<V>,
      send: (r) => this.#send(r),
      streamTime: () => 0,
      processingError: (type, message, change?: Change, topic?: string) => {
        this.#o.processingError({
          type, message, queryId: this.#o.queryId,
          ...(topic ? { topic } : {}),
          ...(change ? { partition: change.partition, offset: change.offset } : {}),
        });
      },
      currentSequence: () => this.#currentSeq,
      cacheMaxBytes: this.#o.cacheMaxBytes ?? 0,
      throwOnInvalidTimestamp: this.#o.throwOnInvalidTimestamp ?? false,
      onCommit: (flush) => this.#beforeCommit.push(flush),
    };
  }

  /** Fills empty input buffers from the log; returns true if any input has records. */
  async #fill(): Promise<boolean> {
    let any = false;
    for (const s of this.#inputs) {
      if (s.cursor >= s.buffer.length) {
        s.buffer = await this.#o.log.read(s.input.topic, s.input.partition, s.position, READ_BATCH);
        s.cursor = 0;
      }
      if (s.cursor < s.buffer.length) any = true;
    }
    return any;
  }

  #orderKey(s: InputState, rec: LogRecord): number | undefined {
    return s.input.repartition ? peekRepartitionSequence(rec.value) : this.#o.sequenceOf(s.input.topic, s.input.partition, rec.offset);
  }

  /** Picks the input whose head record came first (arrival order when known, else timestamp). */
  #next(): InputState | undefined {
    if (this.#inputs.length === 1) {
      // The common case, taken for every record: no merge, no allocation.
      const only = this.#inputs[0]!;
      return only.cursor < only.buffer.length ? only : undefined;
    }
    let best: InputState | undefined;
    let bestSeq: number | undefined;
    let bestTs = Infinity;
    let allSeq = true;
    const candidates = this.#inputs.filter((s) => s.cursor < s.buffer.length);
    if (candidates.length <= 1) return candidates[0];
    for (const s of candidates) if (this.#orderKey(s, s.buffer[s.cursor]!) === undefined) allSeq = false;
    for (const s of candidates) {
      const rec = s.buffer[s.cursor]!;
      if (allSeq) {
        const seq = this.#orderKey(s, rec)!;
        if (bestSeq === undefined || seq < bestSeq) { best = s; bestSeq = seq; }
      } else if (rec.timestamp < bestTs) {
        best = s;
        bestTs = rec.timestamp;
      }
    }
    return best;
  }

  /**
   * The arrival order of the record this task would process next (undefined when it has none
   * or the order is unknown); lets a runner interleave the tasks of one sub-topology exactly.
   */
  async peekOrder(): Promise<{ seq: number | undefined; timestamp: number } | undefined> {
    await this.#fill();
    const s = this.#next();
    if (!s) return undefined;
    const rec = s.buffer[s.cursor]!;
    return { seq: this.#orderKey(s, rec), timestamp: rec.timestamp };
  }

  /** Processes up to `max` records; returns how many were processed. */
  async process(max: number): Promise<number> {
    let n = 0;
    // The handler of the last input taken: most batches come from one input, so no map lookup.
    let lastTopic: string | undefined;
    let lastHandler: ((rec: LogRecord, partition: number) => void) | undefined;
    while (n < max) {
      if (!(await this.#fill())) break;
      while (n < max) {
        const s = this.#next();
        if (!s) break;
        const rec = s.buffer[s.cursor++]!;
        s.position = rec.offset + 1;
        this.#positionsDirty = true;
        this.#currentSeq = this.#orderKey(s, rec);
        const handler = s.input.topic === lastTopic ? lastHandler : this.#handlers.get(s.input.topic);
        lastTopic = s.input.topic;
        lastHandler = handler;
        if (handler) handler(rec, s.input.partition);
        n++;
        // Refill an emptied input before choosing again, so the merge order stays exact.
        if (s.cursor >= s.buffer.length) break;
      }
    }
    return n;
  }

  /** Partitions an output record now (Kafka's default partitioner) and keeps it for the commit. */
  #send(r: OutputRecord): void {
    const n = this.#o.partitionsOf(r.topic);
    const partition = r.partition ?? (r.key === null ? this.#o.partition % n : partitionForKey(r.partitionKey ?? r.key, n));
    let list = this.#outputs.get(r.topic);
    if (!list) this.#outputs.set(r.topic, (list = []));
    list.push({ partition, key: r.key, value: r.value, timestamp: r.timestamp, headers: r.headers });
    this.#outputCount++;
  }

  /** Output records waiting for the next commit. */
  pendingOutputs(): number {
    return this.#outputCount;
  }

  /** Runs the pre-commit hooks (cache flushes) so their records join the next commit. */
  flush(): void {
    for (const f of this.#beforeCommit) f();
  }

  hasPendingOutput(): boolean {
    return this.#outputCount > 0 || this.#positionsDirty || [...this.#stores.values()].some((s) => s.hasDirty());
  }

  /**
   * Commits outputs, changelog writes and input positions atomically, then persists stores; resolves
   * when all of it (and any commit started before) is done.
   */
  async commit(): Promise<void> {
    await this.beginCommit();
    await this.awaitCommit();
  }

  /**
   * Pipelined commit: waits for the previous commit, then snapshots everything processed so far
   * and starts committing it without waiting, so the caller can process the next batch meanwhile.
   * Its outcome comes from the next `beginCommit`, `awaitCommit`, `commit` (a failure is rethrown
   * there, and nothing processed since is committed) or `close`.
   */
  async beginCommit(): Promise<void> {
    // A loop, so that with two callers the second waits for the commit the first started.
    while (this.#inFlight) await this.awaitCommit();
    const snapshot = this.#snapshot();
    if (!snapshot) return;
    const running = this.#write(snapshot);
    this.#committing = true;
    // The failure is rethrown by awaitCommit; this only keeps it from counting as unhandled.
    running.catch(() => {}).finally(() => {
      if (this.#inFlight === running) this.#committing = false;
    });
    this.#inFlight = running;
  }

  /** True while a commit started by beginCommit is still being written. */
  get committing(): boolean {
    return this.#committing;
  }

  /** Waits for the commit in flight, if any; rethrows its failure once. */
  async awaitCommit(): Promise<void> {
    const running = this.#inFlight;
    if (!running) return;
    try {
      await running;
    } finally {
      if (this.#inFlight === running) this.#inFlight = undefined;
    }
  }

  /**
   * Takes, synchronously, everything the next commit carries: outputs, dirty store entries and
   * the input positions they reflect (processing may go on while the commit is written).
   */
  #snapshot(): CommitSnapshot | undefined {
    this.flush();
    if (!this.#o.group) {
      this.#outputs = new Map();
      this.#outputCount = 0;
      return undefined;
    }
    if (!this.hasPendingOutput()) return undefined;
    const outputs = this.#outputs;
    this.#outputs = new Map();
    this.#outputCount = 0;
    const changelogs: { store: TaskStore<unknown>; entries: DirtyEntry[] }[] = [];
    for (const store of this.#stores.values()) {
      const entries = store.takeDirty();
      if (entries.length > 0) changelogs.push({ store, entries });
    }
    const positions = new Map<string, number>();
    for (const s of this.#inputs) positions.set(topicPartitionKey(s.input.topic, s.input.partition), s.position);
    this.#positionsDirty = false;
    return { group: this.#o.group, outputs, changelogs, positions };
  }

  /**
   * One log transaction (outputs, changelog writes, positions); only after it commits, each store
   * batch with the changelog offset it reflects (ARCHITECTURE.md, "Exactly-once per task").
   */
  async #write(c: CommitSnapshot): Promise<void> {
    const txn = await this.#o.log.beginTransaction(this.#transactionalId);
    for (const [topic, records] of c.outputs) txn.append(topic, records);
    for (const d of c.changelogs) {
      txn.append(d.store.changelogTopic, d.entries.map((e) => ({ partition: this.#o.partition, key: e.key, value: e.value })));
    }
    txn.commitOffsets(c.group, c.positions);
    const written = await txn.commit();
    const changelogOffsets = written.slice(c.outputs.size);
    for (let i = 0; i < c.changelogs.length; i++) {
      const offs = changelogOffsets[i]!;
      await c.changelogs[i]!.store.persist(c.changelogs[i]!.entries, offs[offs.length - 1]! + 1);
    }
  }

  /** True when every input is read to its current end. */
  async caughtUp(): Promise<boolean> {
    for (const s of this.#inputs) {
      if (s.cursor < s.buffer.length) return false;
      if (s.position < (await this.#o.log.endOffset(s.input.topic, s.input.partition))) return false;
    }
    return true;
  }

  async waitForInput(timeoutMs: number): Promise<void> {
    const s = this.#inputs[this.#roundRobin++ % Math.max(1, this.#inputs.length)];
    if (!s) return;
    await Promise.race(this.#inputs.map((i) => this.#o.log.waitForData(i.input.topic, i.input.partition, i.position, timeoutMs)));
  }

  stores(): ReadonlyMap<string, TaskStore<unknown>> {
    return this.#stores;
  }

  /** Closes the stores once a commit in flight is over (its failure is left to recovery). */
  async close(): Promise<void> {
    await this.awaitCommit().catch(() => {});
    for (const s of this.#stores.values()) await s.close();
    this.#stores.clear();
  }
}

/**
 * Records asked for per read of an input. Each read is a round trip (a file read on the embedded
 * log) during which the task processes nothing, so fewer, larger reads leave less idle time.
 */
const READ_BATCH = 4000;

/** A store that holds nothing: used only while discovering which stores operators need. */
const nullStore = {
  get: () => undefined,
  range: () => [],
  write: async () => undefined,
  changelogPosition: () => 0,
  size: () => 0,
  clear: async () => undefined,
  close: async () => undefined,
};
