// Which peers are alive, decided from heartbeats on the receiver's own clock (ksqlDB's HeartbeatAgent
// rule with receipt times instead of the sender's timestamps, so clock skew kills nobody), plus
// pruning of members silent for longer than a TTL. No timers here: callers pass `now`.

export interface LivenessConfig {
  /** This server (host:port); always alive, never pruned. */
  readonly localHost: string;
  /** `ksql.heartbeat.send.interval.ms` (100): the cadence peers send at. */
  readonly sendIntervalMs: number;
  /** `ksql.heartbeat.check.interval.ms` (200): how often `check` is meant to run. */
  readonly checkIntervalMs: number;
  /** `ksql.heartbeat.missed.threshold.ms` (3, a count despite its name): consecutive misses that mean dead. */
  readonly missedThreshold: number;
  /** `ksql.heartbeat.window.ms` (2000): only heartbeats this recent count. */
  readonly windowMs: number;
  /** A member silent this long is forgotten (ksqlDB never forgets). */
  readonly deadMemberTtlMs: number;
}

export const DEFAULT_LIVENESS: Omit<LivenessConfig, 'localHost'> = {
  sendIntervalMs: 100,
  checkIntervalMs: 200,
  missedThreshold: 3,
  windowMs: 2000,
  deadMemberTtlMs: 10 * 60_000,
};

export interface HostStatus {
  readonly host: string;
  readonly hostAlive: boolean;
  /** Receiver time of the check that decided `hostAlive` (ksqlDB's lastStatusUpdateMs). */
  readonly lastStatusUpdateMs: number;
  /** Receiver time of the newest heartbeat, undefined if none arrived yet. */
  readonly lastHeartbeatReceivedMs: number | undefined;
  /** The sender's own timestamp in its newest heartbeat: informational only, never used to decide. */
  readonly lastSenderTimestampMs: number | undefined;
}

interface Peer {
  /** Receipt times inside the window, ascending. */
  received: number[];
  firstSeenMs: number;
  lastReceivedMs: number | undefined;
  lastSenderTimestampMs: number | undefined;
  status: { alive: boolean; atMs: number };
  /** When a failed call last found it unreachable (markUnreachable). */
  markedUnreachableMs?: number;
}

/**
 * The receiver's view of the cluster. A host becomes known by a heartbeat or by `addHost` (discovery
 * through group membership); a known host with no heartbeat in the window is dead.
 */
export class MembershipView {
  readonly config: LivenessConfig;
  readonly #peers = new Map<string, Peer>();

  constructor(config: Partial<LivenessConfig> & { localHost: string }) {
    this.config = { ...DEFAULT_LIVENESS, ...config };
  }

  /** Makes `host` known without a heartbeat (it is dead until one arrives). */
  addHost(host: string, now: number): void {
    if (host === this.config.localHost || this.#peers.has(host)) return;
    this.#peers.set(host, { received: [], firstSeenMs: now, lastReceivedMs: undefined, lastSenderTimestampMs: undefined, status: { alive: false, atMs: now } });
  }

  /** Records a heartbeat from `host` received at `receivedAt` (this server's clock). */
  onHeartbeat(host: string, receivedAt: number, senderTimestampMs?: number): void {
    if (host === this.config.localHost) return;
    this.addHost(host, receivedAt);
    const peer = this.#peers.get(host)!;
    const r = peer.received;
    // Receipts arrive in order almost always; keep the list sorted when they do not.
    let i = r.length;
    while (i > 0 && r[i - 1]! > receivedAt) i--;
    r.splice(i, 0, receivedAt);
    this.#trim(peer, receivedAt);
    if (peer.lastReceivedMs === undefined || receivedAt >= peer.lastReceivedMs) {
      peer.lastReceivedMs = receivedAt;
      if (senderTimestampMs !== undefined) peer.lastSenderTimestampMs = senderTimestampMs;
    }
  }

  /**
   * ksqlDB's rule over the window (now - windowMs, now]: dead with no heartbeat in the window, or
   * once `missedThreshold` whole send intervals have passed since the newest one. (ksqlDB's loop
   * also counts gaps between earlier heartbeats, but each later gap overwrites that count, so only
   * the gap since the newest heartbeat ever decides.)
   */
  isAlive(host: string, now: number): boolean {
    if (host === this.config.localHost) return true;
    const peer = this.#peers.get(host);
    if (!peer) return false;
    const { sendIntervalMs, windowMs, missedThreshold } = this.config;
    let newest: number | undefined;
    for (const t of peer.received) if (t > now - windowMs && t <= now) newest = t;
    if (newest === undefined) return false;
    const missed = Math.floor((now - newest - 1) / sendIntervalMs);
    return missed < missedThreshold;
  }

  /** Re-decides every known host at `now` (run every checkIntervalMs); returns the hosts whose state changed. */
  check(now: number): { host: string; alive: boolean }[] {
    const changed: { host: string; alive: boolean }[] = [];
    for (const [host, peer] of this.#peers) {
      this.#trim(peer, now);
      const alive = this.isAlive(host, now);
      if (alive !== peer.status.alive) changed.push({ host, alive });
      peer.status = { alive, atMs: now };
    }
    return changed;
  }

  /** The status decided by the last `check` (what routing and /clusterStatus report). */
  status(host: string, now: number): HostStatus | undefined {
    if (host === this.config.localHost) {
      return { host, hostAlive: true, lastStatusUpdateMs: now, lastHeartbeatReceivedMs: now, lastSenderTimestampMs: now };
    }
    const peer = this.#peers.get(host);
    if (!peer) return undefined;
    return {
      host,
      hostAlive: peer.status.alive,
      lastStatusUpdateMs: peer.status.atMs,
      lastHeartbeatReceivedMs: peer.lastReceivedMs,
      lastSenderTimestampMs: peer.lastSenderTimestampMs,
    };
  }

  /** Every known host, this one included, sorted. */
  hosts(): string[] {
    return [this.config.localHost, ...this.#peers.keys()].sort();
  }

  /** Hosts believed alive at the last check (this one included): where heartbeats and lag reports go. */
  aliveHosts(): string[] {
    return this.hosts().filter((h) => h === this.config.localHost || this.#peers.get(h)!.status.alive);
  }

  /**
   * A call to `host` just failed at the connection level (refused, reset, unreachable): it is dead
   * at once, without waiting for the missed heartbeats, and stays dead until a heartbeat arrives
   * after `now` (the heartbeats already received are forgotten). Returns whether it was alive.
   */
  markUnreachable(host: string, now: number): boolean {
    const peer = this.#peers.get(host);
    if (!peer) return false;
    const wasAlive = peer.status.alive;
    peer.received = peer.received.filter((t) => t > now);
    peer.status = { alive: false, atMs: now };
    peer.markedUnreachableMs = now;
    return wasAlive;
  }

  /** Whether `host` has been found unreachable by a failed call since it last sent a heartbeat. */
  markedUnreachable(host: string): boolean {
    const peer = this.#peers.get(host);
    return peer?.markedUnreachableMs !== undefined && (peer.lastReceivedMs === undefined || peer.lastReceivedMs <= peer.markedUnreachableMs);
  }

  /** Forgets hosts silent for `deadMemberTtlMs` (counted from first sight if none ever spoke); returns them. */
  prune(now: number): string[] {
    const removed: string[] = [];
    for (const [host, peer] of this.#peers) {
      const lastHeard = peer.lastReceivedMs ?? peer.firstSeenMs;
      if (now - lastHeard >= this.config.deadMemberTtlMs) {
        this.#peers.delete(host);
        removed.push(host);
      }
    }
    return removed.sort();
  }

  /** Forgets a host at once (it left the group cleanly). */
  removeHost(host: string): void {
    this.#peers.delete(host);
  }

  #trim(peer: Peer, now: number): void {
    const windowStart = now - this.config.windowMs;
    let drop = 0;
    while (drop < peer.received.length && peer.received[drop]! < windowStart) drop++;
    if (drop > 0) peer.received.splice(0, drop);
  }
}
