// Pull-query routing decisions, pure: rank each partition's replicas (active first, then standbys
// freshest first, after ksqlDB's filters plus a time bound), word the 503 when none qualifies, and
// classify which failures a retry on the next replica can fix. The forwarder that acts on it lives elsewhere.
import type { ReplicaFreshness } from './lag.ts';

export type ReplicaRole = 'active' | 'standby';

export interface PartitionReplicas {
  readonly partition: number;
  /** Every host holding the partition's store; the active is the one with role 'active'. */
  readonly replicas: readonly { readonly host: string; readonly role: ReplicaRole }[];
}

export interface PullRoutingOptions {
  /** `ksql.query.pull.enable.standby.reads`. */
  readonly enableStandbyReads: boolean;
  /** `ksql.query.pull.max.allowed.offset.lag` (per request); Long.MAX_VALUE or more means no bound. */
  readonly maxOffsetLag: number | bigint;
  /** `ksql.query.pull.max.allowed.staleness.ms` (per request); undefined means no bound. */
  readonly maxStalenessMs?: number | undefined;
}

export interface HostLiveness {
  readonly alive: boolean;
  /** When that was decided (ksqlDB's lastStatusUpdateMs), for the message. */
  readonly asOfMs: number;
}

export interface RankHostsInput {
  readonly partitions: readonly PartitionReplicas[];
  readonly options: PullRoutingOptions;
  /** Undefined when heartbeats are off or the host is unknown: then it counts as alive (as ksqlDB). */
  readonly liveness: (host: string) => HostLiveness | undefined;
  /** Undefined when lag reporting is off (no lag filter at all); else the host's freshness, if reported. */
  readonly freshness: ((host: string, partition: number) => ReplicaFreshness | undefined) | undefined;
  /** Hosts that already failed in this request (partial-failure retry), with the failure. */
  readonly failedHosts?: ReadonlyMap<string, string>;
  /** Single partitions a host refused in this request (`replicaKey`), with why: it still serves the others. */
  readonly failedReplicas?: ReadonlyMap<string, string>;
}

export interface RankedHost {
  readonly host: string;
  readonly role: ReplicaRole;
  readonly offsetLag: number | undefined;
  readonly stalenessMs: number | undefined;
}

export interface PassedOverHost {
  readonly host: string;
  readonly role: ReplicaRole;
  readonly reason: string;
}

export interface PartitionRanking {
  readonly partition: number;
  /** Hosts to try, in order. */
  readonly candidates: readonly RankedHost[];
  /** Hosts filtered out, in scan order, with ksqlDB's wording of why. */
  readonly passedOver: readonly PassedOverHost[];
}

export type PullQueryRoute =
  | { readonly ok: true; readonly partitions: readonly PartitionRanking[] }
  | { readonly ok: false; readonly partitions: readonly PartitionRanking[]; readonly message: string };

/** HTTP status of the error when some partition has no replica that qualifies. */
export const PULL_QUERY_UNAVAILABLE_STATUS = 503;

const LONG_MAX = 9223372036854775807n;

function offsetBound(max: number | bigint): number | undefined {
  if (typeof max === 'bigint') return max >= LONG_MAX || max > BigInt(Number.MAX_SAFE_INTEGER) ? undefined : Number(max);
  return max >= Number.MAX_SAFE_INTEGER ? undefined : max;
}

/** Key of one host's copy of one partition in `failedReplicas`. */
export const replicaKey = (host: string, partition: number): string => `${host}/${partition}`;

/** Why `host` may not serve, or undefined if it may (filters in ksqlDB's order, then ours). */
function reasonPassedOver(
  input: RankHostsInput,
  host: string,
  role: ReplicaRole,
  fresh: ReplicaFreshness | undefined,
  partition: number,
): string | undefined {
  const failure = input.failedHosts?.get(host) ?? input.failedReplicas?.get(replicaKey(host, partition));
  if (failure !== undefined) return `Host failed during this request: ${failure}`;
  if (role !== 'active' && !input.options.enableStandbyReads) return 'Host is not the active host for this partition.';
  const live = input.liveness(host);
  if (live && !live.alive) return `Host is not alive as of time ${live.asOfMs}`;
  if (!input.freshness) return undefined;
  const maxOffsetLag = offsetBound(input.options.maxOffsetLag);
  const maxStaleness = input.options.maxStalenessMs;
  // Without any bound, a missing lag report is no reason to refuse (ksqlDB refuses anyway).
  if (maxOffsetLag === undefined && maxStaleness === undefined) return undefined;
  if (!fresh) return 'Lag information is not present for host.';
  if (maxOffsetLag !== undefined && fresh.offsetLag > maxOffsetLag) {
    return `Host excluded because lag ${fresh.offsetLag} exceeds maximum allowed lag ${maxOffsetLag}.`;
  }
  if (maxStaleness !== undefined) {
    if (fresh.stalenessMs === undefined) return `Host excluded because its staleness is unknown and maximum allowed staleness is ${maxStaleness} ms.`;
    if (fresh.stalenessMs > maxStaleness) {
      return `Host excluded because staleness ${fresh.stalenessMs} ms exceeds maximum allowed staleness ${maxStaleness} ms.`;
    }
  }
  return undefined;
}

const byFreshness = (a: RankedHost, b: RankedHost) =>
  (a.offsetLag ?? Infinity) - (b.offsetLag ?? Infinity) ||
  (a.stalenessMs ?? Infinity) - (b.stalenessMs ?? Infinity) ||
  (a.host < b.host ? -1 : a.host > b.host ? 1 : 0);

/**
 * Orders each partition's replicas for a pull query: the active first, then standbys from freshest
 * to stalest; hosts that are dead, too far behind, standbys when standby reads are off, or already
 * failed in this request are passed over with the reason. Fails as a whole if any partition has none.
 */
export function rankHostsForPullQuery(input: RankHostsInput): PullQueryRoute {
  const partitions = [...input.partitions]
    .sort((a, b) => a.partition - b.partition)
    .map((p): PartitionRanking => {
      const scan = [...p.replicas.filter((r) => r.role === 'active'), ...p.replicas.filter((r) => r.role !== 'active')];
      const active: RankedHost[] = [];
      const standbys: RankedHost[] = [];
      const passedOver: PassedOverHost[] = [];
      for (const { host, role } of scan) {
        const fresh = input.freshness?.(host, p.partition);
        const reason = reasonPassedOver(input, host, role, fresh, p.partition);
        if (reason !== undefined) passedOver.push({ host, role, reason });
        else (role === 'active' ? active : standbys).push({ host, role, offsetLag: fresh?.offsetLag, stalenessMs: fresh?.stalenessMs });
      }
      return { partition: p.partition, candidates: [...active, ...standbys.sort(byFreshness)], passedOver };
    });
  const failed = partitions.filter((p) => p.candidates.length === 0);
  if (failed.length === 0) return { ok: true, partitions };
  return { ok: false, partitions, message: pullQueryUnavailableMessage(failed) };
}

/**
 * ksqlDB's text: "Unable to execute pull query. [Partition 0 failed to find valid host. Hosts scanned:
 * [h1:8088 was not selected because <reason>, ...]]", one entry per partition without a host.
 */
export function pullQueryUnavailableMessage(partitions: readonly Pick<PartitionRanking, 'partition' | 'passedOver'>[]): string {
  const entries = [...partitions]
    .sort((a, b) => a.partition - b.partition)
    .map((p) => {
      const hosts = p.passedOver.map((h) => `${h.host} was not selected because ${h.reason}`).join(', ');
      return `Partition ${p.partition} failed to find valid host. Hosts scanned: [${hosts}]`;
    });
  return `Unable to execute pull query. [${entries.join(', ')}]`;
}

// ---- Which failures the next replica can fix ----

/** Error codes of our own peers' refusals that another replica can serve. */
export const RETRYABLE_PULL_CODES = ['STORE_NOT_READY', 'PARTITION_MOVED', 'NOT_ACTIVE', 'LAG_EXCEEDED', 'HOST_SHUTTING_DOWN'] as const;

const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EPIPE',
  'EAI_AGAIN',
  'ERR_HTTP2_STREAM_CANCEL',
  'ERR_HTTP2_GOAWAY_SESSION',
  'ERR_HTTP2_SESSION_ERROR',
  'ERR_STREAM_PREMATURE_CLOSE',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

/** Codes that say the host itself could not be reached (not merely slow): it is dead until it heartbeats again. */
const HOST_DOWN_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'EHOSTDOWN', 'ENETUNREACH', 'ENETDOWN']);

export interface PullFailureClass {
  readonly retryable: boolean;
  /** The host could not be reached at all: route around it until it heartbeats again. */
  readonly hostDown?: boolean;
  /** Short words for logs and for the "Host failed during this request" reason. */
  readonly why: string;
}

/**
 * Sorts a failed forward into "try the next replica" (connection refused or reset, timeout, store not
 * ready, partition moved, a peer that is down or overloaded at the transport level) and "fail the
 * query" (a bad statement — every replica would reject it — or an overload rejection, where retrying
 * elsewhere only spreads the overload).
 */
export function classifyPullFailure(error: unknown): PullFailureClass {
  for (const e of causes(error)) {
    const status = numberField(e, 'status') ?? numberField(e, 'statusCode');
    const errorCode = numberField(e, 'error_code') ?? numberField(e, 'errorCode');
    const code = stringField(e, 'code');
    if (status === 429 || (errorCode !== undefined && Math.floor(errorCode / 100) === 429)) return { retryable: false, why: 'rejected: overloaded (429)' };
    if (code !== undefined && (RETRYABLE_PULL_CODES as readonly string[]).includes(code)) return { retryable: true, why: code.toLowerCase().replaceAll('_', ' ') };
    if (code !== undefined && RETRYABLE_NETWORK_CODES.has(code)) return { retryable: true, why: code, ...(HOST_DOWN_CODES.has(code) ? { hostDown: true } : {}) };
    const name = stringField(e, 'name');
    if (name === 'TimeoutError' || name === 'AbortError') return { retryable: true, why: 'timed out' };
    if (status !== undefined) {
      // 5xx: that host failed (store not ready, moved, internal fault); another replica may not.
      if (status >= 500) return { retryable: true, why: `HTTP ${status}` };
      return { retryable: false, why: `HTTP ${status}` };
    }
  }
  return { retryable: false, why: error instanceof Error ? error.message : String(error) };
}

export function isRetryable(error: unknown): boolean {
  return classifyPullFailure(error).retryable;
}

/** The error and its causes (`cause`, AggregateError members), outermost first, bounded. */
function causes(error: unknown): unknown[] {
  const out: unknown[] = [];
  const queue = [error];
  while (queue.length > 0 && out.length < 16) {
    const e = queue.shift();
    if (e === null || e === undefined || out.includes(e)) continue;
    out.push(e);
    if (e instanceof AggregateError) queue.push(...e.errors);
    if (typeof e === 'object' && 'cause' in e) queue.push(e.cause);
  }
  return out;
}

function numberField(e: unknown, key: string): number | undefined {
  const v = typeof e === 'object' && e !== null ? (e as Record<string, unknown>)[key] : undefined;
  return typeof v === 'number' ? v : undefined;
}

function stringField(e: unknown, key: string): string | undefined {
  const v = typeof e === 'object' && e !== null ? (e as Record<string, unknown>)[key] : undefined;
  return typeof v === 'string' ? v : undefined;
}
