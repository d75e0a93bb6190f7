// The JSON of ksqlDB's inter-node endpoints: POST /heartbeat, POST /lag, GET /clusterStatus. Parsers
// validate already-decoded JSON and name the offending field; renderers emit ksqlDB's exact shapes
// (our time-lag fields appear only when present). No HTTP here.
import type { HostLagReport, PartitionLag, StateStoreLags } from './lag.ts';

export class WireFormatError extends Error {
  readonly path: string;
  constructor(path: string, expected: string, got: unknown) {
    super(`Invalid request body: ${path} must be ${expected}, got ${describe(got)}`);
    this.name = 'WireFormatError';
    this.path = path;
  }
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

const OK = { ok: true } as const;

// ---- validating readers ----

type Json = Record<string, unknown>;

function object(v: unknown, path: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new WireFormatError(path, 'an object', v);
  return v as Json;
}
function int(v: unknown, path: string, min = 0): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) throw new WireFormatError(path, `an integer >= ${min}`, v);
  return v;
}
function optionalInt(v: unknown, path: string): number | undefined {
  return v === undefined || v === null ? undefined : int(v, path);
}
function bool(v: unknown, path: string): boolean {
  if (typeof v !== 'boolean') throw new WireFormatError(path, 'true or false', v);
  return v;
}
function string(v: unknown, path: string): string {
  if (typeof v !== 'string' || v.length === 0) throw new WireFormatError(path, 'a non-empty string', v);
  return v;
}
function strings(v: unknown, path: string): string[] {
  if (!Array.isArray(v)) throw new WireFormatError(path, 'an array of strings', v);
  return v.map((s, i) => string(s, `${path}[${i}]`));
}
const HOST_PORT = /^(\[[0-9A-Fa-f:.]+\]|[^\s:[\]/]+):(\d{1,5})$/;
/** "host:port"; ksqlDB's object form {"host","port"} is accepted too. */
function hostInfo(v: unknown, path: string): string {
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
    const o = v as Json;
    return hostInfo(`${string(o['host'], `${path}.host`)}:${int(o['port'], `${path}.port`)}`, path);
  }
  const s = string(v, path);
  const m = HOST_PORT.exec(s);
  if (!m || Number(m[2]) > 65535) throw new WireFormatError(path, '"host:port"', v);
  return s;
}
const key = (path: string, k: string) => `${path}[${JSON.stringify(k)}]`;

// ---- POST /heartbeat ----

export interface HeartbeatMessage {
  /** The sender, host:port. */
  readonly hostInfo: string;
  /** Sender's clock: informational only (liveness uses receipt time). */
  readonly timestamp: number;
}

export function parseHeartbeatRequest(body: unknown): HeartbeatMessage {
  const o = object(body, '$');
  return { hostInfo: hostInfo(o['hostInfo'], 'hostInfo'), timestamp: int(o['timestamp'], 'timestamp') };
}

export function renderHeartbeatRequest(m: HeartbeatMessage): Json {
  return { hostInfo: m.hostInfo, timestamp: m.timestamp };
}

/** Body of a successful /heartbeat or /lag. */
export function renderOkResponse(): { ok: true } {
  return { ...OK };
}

export function parseOkResponse(body: unknown): true {
  const o = object(body, '$');
  if (o['ok'] !== true) throw new WireFormatError('ok', 'true', o['ok']);
  return true;
}

// ---- POST /lag ----

function parsePartitionLag(v: unknown, path: string): PartitionLag {
  const o = object(v, path);
  const current = int(o['currentOffsetPosition'], `${path}.currentOffsetPosition`);
  const end = int(o['endOffsetPosition'], `${path}.endOffsetPosition`);
  const offsetLag = int(o['offsetLag'], `${path}.offsetLag`);
  const timeLagMs = optionalInt(o['timeLagMs'], `${path}.timeLagMs`);
  const inputOffsetLag = optionalInt(o['inputOffsetLag'], `${path}.inputOffsetLag`);
  const inputTimeLagMs = optionalInt(o['inputTimeLagMs'], `${path}.inputTimeLagMs`);
  return {
    currentOffsetPosition: current,
    endOffsetPosition: end,
    offsetLag,
    ...(timeLagMs !== undefined ? { timeLagMs } : {}),
    ...(inputOffsetLag !== undefined ? { inputOffsetLag } : {}),
    ...(inputTimeLagMs !== undefined ? { inputTimeLagMs } : {}),
  };
}

function parseHostStoreLags(v: unknown, path: string): { stores: StateStoreLags; updateTimeMs: number } {
  const o = object(v, path);
  const lagsPath = `${path}.stateStoreLags`;
  const stores = new Map<string, Map<number, PartitionLag>>();
  for (const [store, s] of Object.entries(object(o['stateStoreLags'], lagsPath))) {
    const storePath = key(lagsPath, store);
    if (!/^[^#]+#.+$/.test(store)) throw new WireFormatError(storePath, 'keyed by "<queryId>#<storeName>"', store);
    const so = object(s, storePath);
    if (so['size'] !== undefined) int(so['size'], `${storePath}.size`);
    const byPartitionPath = `${storePath}.lagByPartition`;
    const partitions = new Map<number, PartitionLag>();
    for (const [p, lag] of Object.entries(object(so['lagByPartition'], byPartitionPath))) {
      const partitionPath = key(byPartitionPath, p);
      if (!/^(0|[1-9]\d{0,9})$/.test(p)) throw new WireFormatError(partitionPath, 'keyed by a partition number', p);
      partitions.set(Number(p), parsePartitionLag(lag, partitionPath));
    }
    stores.set(store, partitions);
  }
  return { stores, updateTimeMs: int(o['updateTimeMs'], `${path}.updateTimeMs`) };
}

export function parseLagReportRequest(body: unknown): HostLagReport {
  const o = object(body, '$');
  const host = hostInfo(o['ksqlHost'], 'ksqlHost');
  const { stores, updateTimeMs } = parseHostStoreLags(o['hostStoreLags'], 'hostStoreLags');
  return { host, updateTimeMs, stores };
}

function renderPartitionLag(l: PartitionLag): Json {
  return {
    currentOffsetPosition: l.currentOffsetPosition,
    endOffsetPosition: l.endOffsetPosition,
    offsetLag: l.offsetLag,
    ...(l.timeLagMs !== undefined ? { timeLagMs: l.timeLagMs } : {}),
    ...(l.inputOffsetLag !== undefined ? { inputOffsetLag: l.inputOffsetLag } : {}),
    ...(l.inputTimeLagMs !== undefined ? { inputTimeLagMs: l.inputTimeLagMs } : {}),
  };
}

function renderHostStoreLags(stores: StateStoreLags, updateTimeMs: number): Json {
  const stateStoreLags: Json = {};
  for (const [store, partitions] of [...stores].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const lagByPartition: Json = {};
    for (const [p, lag] of [...partitions].sort(([a], [b]) => a - b)) lagByPartition[String(p)] = renderPartitionLag(lag);
    stateStoreLags[store] = { lagByPartition, size: partitions.size };
  }
  return { stateStoreLags, updateTimeMs };
}

export function renderLagReportRequest(r: HostLagReport): Json {
  return { ksqlHost: r.host, hostStoreLags: renderHostStoreLags(r.stores, r.updateTimeMs) };
}

// ---- GET /clusterStatus ----

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

export interface ActiveStandbyEntity {
  readonly activeStores: readonly string[];
  readonly activePartitions: readonly TopicPartition[];
  readonly standByStores: readonly string[];
  readonly standByPartitions: readonly TopicPartition[];
}

export interface HostClusterStatus {
  readonly hostAlive: boolean;
  readonly lastStatusUpdateMs: number;
  /** Query id -> what this host runs for it. */
  readonly activeStandbyPerQuery: ReadonlyMap<string, ActiveStandbyEntity>;
  readonly hostStoreLags: { readonly stores: StateStoreLags; readonly updateTimeMs: number };
}

/** host:port -> status. */
export type ClusterStatus = ReadonlyMap<string, HostClusterStatus>;

function parseTopicPartitions(v: unknown, path: string): TopicPartition[] {
  if (!Array.isArray(v)) throw new WireFormatError(path, 'an array of {"topic","partition"}', v);
  return v.map((tp, i) => {
    const o = object(tp, `${path}[${i}]`);
    return { topic: string(o['topic'], `${path}[${i}].topic`), partition: int(o['partition'], `${path}[${i}].partition`) };
  });
}

export function parseClusterStatusResponse(body: unknown): ClusterStatus {
  const root = object(object(body, '$')['clusterStatus'], 'clusterStatus');
  const out = new Map<string, HostClusterStatus>();
  for (const [host, s] of Object.entries(root)) {
    const path = key('clusterStatus', host);
    hostInfo(host, path);
    const o = object(s, path);
    const perQueryPath = `${path}.activeStandbyPerQuery`;
    const perQuery = new Map<string, ActiveStandbyEntity>();
    for (const [queryId, e] of Object.entries(object(o['activeStandbyPerQuery'], perQueryPath))) {
      const qp = key(perQueryPath, queryId);
      const eo = object(e, qp);
      perQuery.set(queryId, {
        activeStores: strings(eo['activeStores'], `${qp}.activeStores`),
        activePartitions: parseTopicPartitions(eo['activePartitions'], `${qp}.activePartitions`),
        standByStores: strings(eo['standByStores'], `${qp}.standByStores`),
        standByPartitions: parseTopicPartitions(eo['standByPartitions'], `${qp}.standByPartitions`),
      });
    }
    out.set(host, {
      hostAlive: bool(o['hostAlive'], `${path}.hostAlive`),
      lastStatusUpdateMs: int(o['lastStatusUpdateMs'], `${path}.lastStatusUpdateMs`),
      activeStandbyPerQuery: perQuery,
      hostStoreLags: parseHostStoreLags(o['hostStoreLags'], `${path}.hostStoreLags`),
    });
  }
  return out;
}

export function renderClusterStatusResponse(status: ClusterStatus): Json {
  const clusterStatus: Json = {};
  for (const [host, s] of [...status].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const perQuery: Json = {};
    for (const [queryId, e] of [...s.activeStandbyPerQuery].sort(([a], [b]) => (a < b ? -1 : 1))) {
      perQuery[queryId] = {
        activeStores: [...e.activeStores],
        activePartitions: e.activePartitions.map((tp) => ({ topic: tp.topic, partition: tp.partition })),
        standByStores: [...e.standByStores],
        standByPartitions: e.standByPartitions.map((tp) => ({ topic: tp.topic, partition: tp.partition })),
      };
    }
    clusterStatus[host] = {
      hostAlive: s.hostAlive,
      lastStatusUpdateMs: s.lastStatusUpdateMs,
      activeStandbyPerQuery: perQuery,
      hostStoreLags: renderHostStoreLags(s.hostStoreLags.stores, s.hostStoreLags.updateTimeMs),
    };
  }
  return { clusterStatus };
}
