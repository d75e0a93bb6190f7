// One server's membership in an HA cluster: joins the Kafka group, applies each assignment to every
// query runner (active / standby / none), exchanges heartbeats and lag reports with its peers,
// removes a crashed peer from the group as soon as its server refuses connections, and answers
// /heartbeat, /lag and /clusterStatus with the same liveness routing uses. Pull-query routing
// lives in pull-router.ts.
import type { Engine } from '../engine/engine.ts';
import type { TaskRole } from '../engine/query-runner.ts';
import type { ReplicaLag } from './assignment.ts';
import { GroupMembership, type MemberAssignment } from './group-protocol.ts';
import { membershipGroupId } from './group-messages.ts';
import type { HaSettings } from './ha-settings.ts';
import { emptyLagTable, type HostLagReport, type LagTable, mergeLagReport, parseStoreId, pruneLagTable, replicaFreshness, type ReplicaFreshness, storeId } from './lag.ts';
import { MembershipView } from './liveness.ts';
import { LocalLags } from './local-lags.ts';
import { postJson } from './peer-client.ts';
import { type PartitionState, watchPartitionFile } from './test-partition.ts';
import { classifyPullFailure, type ReplicaRole } from './routing.ts';
import { type ActiveStandbyEntity, type ClusterStatus, parseHeartbeatRequest, parseLagReportRequest, renderClusterStatusResponse, renderHeartbeatRequest, renderLagReportRequest } from './wire.ts';

export interface ClusterNodeOptions {
  readonly engine: Engine;
  /** This server's advertised host:port. */
  readonly host: string;
  readonly bootstrapServers: string;
  readonly serviceId: string;
  readonly ha: HaSettings;
  readonly log?: (message: string) => void;
}

/** Roles before the node exists or before the first assignment: nothing runs until the group says so. */
export class TaskRoles {
  node: ClusterNode | undefined;
  readonly roleOf = (taskId: string): TaskRole => this.node?.roleOf(taskId) ?? 'none';
}

export class ClusterNode {
  readonly o: ClusterNodeOptions;
  readonly host: string;
  readonly view: MembershipView;
  readonly membership: GroupMembership;
  #lags: LagTable = emptyLagTable;
  #localLags: LocalLags;
  #taskLags: ReadonlyMap<string, ReplicaLag> = new Map();
  /** The newest assignment received (kept after fencing, for routing). */
  #assignment: MemberAssignment | undefined;
  #fenced = false;
  /** Group member id per host, from the newest assignment. */
  #memberOf = new Map<string, string>();
  /** Member ids whose process has heartbeated us since joining (so it was listening), and those evicted. */
  readonly #heardMembers = new Set<string>();
  readonly #evicted = new Set<string>();
  #timers: NodeJS.Timeout[] = [];
  #applying: Promise<void> = Promise.resolve();
  #lastRejoinMs = 0;
  #stopped = false;
  #startedAt = Date.now();
  /** Test hook (test-partition.ts): cut off from peers and/or Kafka. */
  readonly #partition: { state: PartitionState; stop: () => void };

  constructor(o: ClusterNodeOptions) {
    this.o = o;
    this.host = o.host;
    this.#localLags = new LocalLags(o.host);
    this.view = new MembershipView({
      localHost: o.host, sendIntervalMs: o.ha.heartbeatSendIntervalMs, checkIntervalMs: o.ha.heartbeatCheckIntervalMs,
      missedThreshold: o.ha.heartbeatMissedThreshold, windowMs: o.ha.heartbeatWindowMs, deadMemberTtlMs: o.ha.deadMemberTtlMs,
    });
    this.membership = new GroupMembership({
      bootstrapServers: o.bootstrapServers, groupId: membershipGroupId(o.serviceId), host: o.host,
      sessionTimeoutMs: o.ha.sessionTimeoutMs, numStandbys: o.ha.numStandbyReplicas,
      tasks: () => this.allTaskIds(), lags: () => this.#taskLags,
      onAssignment: (a) => this.#onAssignment(a),
      onFenced: (reason) => this.#onFenced(reason),
      log: (m) => this.#log(m),
    });
    this.#partition = watchPartitionFile((st) => {
      this.#log(`test partition: peers ${st.peers ? 'cut off' : 'reachable'}, kafka ${st.kafka ? 'cut off' : 'reachable'}${st.freeze ? ', standbys frozen' : ''}${st.refuse ? ', refusing forwarded pulls' : ''}`);
      this.membership.simulatePartition(st.kafka ? 24 * 3600_000 : 0);
      for (const runner of this.o.engine.runners.values()) runner.freezeStandbys(st.freeze);
    });
  }

  /** False while a test cuts this server off from its peers: no inter-node calls in or out. */
  get peersReachable(): boolean {
    return !this.#partition.state.peers;
  }

  /** True while a test makes this server refuse forwarded pull queries (it stays alive otherwise). */
  get refusesForwards(): boolean {
    return this.#partition.state.refuse;
  }

  /** Joins the group (resolves with the first assignment applied) and starts the background work. */
  async start(): Promise<void> {
    await this.#refreshLags();
    await this.membership.start();
    await this.#applying;
    this.#startedAt = Date.now();
    const every = (ms: number, f: () => unknown) => {
      const t = setInterval(() => {
        if (!this.#stopped) void Promise.resolve().then(f).catch((e: unknown) => this.#log(`background: ${String(e)}`));
      }, ms);
      t.unref();
      this.#timers.push(t);
    };
    if (this.o.ha.heartbeatEnable) {
      every(this.o.ha.heartbeatSendIntervalMs, () => this.#sendHeartbeats());
      every(this.o.ha.heartbeatCheckIntervalMs, () => {
        const now = Date.now();
        this.view.check(now);
        this.view.prune(now);
      });
    }
    let refreshing = false;
    every(Math.min(500, this.o.ha.lagReportingSendIntervalMs), async () => {
      if (refreshing) return;
      refreshing = true;
      try {
        await this.#refreshLags();
      } finally {
        refreshing = false;
      }
    });
    if (this.o.ha.lagReportingEnable) every(this.o.ha.lagReportingSendIntervalMs, () => this.#sendLags());
    every(500, () => this.#watchTasks());
  }

  /** Stops heartbeats and lag reports (peers see this server die), keeping the group membership. */
  stopBackground(): void {
    this.#stopped = true;
    this.#partition.stop();
    for (const t of this.#timers) clearInterval(t);
    this.#timers = [];
  }

  /** Clean shutdown: leaves the group at once so peers take over without waiting for the session timeout. */
  async close(): Promise<void> {
    this.stopBackground();
    await this.membership.close();
  }

  // ---- roles ----

  allTaskIds(): string[] {
    return [...this.o.engine.runners.values()].flatMap((r) => r.taskIds()).sort();
  }

  roleOf(taskId: string): TaskRole {
    const p = this.#assignment?.assignment.tasks[taskId];
    if (!p) return 'none';
    if (p.active === this.host) return this.#fenced ? 'standby' : 'active';
    if (p.standbys.includes(this.host) || p.warmups.includes(this.host)) return 'standby';
    return 'none';
  }

  /** Every host holding a task, the active first, as routing sees it (a fenced self is no active). */
  replicasOf(taskId: string): { host: string; role: ReplicaRole }[] {
    const p = this.#assignment?.assignment.tasks[taskId];
    if (!p) return [];
    const out: { host: string; role: ReplicaRole }[] = [];
    if (p.active !== undefined) out.push({ host: p.active, role: p.active === this.host && this.#fenced ? 'standby' : 'active' });
    for (const h of [...p.standbys, ...p.warmups]) if (!out.some((r) => r.host === h)) out.push({ host: h, role: 'standby' });
    return out;
  }

  /** Whether this server holds the task's stores right now (assignment applied), and in which role. */
  heldRole(taskId: string): 'active' | 'standby' | undefined {
    const [queryId] = taskId.split('/');
    const runner = this.o.engine.runners.get(queryId ?? '');
    if (!runner) return undefined;
    if (runner.tasks().some((t) => runner.taskId(t) === taskId)) return this.#fenced ? 'standby' : 'active';
    if (runner.standbyTasks().some((t) => runner.taskId(t) === taskId)) return 'standby';
    return undefined;
  }

  get fenced(): boolean {
    return this.#fenced;
  }

  #onAssignment(a: MemberAssignment): void {
    this.#assignment = a;
    this.#fenced = false;
    this.#memberOf = new Map(a.members.map((m) => [m.host, m.memberId]));
    const hosts = new Set(a.members.map((m) => m.host));
    const now = Date.now();
    for (const h of hosts) this.view.addHost(h, now);
    this.#log(`generation ${a.generation}: active ${a.mine.active.length}, standby ${a.mine.standby.length + a.mine.warmup.length} of ${Object.keys(a.assignment.tasks).length} tasks (${[...hosts].join(', ')})`);
    this.#apply();
  }

  #onFenced(reason: string): void {
    this.#fenced = true;
    this.#log(`fenced: ${reason}; active tasks become standbys until the next assignment`);
    this.#apply();
  }

  #apply(): void {
    this.#applying = this.#applying.then(async () => {
      for (const runner of this.o.engine.runners.values()) {
        const changes = await runner.assign((t) => this.roleOf(t)).catch((e: unknown) => {
          this.#log(`assigning ${runner.queryId}: ${String(e)}`);
          return [];
        });
        for (const c of changes) this.#log(`task ${c.taskId}: ${c.from} -> ${c.to} in ${c.ms} ms (queued ${c.waitedMs} ms)`);
      }
    });
  }

  /** A new or dropped query changes the set of tasks: rebalance so it gets placed. */
  #watchTasks(): void {
    const a = this.#assignment;
    if (!a || Date.now() - this.#lastRejoinMs < 2000) return;
    const known = Object.keys(a.assignment.tasks).sort().join(',');
    if (known !== this.allTaskIds().join(',')) {
      this.#lastRejoinMs = Date.now();
      this.#log('the set of tasks changed; asking for a rebalance');
      this.membership.requestRejoin();
    }
    // Runners created since the last assignment start with every task 'none': apply roles to them.
    for (const runner of this.o.engine.runners.values()) {
      const want = runner.taskIds().filter((t) => this.roleOf(t) === 'active').length;
      if (runner.tasks().length !== want && !this.#fenced) this.#apply();
    }
  }

  // ---- heartbeats and lag ----

  onHeartbeat(body: unknown): void {
    const m = parseHeartbeatRequest(body);
    if (!this.peersReachable) return;
    this.view.onHeartbeat(m.hostInfo, Date.now(), m.timestamp);
    const member = this.#memberOf.get(m.hostInfo);
    if (member !== undefined) this.#heardMembers.add(member);
  }

  onLagReport(body: unknown): void {
    const report = parseLagReportRequest(body);
    if (!this.peersReachable) return;
    this.#lags = mergeLagReport(this.#lags, report, Date.now());
  }

  async #sendHeartbeats(): Promise<void> {
    if (!this.peersReachable) return;
    const body = renderHeartbeatRequest({ hostInfo: this.host, timestamp: Date.now() });
    const timeout = Math.max(500, this.o.ha.heartbeatSendIntervalMs * 3);
    const peers = this.view.hosts().filter((h) => h !== this.host);
    const sent = await Promise.allSettled(peers.map((h) => postJson(h, '/heartbeat', body, timeout)));
    sent.forEach((r, i) => {
      if (r.status === 'fulfilled') return;
      const c = classifyPullFailure(r.reason);
      if (c.hostDown) this.hostUnreachable(peers[i]!, c.why);
    });
  }

  async #refreshLags(): Promise<void> {
    const snap = await this.#localLags.snapshot(this.o.engine.runners.values());
    this.#taskLags = snap.taskLags;
    this.#lags = mergeLagReport(this.#lags, snap.report, Date.now());
    const now = Date.now();
    this.#lags = pruneLagTable(this.#lags, now, Math.max(10 * this.o.ha.lagReportingSendIntervalMs, 30_000), (h) => h === this.host || this.view.hosts().includes(h));
  }

  #localReport(): HostLagReport {
    return this.#lags.get(this.host)?.report ?? { host: this.host, updateTimeMs: Date.now(), stores: new Map() };
  }

  async #sendLags(): Promise<void> {
    if (!this.peersReachable) return;
    const body = renderLagReportRequest(this.#localReport());
    const targets = this.o.ha.heartbeatEnable ? this.view.aliveHosts() : this.view.hosts();
    await Promise.allSettled(targets.filter((h) => h !== this.host).map((h) => postJson(h, '/lag', body, 1000)));
  }

  /** Freshness of `host`'s copy of a partition of a query's store, per the newest reports. */
  freshness(queryId: string, store: string, host: string, partition: number, activeHost: string | undefined): ReplicaFreshness | undefined {
    return replicaFreshness(this.#lags, host, storeId(queryId, store), partition, Date.now(), activeHost);
  }

  /**
   * The one liveness answer: routing and /clusterStatus both ask here. Undefined when heartbeats
   * are off or the host is unknown (routing then tries it, as ksqlDB does).
   */
  liveness(host: string): { alive: boolean; asOfMs: number } | undefined {
    if (!this.o.ha.heartbeatEnable) return undefined;
    const now = Date.now();
    const s = this.view.status(host, now);
    if (!s) return undefined;
    // Just started (heartbeats on their way, or a start-up stall delaying them): a peer that looks
    // dead is unknown rather than dead, so a restarted server does not refuse its first queries
    // (a peer that is really down fails the forward, is marked unreachable, and the partition is
    // retried elsewhere).
    if (!s.hostAlive && now - this.#startedAt < 2 * this.o.ha.heartbeatWindowMs && !this.view.markedUnreachable(host)) return undefined;
    return { alive: s.hostAlive, asOfMs: s.lastStatusUpdateMs };
  }

  /**
   * A forward to `host` failed at the connection level: it is dead for routing and /clusterStatus
   * at once, until its next heartbeat, so later queries go around it without trying it first.
   */
  hostUnreachable(host: string, why: string): void {
    if (!this.o.ha.heartbeatEnable || host === this.host) return;
    if (this.view.markUnreachable(host, Date.now())) this.#log(`${host} unreachable (${why}): dead until its next heartbeat`);
    // Refused means no process listens there: a member that was up (it heartbeated us) has crashed.
    // Evicting it now moves its tasks at once instead of after the group session timeout. A member
    // still starting (not listening yet, never heard) is left alone.
    const member = this.#memberOf.get(host);
    if (this.o.ha.evictRefusedMembers && why === 'ECONNREFUSED' && member !== undefined && this.#heardMembers.has(member) && !this.#evicted.has(member)) {
      this.#evicted.add(member);
      void this.membership.evict(member, `${host} refuses connections`);
    }
  }

  // ---- /clusterStatus ----

  clusterStatus(): unknown {
    const now = Date.now();
    const a = this.#assignment;
    const hosts = new Set([...this.view.hosts(), ...(a?.members.map((m) => m.host) ?? [])]);
    const status = new Map<string, { hostAlive: boolean; lastStatusUpdateMs: number; activeStandbyPerQuery: Map<string, ActiveStandbyEntity>; hostStoreLags: { stores: HostLagReport['stores']; updateTimeMs: number } }>();
    for (const host of hosts) {
      const s = this.view.status(host, now);
      const live = this.liveness(host);
      const perQuery = new Map<string, { activeStores: Set<string>; activePartitions: { topic: string; partition: number }[]; standByStores: Set<string>; standByPartitions: { topic: string; partition: number }[] }>();
      for (const [taskId, p] of Object.entries(a?.assignment.tasks ?? {})) {
        const role = p.active === host ? 'active' : p.standbys.includes(host) || p.warmups.includes(host) ? 'standby' : undefined;
        if (!role) continue;
        const [queryId, rest] = taskId.split('/') as [string, string];
        const partition = Number(rest.slice(rest.indexOf('_') + 1));
        const e = perQuery.get(queryId) ?? { activeStores: new Set(), activePartitions: [], standByStores: new Set(), standByPartitions: [] };
        perQuery.set(queryId, e);
        const storesOfTask = this.#storesOfTask(taskId);
        const topics = storesOfTask.length > 0 ? storesOfTask.map((st) => st.topic) : [taskId];
        for (const st of storesOfTask) (role === 'active' ? e.activeStores : e.standByStores).add(st.store);
        for (const topic of topics) (role === 'active' ? e.activePartitions : e.standByPartitions).push({ topic, partition });
      }
      const report = this.#lags.get(host)?.report;
      status.set(host, {
        // What routing believes (a peer in its start-up grace counts as alive there too).
        hostAlive: s && this.o.ha.heartbeatEnable ? (live?.alive ?? true) : (s?.hostAlive ?? host === this.host),
        lastStatusUpdateMs: s?.lastStatusUpdateMs ?? now,
        activeStandbyPerQuery: new Map([...perQuery].map(([q, e]) => [q, { activeStores: [...e.activeStores], activePartitions: e.activePartitions, standByStores: [...e.standByStores], standByPartitions: e.standByPartitions }])),
        hostStoreLags: { stores: report?.stores ?? new Map(), updateTimeMs: report?.updateTimeMs ?? 0 },
      });
    }
    return renderClusterStatusResponse(status as ClusterStatus);
  }

  /** Store names and changelog topics of a task, from the lag reports' store ids. */
  #storesOfTask(taskId: string): { store: string; topic: string }[] {
    const [queryId] = taskId.split('/');
    const out: { store: string; topic: string }[] = [];
    const seen = new Set<string>();
    for (const { report } of this.#lags.values()) {
      for (const id of report.stores.keys()) {
        const { queryId: q, storeName } = parseStoreId(id);
        if (q !== queryId || seen.has(storeName)) continue;
        seen.add(storeName);
        out.push({ store: storeName, topic: `_confluent-ksql-${this.o.serviceId}query_${q}-${storeName}-changelog` });
      }
    }
    return out;
  }

  #log(m: string): void {
    (this.o.log ?? ((s: string) => console.log(`${new Date().toISOString()} riffle cluster ${this.host}: ${s}`)))(m);
  }
}
