// Runs one persistent query: creates its tasks (one per input partition per sub-topology), and
// drives them either on demand (manual scheduling: tests, the conformance runner) or in a
// background loop that processes, commits every interval (pipelined: a commit is written while the
// next records are processed), and sleeps until data arrives.

import type { Log } from '../log/log.ts';
import type { Step } from '../plan/steps.ts';
import type { StateStoreFactory } from '../state/state-store.ts';
import { splitTopology, type SubTopology } from '../runtime/topology.ts';
import { Task, type ProcessingErrorSink } from '../runtime/task.ts';
import { isTransientLogError } from '../log/kafka/errors.ts';

export type TaskRole = 'active' | 'standby' | 'none';

/** One task's role change applied by `assign` (for logs: how long it took, how long it queued). */
export interface RoleChange { readonly taskId: string; readonly from: TaskRole; readonly to: TaskRole; readonly ms: number; readonly waitedMs: number }

export interface QueryRunnerOptions {
  readonly queryId: string;
  readonly sink: Step & { kind: 'Sink' };
  readonly internalTopicPrefix: string;
  readonly log: Log;
  readonly stores: StateStoreFactory;
  readonly sequenceOf: (topic: string, partition: number, offset: number) => number | undefined;
  readonly processingError: ProcessingErrorSink;
  readonly startFrom: 'earliest' | 'latest';
  readonly commitIntervalMs: number;
  /**
   * The role of each task on this server ('active' runs it, 'standby' replays its changelogs,
   * 'none' ignores it); task ids are `<query id>/<sub-topology>_<partition>`. Default: all active.
   */
  readonly roleOf?: (taskId: string) => TaskRole;
  /** Record cache for table changes, in bytes (cache.max.bytes.buffering; 0 = off). */
  readonly cacheMaxBytes: number;
  /** ksql.timestamp.throw.on.invalid: a record whose timestamp column cannot be read fails the query. */
  readonly throwOnInvalidTimestamp?: boolean;
  /** Consumer group id (ksqlDB: `_confluent-ksql-<service id>query_<query id>`). */
  readonly group: string;
}

export class QueryRunner {
  readonly queryId: string;
  readonly #o: QueryRunnerOptions;
  subs: SubTopology[];
  /** False when every input has one partition: re-keying then stays inside the single task. */
  #repartition = true;
  /** Active tasks (processing). */
  #tasks: Task[] = [];
  /** Standby replicas: stores kept current from their changelogs. */
  #standbys: Task[] = [];
  /** Every task of the query, whatever its role here. */
  #all: Task[] = [];
  #roleOf: (taskId: string) => TaskRole;
  #partitions = new Map<string, number>();
  #running = false;
  #loop: Promise<void> | undefined;
  #error: Error | undefined;
  #paused = false;
  /** Serialises role changes with one round of the background loop. */
  #lock: Promise<void> = Promise.resolve();
  /** Assignments queued behind the lock: the loop cuts its round short for them. */
  #assignsWaiting = 0;
  /** Assignments apply one after another (phase 2 of one runs outside the lock). */
  #assignChain: Promise<unknown> = Promise.resolve();
  #standbysFrozen = false;

  constructor(options: QueryRunnerOptions) {
    this.queryId = options.queryId;
    this.#o = options;
    this.subs = splitTopology({ kind: 'Sink', step: options.sink }, true);
    this.#roleOf = options.roleOf ?? (() => 'active');
  }

  taskId(task: Task): string {
    return `${this.queryId}/${task.id}`;
  }

  /** Ids of every task of this query (for assignment). */
  taskIds(): string[] {
    return this.#all.map((t) => this.taskId(t));
  }

  standbyTasks(): readonly Task[] {
    return this.#standbys;
  }

  /**
   * Applies a new assignment: tasks change role with their stores kept (a standby promoted to
   * active replays only its changelog tail; an active demoted to standby keeps its state).
   */
  async assign(roleOf: (taskId: string) => TaskRole): Promise<RoleChange[]> {
    const run = this.#assignChain.then(() => this.#assignInPhases(roleOf));
    this.#assignChain = run.catch(() => {});
    return run;
  }

  /**
   * Phase 1 under the loop's lock (never while the loop is inside a task): tasks leave their roles
   * and actives start. Phase 2 after it, so it never delays a promotion: new standbys open their
   * stores where the loop cannot see them, then join the loop's list.
   */
  async #assignInPhases(roleOf: (taskId: string) => TaskRole): Promise<RoleChange[]> {
    const queued = Date.now();
    this.#assignsWaiting++;
    const phase1 = this.#lock.then(() => {
      this.#assignsWaiting--;
      return this.#assignActives(roleOf, Date.now() - queued);
    });
    this.#lock = phase1.then(() => {}, () => {});
    const { changes, newStandbys } = await phase1;
    const opened: Task[] = [];
    let failure: unknown;
    for (const { task, from } of newStandbys) {
      const started = Date.now();
      try {
        await task.initStandby();
        opened.push(task);
        changes.push({ taskId: this.taskId(task), from, to: 'standby', ms: Date.now() - started, waitedMs: Date.now() - queued });
      } catch (e) {
        failure ??= e;
      }
    }
    // The loop iterates the array it read at the start of a round: replacing it is safe.
    if (opened.length > 0) this.#standbys = [...this.#standbys, ...opened];
    if (failure !== undefined) throw failure;
    return changes;
  }

  async #assignActives(roleOf: (taskId: string) => TaskRole, waitedMs: number): Promise<{ changes: RoleChange[]; newStandbys: { task: Task; from: TaskRole }[] }> {
    this.#roleOf = roleOf;
    const changes: RoleChange[] = [];
    const newStandbys: { task: Task; from: TaskRole }[] = [];
    const wasActive = new Set(this.#tasks);
    const wasStandby = new Set(this.#standbys);
    const active: Task[] = [];
    const standbys: Task[] = [];
    for (const t of this.#all) {
      const role = roleOf(this.taskId(t));
      const before = wasActive.has(t) ? 'active' : wasStandby.has(t) ? 'standby' : 'none';
      if (role === before) {
        (role === 'active' ? active : role === 'standby' ? standbys : []).push(t);
        continue;
      }
      const started = Date.now();
      const change = () => changes.push({ taskId: this.taskId(t), from: before, to: role, ms: Date.now() - started, waitedMs });
      // Promotion and demotion keep the stores open (pull queries can read them throughout).
      if (before === 'standby' && role === 'active') {
        await t.promote();
        active.push(t);
        change();
        continue;
      }
      if (before === 'active' && role === 'standby') {
        const committed = await t.commit().then(() => true, () => false);
        if (committed) {
          standbys.push(t);
          change();
          continue;
        }
      } else if (before === 'active') {
        await t.commit().catch(() => {});
      }
      if (before !== 'none') await t.close();
      if (role === 'standby') {
        newStandbys.push({ task: t, from: before });
        continue;
      }
      if (role === 'active') {
        await t.init();
        active.push(t);
      }
      change();
    }
    this.#tasks = active;
    this.#standbys = standbys;
    return { changes, newStandbys };
  }

  get error(): Error | undefined {
    return this.#error;
  }

  tasks(): readonly Task[] {
    return this.#tasks;
  }

  /** Topics whose partition counts the tasks need (inputs and outputs). */
  async init(): Promise<void> {
    this.#tasks = [];
    const topics = new Set<string>([this.#o.sink.topic]);
    for (const s of this.subs) {
      for (const t of s.inputTopics) topics.add(t);
      if (s.root.kind === 'Repartition') topics.add(s.root.topic);
    }
    for (const t of topics) {
      const d = await this.#o.log.describeTopic(t);
      if (d) this.#partitions.set(t, d.partitions);
    }
    // With a single input partition every key lands on the one downstream task anyway, so the
    // repartition hop (serialize, append, read back) is skipped and the sub-topologies fuse.
    const repartitionTopics = new Set(this.subs.flatMap((s) => (s.root.kind === 'Repartition' ? [s.root.topic] : [])));
    const external = [...new Set(this.subs.flatMap((s) => s.inputTopics))].filter((t) => !repartitionTopics.has(t));
    if (repartitionTopics.size > 0 && external.every((t) => (this.#partitions.get(t) ?? 1) === 1)) {
      this.#repartition = false;
      this.subs = splitTopology({ kind: 'Sink', step: this.#o.sink }, false);
    }
    const changelogTopic = (store: string): string => `${this.#o.internalTopicPrefix}${store}-changelog`;
    this.subs.forEach((sub, i) => {
      const partitions = Math.max(1, ...sub.inputTopics.map((t) => this.#partitions.get(t) ?? 1));
      for (let p = 0; p < partitions; p++) {
        this.#tasks.push(new Task({
          id: `${i}_${p}`, queryId: this.queryId, sub, partition: p,
          inputs: sub.inputTopics.filter((t) => p < (this.#partitions.get(t) ?? 1)).map((t) => ({
            topic: t, partition: p, repartition: this.subs.some((s) => s.root.kind === 'Repartition' && s.root.topic === t),
          })),
          log: this.#o.log, stores: this.#o.stores, group: this.#o.group, changelogTopic,
          partitionsOf: (t) => this.#partitions.get(t) ?? 1,
          changelogPartitions: partitions,
          sequenceOf: this.#o.sequenceOf, processingError: this.#o.processingError, repartition: this.#repartition,
          startFrom: this.#o.startFrom, cacheMaxBytes: this.#o.cacheMaxBytes, throwOnInvalidTimestamp: this.#o.throwOnInvalidTimestamp ?? false,
        }));
      }
    });
    this.#all = this.#tasks;
    this.#tasks = [];
    this.#standbys = [];
    for (const t of this.#all) {
      const role = this.#roleOf(this.taskId(t));
      if (role === 'active') {
        await t.init();
        this.#tasks.push(t);
      } else if (role === 'standby') {
        await t.initStandby();
        this.#standbys.push(t);
      }
    }
  }

  /**
   * Processes every task until no input is left, upstream sub-topologies first. Within a
   * sub-topology the tasks are interleaved record by record in arrival order, so outputs appear
   * in the order ksqlDB's test driver produces them whatever the partitioning.
   */
  async runUntilIdle(): Promise<void> {
    if (this.#error) throw this.#error;
    if (this.#paused) return;
    try {
      for (;;) {
        let progressed = 0;
        for (const sub of this.subs) {
          const tasks = this.#tasks.filter((t) => t.sub === sub);
          progressed += tasks.length === 1 ? await tasks[0]!.process(100_000) : await this.#interleave(tasks);
          for (const t of tasks) await t.commit();
        }
        if (progressed === 0) return;
      }
    } catch (e) {
      this.#error = e as Error;
      throw e;
    }
  }

  async #interleave(tasks: Task[]): Promise<number> {
    let n = 0;
    for (;;) {
      let best: Task | undefined;
      let bestKey: { seq: number | undefined; timestamp: number } | undefined;
      for (const t of tasks) {
        const k = await t.peekOrder();
        if (!k) continue;
        const better = !bestKey || (k.seq !== undefined && bestKey.seq !== undefined ? k.seq < bestKey.seq : k.timestamp < bestKey.timestamp);
        if (better) {
          best = t;
          bestKey = k;
        }
      }
      if (!best) return n;
      n += await best.process(1);
      // Committing each record keeps the sink's append order equal to the processing order.
      await best.commit();
    }
  }

  /** Starts the background loop. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  async #run(): Promise<void> {
    let lastCommit = Date.now();
    let backoffMs = 0;
    while (this.#running) {
      if (backoffMs > 0 && !(await this.#recover(backoffMs))) {
        backoffMs = Math.min(backoffMs * 2, 5000);
        continue;
      }
      backoffMs = 0;
      let release!: () => void;
      const held = this.#lock;
      this.#lock = new Promise<void>((r) => (release = r));
      await held;
      try {
        let n = 0;
        const roundStart = Date.now();
        if (!this.#paused) {
          for (const t of this.#tasks) if (this.#assignsWaiting === 0) n += await t.process(2000);
        }
        const processedAt = Date.now();
        // Standbys catch up in bounded steps (about 200 ms a round while actives run here), so a
        // standby restoring from scratch never delays the actives' processing and commits for long.
        for (const t of this.#standbys) {
          if (this.#standbysFrozen || this.#assignsWaiting > 0 || (this.#tasks.length > 0 && Date.now() - processedAt > 200)) break;
          n += await t.replayStandby(1000);
        }
        const replayedAt = Date.now();
        const now = Date.now();
        // Commit when idle, every commit interval, or before pending output grows large (a
        // transaction holds its records in memory until it commits).
        const pending = this.#tasks.reduce((sum, t) => sum + t.pendingOutputs(), 0);
        // A queued assignment goes first (it commits the tasks it moves itself).
        const yieldToAssign = this.#assignsWaiting > 0 && pending <= 50_000;
        if (!yieldToAssign && (n === 0 || now - lastCommit >= this.#o.commitIntervalMs || pending > 50_000)) {
          // Each task commits its own transaction: in parallel, one round trip's worth of waiting.
          // While busy the commit is pipelined: a task starts it and processes on while it is
          // written and fsynced; a task whose previous commit is still being written keeps
          // processing (the commit stays due) unless its pending output is too large to hold.
          // When idle the commit is awaited, so what was processed is visible before the loop sleeps.
          const busy = n > 0;
          const deferred = busy ? this.#tasks.filter((t) => t.committing && t.pendingOutputs() <= MAX_PENDING_WHILE_COMMITTING) : [];
          await settleAll(this.#tasks.map((t) => (!busy ? t.commit() : deferred.includes(t) ? Promise.resolve() : t.beginCommit())));
          if (deferred.length === 0) lastCommit = now;
        }
        if (Date.now() - roundStart > 1000) {
          console.error(`${new Date().toISOString()} riffle: query ${this.queryId}: slow round ${Date.now() - roundStart} ms (process ${processedAt - roundStart}, standby replay ${replayedAt - processedAt}, commit ${Date.now() - replayedAt})`);
        }
        release();
        if (n === 0 && this.#running && this.#assignsWaiting === 0) {
          if (this.#tasks.length > 0) await Promise.race(this.#tasks.map((t) => t.waitForInput(this.#standbys.length > 0 ? 50 : 200)));
          else await new Promise((r) => setTimeout(r, this.#standbys.length > 0 ? 50 : 200));
        }
      } catch (e) {
        release();
        if (this.#running && isTransientLogError(e)) {
          // Kafka unavailable (broker restart, leader move): rebuild the tasks from what was
          // committed and carry on, instead of putting the query in ERROR.
          console.error(`riffle: query ${this.queryId}: ${(e as Error).message}; retrying`);
          backoffMs = 250;
          continue;
        }
        this.#error = e as Error;
        this.#running = false;
      }
    }
  }

  /**
   * After a transient log failure: waits, then recreates every task from committed state (input
   * offsets, store + changelog tail), dropping uncommitted work. False when the log still fails.
   */
  async #recover(waitMs: number): Promise<boolean> {
    await new Promise((r) => setTimeout(r, waitMs));
    if (!this.#running) return true;
    // Every task, whatever its role or how far its init got, so no store stays open.
    for (const t of this.#all.length > 0 ? this.#all : this.#tasks) await t.close().catch(() => {});
    try {
      await this.init();
      return true;
    } catch (e) {
      if (!isTransientLogError(e)) {
        this.#error = e as Error;
        this.#running = false;
      }
      return false;
    }
  }

  pause(): void {
    this.#paused = true;
  }

  /** Tests: standbys stop replaying their changelogs (a replica falling behind) until unfrozen. */
  freezeStandbys(frozen: boolean): void {
    this.#standbysFrozen = frozen;
  }

  resume(): void {
    this.#paused = false;
  }

  get paused(): boolean {
    return this.#paused;
  }

  /** Stops processing, commits what was processed, closes stores. */
  async stop(): Promise<void> {
    this.#running = false;
    await this.#loop;
    await this.#assignChain;
    for (const t of this.#tasks) {
      try {
        await t.commit();
      } catch { /* the next start resumes from the last good commit */ }
      await t.close();
    }
    for (const t of this.#standbys) await t.close();
    this.#tasks = [];
    this.#standbys = [];
  }
}

/** Output records a task may keep pending while its previous commit is still being written. */
const MAX_PENDING_WHILE_COMMITTING = 200_000;

/** Like Promise.all, but waits for every promise before rethrowing the first failure. */
async function settleAll(work: Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(work);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
}
