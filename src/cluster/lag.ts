// Lag bookkeeping per state store (`<queryId>#<store>`) and partition: what a replica reports (offsets
// as ksqlDB does, plus time lag and an active's input lag) and the receiver's merge of reports.
// Pure functions and plain data; the receiver's clock is passed in, never read.

export interface PartitionLag {
  /** Next changelog offset this replica will apply (last applied + 1). */
  readonly currentOffsetPosition: number;
  readonly endOffsetPosition: number;
  /** max(endOffsetPosition - currentOffsetPosition, 0), as ksqlDB reports it. */
  readonly offsetLag: number;
  /**
   * How far behind its source this replica is in time, measured by the reporter when it reported:
   * 0 when caught up, else how long ago it last held everything its source had. Absent: unknown.
   */
  readonly timeLagMs?: number;
  /** Active only: input records not yet processed, and how far behind in time that leaves the store. */
  readonly inputOffsetLag?: number;
  readonly inputTimeLagMs?: number;
}

/** Store id (`<queryId>#<store>`) -> partition -> lag. */
export type StateStoreLags = ReadonlyMap<string, ReadonlyMap<number, PartitionLag>>;

export interface HostLagReport {
  /** host:port of the reporter. */
  readonly host: string;
  /** Reporter's clock: orders reports from one host, never compared with another clock. */
  readonly updateTimeMs: number;
  readonly stores: StateStoreLags;
}

export function storeId(queryId: string, storeName: string): string {
  return `${queryId}#${storeName}`;
}

export function parseStoreId(id: string): { queryId: string; storeName: string } {
  const i = id.indexOf('#');
  if (i <= 0 || i === id.length - 1) throw new Error(`State store id '${id}' is not of the form <queryId>#<storeName>`);
  return { queryId: id.slice(0, i), storeName: id.slice(i + 1) };
}

export function partitionLag(
  currentOffsetPosition: number,
  endOffsetPosition: number,
  extra: { timeLagMs?: number; inputOffsetLag?: number; inputTimeLagMs?: number } = {},
): PartitionLag {
  const lag: PartitionLag = { currentOffsetPosition, endOffsetPosition, offsetLag: Math.max(endOffsetPosition - currentOffsetPosition, 0) };
  return {
    ...lag,
    ...(extra.timeLagMs !== undefined ? { timeLagMs: extra.timeLagMs } : {}),
    ...(extra.inputOffsetLag !== undefined ? { inputOffsetLag: extra.inputOffsetLag } : {}),
    ...(extra.inputTimeLagMs !== undefined ? { inputTimeLagMs: extra.inputTimeLagMs } : {}),
  };
}

// ---- Reporter side: turning offset observations into time lag ----

/**
 * What a replica knows about its own progress: the source's end offsets as seen over time, so it
 * can say since when it holds everything (the newest observation whose end it has reached).
 */
export interface ReplicaProgress {
  readonly position: number;
  /** Reporter time since which the replica provably holds every record; undefined: never caught up yet. */
  readonly caughtUpAsOfMs: number | undefined;
  /** (time, end offset) observations not yet reached, oldest first (bounded). */
  readonly pending: readonly { readonly atMs: number; readonly endOffset: number }[];
}

const MAX_PENDING = 64;

export function observeReplica(prev: ReplicaProgress | undefined, position: number, endOffset: number, nowMs: number): ReplicaProgress {
  const pending = [...(prev?.pending ?? []), { atMs: nowMs, endOffset }];
  let caughtUpAsOfMs = prev?.caughtUpAsOfMs;
  let reached = 0;
  while (reached < pending.length && pending[reached]!.endOffset <= position) {
    caughtUpAsOfMs = Math.max(caughtUpAsOfMs ?? -Infinity, pending[reached]!.atMs);
    reached++;
  }
  // When the list is full, drop the oldest unreached entries: the bound gets coarser, never wrong.
  const rest = pending.slice(reached);
  return { position, caughtUpAsOfMs, pending: rest.length > MAX_PENDING ? rest.slice(rest.length - MAX_PENDING) : rest };
}

/** Time lag of a replica at `nowMs` (reporter clock); undefined until it has once caught up. */
export function timeLagOf(progress: ReplicaProgress, nowMs: number): number | undefined {
  if (progress.pending.length === 0) return 0;
  return progress.caughtUpAsOfMs === undefined ? undefined : Math.max(0, nowMs - progress.caughtUpAsOfMs);
}

// ---- Receiver side: merging reports ----

export interface ReceivedLagReport {
  readonly report: HostLagReport;
  /** Receiver clock at receipt: the report's age is measured from here, never from updateTimeMs. */
  readonly receivedAtMs: number;
}

export type LagTable = ReadonlyMap<string, ReceivedLagReport>;

export const emptyLagTable: LagTable = new Map();

/** Adds a report; an older report from the same host (by its own updateTimeMs) is ignored. */
export function mergeLagReport(table: LagTable, report: HostLagReport, receivedAtMs: number): LagTable {
  const existing = table.get(report.host);
  if (existing && existing.report.updateTimeMs > report.updateTimeMs) return table;
  return new Map(table).set(report.host, { report, receivedAtMs });
}

/** Drops reports from hosts `keep` rejects (pruned members) and reports older than `maxAgeMs`. */
export function pruneLagTable(table: LagTable, nowMs: number, maxAgeMs: number, keep: (host: string) => boolean = () => true): LagTable {
  const out = new Map<string, ReceivedLagReport>();
  for (const [host, r] of table) if (keep(host) && nowMs - r.receivedAtMs <= maxAgeMs) out.set(host, r);
  return out;
}

/** The highest end offset any host reported for the partition: everyone's lag is measured against it. */
export function maxEndOffset(table: LagTable, store: string, partition: number): number | undefined {
  let max: number | undefined;
  for (const { report } of table.values()) {
    const lag = report.stores.get(store)?.get(partition);
    if (lag && (max === undefined || lag.endOffsetPosition > max)) max = lag.endOffsetPosition;
  }
  return max;
}

export interface ReplicaFreshness {
  readonly currentOffsetPosition: number;
  /** Against the highest end offset reported by any host (ksqlDB's MaximumLagFilter rule). */
  readonly offsetLag: number;
  /**
   * Upper bound on how stale an answer from this replica can be now: its own time lag, plus the
   * active's input lag (a standby can be no fresher than its active), plus the report's age.
   * Undefined when the replica's time lag is unknown.
   */
  readonly stalenessMs: number | undefined;
  readonly reportAgeMs: number;
}

export function replicaFreshness(
  table: LagTable,
  host: string,
  store: string,
  partition: number,
  nowMs: number,
  activeHost?: string,
): ReplicaFreshness | undefined {
  const received = table.get(host);
  const lag = received?.report.stores.get(store)?.get(partition);
  if (!received || !lag) return undefined;
  const end = Math.max(maxEndOffset(table, store, partition) ?? lag.endOffsetPosition, lag.endOffsetPosition);
  const reportAgeMs = Math.max(0, nowMs - received.receivedAtMs);
  const activeLag = activeHost === undefined || activeHost === host ? lag : table.get(activeHost)?.report.stores.get(store)?.get(partition);
  const inputTimeLagMs = activeLag?.inputTimeLagMs ?? 0;
  return {
    currentOffsetPosition: lag.currentOffsetPosition,
    offsetLag: Math.max(end - lag.currentOffsetPosition, 0),
    stalenessMs: lag.timeLagMs === undefined ? undefined : lag.timeLagMs + inputTimeLagMs + reportAgeMs,
    reportAgeMs,
  };
}
