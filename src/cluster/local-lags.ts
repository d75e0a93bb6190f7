// This server's own lag, per state store partition, for /lag reports, routing and the group
// leader: changelog position vs end (offsets and time) for actives and standbys, plus an active's input lag.
import type { ReplicaLag } from './assignment.ts';
import { type HostLagReport, observeReplica, partitionLag, type PartitionLag, type ReplicaProgress, storeId, timeLagOf } from './lag.ts';
import type { QueryRunner } from '../engine/query-runner.ts';

export interface LocalLagSnapshot {
  readonly report: HostLagReport;
  /** Per task id: its worst store lag (for JoinGroup metadata). */
  readonly taskLags: ReadonlyMap<string, ReplicaLag>;
}

/** Keeps the progress observations that turn offset positions into time lags. */
export class LocalLags {
  readonly #progress = new Map<string, ReplicaProgress>();
  readonly #host: string;

  constructor(host: string) {
    this.#host = host;
  }

  async snapshot(runners: Iterable<QueryRunner>, now = Date.now()): Promise<LocalLagSnapshot> {
    const stores = new Map<string, Map<number, PartitionLag>>();
    const taskLags = new Map<string, ReplicaLag>();
    const seen = new Set<string>();
    for (const runner of runners) {
      const held = [...runner.tasks().map((t) => ({ t, active: true })), ...runner.standbyTasks().map((t) => ({ t, active: false }))];
      for (const { t, active } of held) {
        const taskId = runner.taskId(t);
        let input: { offsetLag: number; timeLagMs: number | undefined } | undefined;
        if (active) {
          const lags = await t.inputLags().catch(() => []);
          const position = lags.reduce((s, l) => s + l.position, 0);
          const end = lags.reduce((s, l) => s + l.end, 0);
          const key = `${taskId}#input`;
          const p = observeReplica(this.#progress.get(key), position, end, now);
          this.#progress.set(key, p);
          seen.add(key);
          input = { offsetLag: Math.max(0, end - position), timeLagMs: timeLagOf(p, now) };
        }
        let worst: ReplicaLag | undefined;
        for (const raw of await t.storeLags().catch(() => [])) {
          // An active writes its changelog: it holds everything committed (the end may sit past its
          // position only by a transaction marker). Its staleness is its input lag, reported apart.
          const l = active ? { ...raw, position: raw.end } : raw;
          const key = `${taskId}#${l.store}`;
          const p = observeReplica(this.#progress.get(key), l.position, l.end, now);
          this.#progress.set(key, p);
          seen.add(key);
          const timeLagMs = timeLagOf(p, now);
          const lag = partitionLag(l.position, l.end, {
            ...(timeLagMs !== undefined ? { timeLagMs } : {}),
            ...(input ? { inputOffsetLag: input.offsetLag } : {}),
            ...(input?.timeLagMs !== undefined ? { inputTimeLagMs: input.timeLagMs } : {}),
          });
          const id = storeId(runner.queryId, l.store);
          if (!stores.has(id)) stores.set(id, new Map());
          stores.get(id)!.set(l.partition, lag);
          const tl = timeLagMs ?? Number.MAX_SAFE_INTEGER;
          if (!worst || lag.offsetLag > worst.offsetLag) worst = { offsetLag: lag.offsetLag, timeLagMs: tl };
        }
        taskLags.set(taskId, worst ?? { offsetLag: 0, timeLagMs: 0 });
      }
    }
    for (const k of this.#progress.keys()) if (!seen.has(k)) this.#progress.delete(k);
    return { report: { host: this.#host, updateTimeMs: now, stores }, taskLags };
  }
}
