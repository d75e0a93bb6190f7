// The one switch: `riffle.ha.enable=true` turns on standbys, standby reads, heartbeats and lag
// reporting with good defaults; any ksqlDB key set explicitly still wins. Pure: reads settings
// through a lookup that returns only explicitly set values.

export const HA_SWITCH = 'riffle.ha.enable';

export interface HaSettings {
  readonly numStandbyReplicas: number;
  readonly enableStandbyReads: boolean;
  readonly heartbeatEnable: boolean;
  readonly heartbeatSendIntervalMs: number;
  readonly heartbeatCheckIntervalMs: number;
  readonly heartbeatWindowMs: number;
  readonly heartbeatMissedThreshold: number;
  readonly lagReportingEnable: boolean;
  readonly lagReportingSendIntervalMs: number;
  /** Group session timeout: how fast a crashed server's tasks move. */
  readonly sessionTimeoutMs: number;
  /** Members silent this long are forgotten by /clusterStatus and routing. */
  readonly deadMemberTtlMs: number;
  /** Remove a crashed member (its server refuses connections) from the group at once. */
  readonly evictRefusedMembers: boolean;
  /** Explanations of adjustments made so that the settings work together. */
  readonly notes: readonly string[];
}

/** Values with the switch off are ksqlDB's defaults; with it on, ours (one server crash costs ~seconds). */
const OFF = { standbys: 0, standbyReads: false, heartbeat: false, lag: false, lagIntervalMs: 5000, sessionTimeoutMs: 45_000 };
const ON = { standbys: 1, standbyReads: true, heartbeat: true, lag: true, lagIntervalMs: 1000, sessionTimeoutMs: 6000 };

export const SESSION_TIMEOUT_KEY = 'riffle.cluster.session.timeout.ms';
export const DEAD_MEMBER_TTL_KEY = 'riffle.cluster.dead.member.ttl.ms';
export const EVICT_REFUSED_KEY = 'riffle.cluster.evict.refused.members';

function asBool(key: string, v: string): boolean {
  const s = v.trim().toLowerCase();
  if (s === 'true') return true;
  if (s === 'false') return false;
  throw new Error(`${key} must be true or false, got '${v}'`);
}

function asInt(key: string, v: string, min: number): number {
  const n = Number(v.trim());
  if (!Number.isSafeInteger(n) || n < min) throw new Error(`${key} must be an integer >= ${min}, got '${v}'`);
  return n;
}

export function resolveHaSettings(explicit: (key: string) => string | undefined): HaSettings {
  const on = explicit(HA_SWITCH) !== undefined && asBool(HA_SWITCH, explicit(HA_SWITCH)!);
  const d = on ? ON : OFF;
  const bool = (key: string, fallback: boolean) => (explicit(key) === undefined ? fallback : asBool(key, explicit(key)!));
  const int = (key: string, fallback: number, min = 1) => (explicit(key) === undefined ? fallback : asInt(key, explicit(key)!, min));
  const notes: string[] = [];

  let heartbeatEnable = bool('ksql.heartbeat.enable', d.heartbeat);
  const lagReportingEnable = bool('ksql.lag.reporting.enable', d.lag);
  // ksqlDB silently drops lag reports without heartbeats (they go only to hosts known alive).
  if (lagReportingEnable && !heartbeatEnable && explicit('ksql.heartbeat.enable') === undefined) {
    heartbeatEnable = true;
    notes.push('ksql.heartbeat.enable turned on because ksql.lag.reporting.enable needs it');
  } else if (lagReportingEnable && !heartbeatEnable) {
    notes.push('ksql.lag.reporting.enable has no effect while ksql.heartbeat.enable=false');
  }
  const heartbeatSendIntervalMs = int('ksql.heartbeat.send.interval.ms', 100);
  return {
    numStandbyReplicas: int('ksql.streams.num.standby.replicas', d.standbys, 0),
    enableStandbyReads: bool('ksql.query.pull.enable.standby.reads', d.standbyReads),
    heartbeatEnable,
    heartbeatSendIntervalMs,
    heartbeatCheckIntervalMs: int('ksql.heartbeat.check.interval.ms', 200),
    heartbeatWindowMs: int('ksql.heartbeat.window.ms', 2000),
    heartbeatMissedThreshold: int('ksql.heartbeat.missed.threshold.ms', 3),
    lagReportingEnable,
    lagReportingSendIntervalMs: int('ksql.lag.reporting.send.interval.ms', d.lagIntervalMs),
    sessionTimeoutMs: int(SESSION_TIMEOUT_KEY, d.sessionTimeoutMs, 2000),
    deadMemberTtlMs: int(DEAD_MEMBER_TTL_KEY, 10 * 60_000),
    evictRefusedMembers: bool(EVICT_REFUSED_KEY, true),
    notes,
  };
}
