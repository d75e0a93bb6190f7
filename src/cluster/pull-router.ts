// Runs a pull query across the cluster: finds the partitions its keys need, ranks each partition's
// replicas (active, then standbys freshest first), reads local ones here and forwards the rest with
// the partitions pinned, retrying failed partitions on the next replica; 503 when none qualifies.
import { compileJsonReader } from '../serde/json-read.ts';
import type { QueryColumn, QueryHandle, QueryRow, Session } from '../engine/engine-api.ts';
import { pullRouting } from '../engine/pull-query.ts';
import type { ClusterNode } from './cluster-node.ts';
import { forwardPull, PeerHttpError } from './peer-client.ts';
import { classifyPullFailure, type PartitionReplicas, rankHostsForPullQuery, replicaKey, type ReplicaRole } from './routing.ts';

export const PINNED_PARTITIONS = 'request.ksql.query.pull.partition';
export const SKIP_FORWARDING = 'request.ksql.query.pull.skip.forwarding';
export const MAX_STALENESS = 'ksql.query.pull.max.allowed.staleness.ms';
const MATERIALIZE = 'Materialize';

/** A refusal or failure with the HTTP status and ksqlDB error code to answer with. */
export class PullRoutingError extends Error {
  readonly status: number;
  readonly errorCode: number;
  constructor(status: number, errorCode: number, message: string) {
    super(message);
    this.name = 'PullRoutingError';
    this.status = status;
    this.errorCode = errorCode;
  }
}

export interface ServedPartition {
  readonly partition: number;
  readonly host: string;
  readonly role: ReplicaRole;
  readonly offsetLag: number | undefined;
  readonly stalenessMs: number | undefined;
}

export interface RoutedPull {
  readonly handle: QueryHandle;
  /** Per partition: who answered and how fresh it was (absent for non-table queries). */
  readonly servedBy?: readonly ServedPartition[];
}

interface Located {
  queryId: string;
  taskPrefix: string;
  partitions: readonly number[];
}

const prop = (s: Session, k: string) => s.properties.get(k);

/**
 * Undefined when the statement is not a pull query (push queries take the normal path). Errors:
 * KsqlError for a bad statement (as without a cluster), PullRoutingError for routing outcomes.
 */
export async function routePull(node: ClusterNode, session: Session, sql: string, authorization?: string): Promise<RoutedPull | undefined> {
  if (/\bEMIT\s+(CHANGES|FINAL)\b/i.test(sql)) return undefined;
  const engine = node.o.engine;
  if (prop(session, SKIP_FORWARDING) === 'true' || prop(session, PINNED_PARTITIONS) !== undefined) return serveForwarded(node, session, sql);

  // Dry run: parse, validate and locate, reading nothing.
  let located: Located | undefined;
  pullRouting.set(session, { partitions: new Set(), located: (i) => (located = i) });
  const dry = await engine.query(session, sql);
  pullRouting.delete(session);
  if (!located) return { handle: dry }; // a pull query on a stream: no routing, that was the real run
  dry.close();
  const loc = located as Located;

  const standbyReads = (prop(session, 'ksql.query.pull.enable.standby.reads') ?? String(node.o.ha.enableStandbyReads)) === 'true';
  const maxOffsetLag = BigInt(prop(session, 'ksql.query.pull.max.allowed.offset.lag') ?? '9223372036854775807');
  const stalenessText = prop(session, MAX_STALENESS);
  const maxStalenessMs = stalenessText === undefined ? undefined : Number(stalenessText);
  const failedHosts = new Map<string, string>();
  const failedReplicas = new Map<string, string>();
  let remaining = [...loc.partitions];
  const rows: QueryRow[] = [];
  const served: ServedPartition[] = [];
  let columns: readonly QueryColumn[] = dry.columns;
  let queryId = dry.queryId;

  for (let round = 0; remaining.length > 0; round++) {
    const parts: PartitionReplicas[] = remaining.map((p) => ({ partition: p, replicas: node.replicasOf(`${loc.taskPrefix}${p}`) }));
    const activeOf = new Map(parts.map((p) => [p.partition, p.replicas.find((r) => r.role === 'active')?.host]));
    const route = rankHostsForPullQuery({
      partitions: parts,
      options: { enableStandbyReads: standbyReads, maxOffsetLag, maxStalenessMs },
      liveness: (h) => node.liveness(h),
      freshness: node.o.ha.lagReportingEnable ? (h, p) => node.freshness(loc.queryId, MATERIALIZE, h, p, activeOf.get(p)) : undefined,
      failedHosts,
      failedReplicas,
    });
    if (!route.ok) throw new PullRoutingError(503, 50300, route.message);
    const byHost = new Map<string, { partitions: number[]; info: ServedPartition[] }>();
    for (const r of route.partitions) {
      const c = r.candidates[0]!;
      const g = byHost.get(c.host) ?? { partitions: [], info: [] };
      byHost.set(c.host, g);
      g.partitions.push(r.partition);
      g.info.push({ partition: r.partition, host: c.host, role: c.role, offsetLag: c.offsetLag, stalenessMs: c.stalenessMs });
    }
    const outcomes = await Promise.all([...byHost].map(async ([host, g]) => {
      try {
        const got = host === node.host ? await readLocal(node, session, sql, g.partitions, loc.taskPrefix) : await readRemote(node, host, session, sql, g.partitions, columns, authorization);
        return { host, g, got };
      } catch (e) {
        return { host, g, error: e };
      }
    }));
    remaining = [];
    for (const o of outcomes) {
      if (o.got) {
        // Partitions this host does not hold yet go to their next replica; the rest it served.
        const notReady = new Set(o.got.notReady);
        for (const p of notReady) failedReplicas.set(replicaKey(o.host, p), 'store not ready');
        remaining.push(...notReady);
        rows.push(...o.got.rows);
        served.push(...o.g.info.filter((i) => !notReady.has(i.partition)));
        if (o.host === node.host) {
          columns = o.got.columns;
          queryId = o.got.queryId;
        }
        continue;
      }
      const c = classifyPullFailure(o.error);
      if (!c.retryable) throw o.error;
      // A peer refusing some of the partitions (not open there yet) keeps serving the others.
      const refused = refusedPartitions(o.error).filter((p) => o.g.partitions.includes(p));
      if (refused.length > 0) {
        for (const p of refused) failedReplicas.set(replicaKey(o.host, p), 'store not ready');
        remaining.push(...o.g.partitions);
        continue;
      }
      if (c.hostDown) node.hostUnreachable(o.host, c.why);
      failedHosts.set(o.host, c.why);
      remaining.push(...o.g.partitions);
    }
  }
  served.sort((a, b) => a.partition - b.partition);
  return { handle: rowsHandle(queryId, columns, rows), servedBy: served };
}

/** Reads the partitions held here; those not open yet (`notReady`) are left to other replicas. */
async function readLocal(node: ClusterNode, session: Session, sql: string, partitions: number[], taskPrefix: string) {
  const notReady = partitions.filter((p) => node.heldRole(`${taskPrefix}${p}`) === undefined);
  if (notReady.length === partitions.length) {
    throw Object.assign(new Error(`store not ready for partitions ${notReady.join(', ')}`), { code: 'STORE_NOT_READY' });
  }
  let missing: number[] = [];
  const held = partitions.filter((p) => !notReady.includes(p));
  const local = node.o.engine.newSession(Object.fromEntries(session.properties));
  for (const [k, v] of session.variables) local.variables.set(k, v);
  pullRouting.set(local, {
    partitions: new Set(held), standbys: true,
    located: (i) => (missing = held.filter((p) => node.heldRole(`${i.taskPrefix}${p}`) === undefined)),
  });
  const handle = await node.o.engine.query(local, sql);
  if (missing.length > 0) {
    // Moved away between the check above and the read: let the next replica answer.
    handle.close();
    throw Object.assign(new Error(`store not ready for partitions ${missing.join(', ')}`), { code: 'STORE_NOT_READY' });
  }
  const rows: QueryRow[] = [];
  for await (const r of handle.rows) rows.push(r);
  return { rows, columns: handle.columns, queryId: handle.queryId, notReady };
}

async function readRemote(node: ClusterNode, host: string, session: Session, sql: string, partitions: number[], columns: readonly QueryColumn[], authorization: string | undefined) {
  // A network partition: unreachable, not refused (refused would mean the peer crashed).
  if (!node.peersReachable) throw Object.assign(new Error(`connect EHOSTUNREACH ${host} (test partition)`), { code: 'EHOSTUNREACH' });
  const properties: Record<string, unknown> = { ...Object.fromEntries(session.properties), [PINNED_PARTITIONS]: partitions.join(','), [SKIP_FORWARDING]: 'true' };
  const result = await forwardPull(host, sql, properties, 5000, authorization);
  const readers = columns.map((c, i) => compileJsonReader(c.type, c.name ?? String(i)));
  const rows = result.rows.map((r) => ({ values: r.map((v, i) => (v === null ? null : readers[i] ? readers[i](v) : v)) }));
  return { rows, columns, queryId: '', notReady: [] as number[] };
}

/** The partitions a peer's refusal names (serveForwarded's message below), or none. */
function refusedPartitions(error: unknown): number[] {
  if (!(error instanceof PeerHttpError) || error.status !== 503) return [];
  const m = NOT_HELD.exec(error.message);
  return m ? m[1]!.split(',').map((x) => Number(x.trim())) : [];
}

/** serveForwarded's refusal, parsed back by refusedPartitions: keep the two in step. */
const NOT_HELD = /does not hold partitions ([\d, ]+) of /;

/** The receiving end of a forward: serve exactly the pinned partitions, refusing those not held here. */
async function serveForwarded(node: ClusterNode, session: Session, sql: string): Promise<RoutedPull> {
  if (!node.peersReachable) throw new PullRoutingError(503, 50301, `Host ${node.host} is cut off from its peers (test partition)`);
  if (node.refusesForwards) throw new PullRoutingError(503, 50301, `Host ${node.host} refuses forwarded pull queries (test fault)`);
  const pinned = (prop(session, PINNED_PARTITIONS) ?? '').split(',').filter((s) => s.trim() !== '').map(Number);
  let refusal: string | undefined;
  pullRouting.set(session, {
    partitions: new Set(pinned), standbys: true,
    located: (i) => {
      const wanted = pinned.length > 0 ? pinned : i.partitions;
      const missing = wanted.filter((p) => node.heldRole(`${i.taskPrefix}${p}`) === undefined);
      if (missing.length > 0) refusal = `Host ${node.host} does not hold partitions ${missing.join(', ')} of ${i.queryId}`;
    },
  });
  const handle = await node.o.engine.query(session, sql);
  if (refusal !== undefined) {
    handle.close();
    throw new PullRoutingError(503, 50301, refusal);
  }
  return { handle };
}

function rowsHandle(queryId: string, columns: readonly QueryColumn[], rows: QueryRow[]): QueryHandle {
  let closed = false;
  return {
    queryId, kind: 'pull', columns,
    rows: (async function* () {
      for (const r of rows) {
        if (closed) return;
        yield r;
      }
    })(),
    endReason: () => 'Query Completed',
    close: () => { closed = true; },
  };
}
