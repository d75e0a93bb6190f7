// Cluster membership on Kafka's group coordinator with our own protocol type: JoinGroup/SyncGroup
// (the leader runs assignTasks), Heartbeat at sessionTimeout/6, LeaveGroup on clean shutdown. The
// broker's generations fence a member that was cut off; this client then stops acting as active.
import { findErrorBy } from '@platformatic/kafka';
import type { ReplicaLag } from './assignment.ts';
import { type MemberTasks, tasksOfMember } from './assignment.ts';
import {
  decodeGroupAssignment,
  decodeMemberMetadata,
  encodeGroupAssignment,
  encodeMemberMetadata,
  type GroupAssignment,
  leaderAssignment,
  RIFFLE_ASSIGNMENT_PROTOCOL,
  RIFFLE_PROTOCOL_TYPE,
} from './group-messages.ts';
import { RawKafkaClient } from '../log/kafka/client.ts';
import { isNetworkError } from '../log/kafka/errors.ts';

export interface GroupMembershipOptions {
  readonly bootstrapServers: string;
  /** One group per service id (see membershipGroupId). */
  readonly groupId: string;
  /** This server's advertised listener (host:port): its identity in assignments. */
  readonly host: string;
  /** A crashed member is detected within this (the broker allows >= group.min.session.timeout.ms). */
  readonly sessionTimeoutMs?: number;
  /** How long the coordinator waits for every member to rejoin during a rebalance. */
  readonly rebalanceTimeoutMs?: number;
  /** Default sessionTimeoutMs / 6. Also bounds how fast a clean leave by a peer is noticed. */
  readonly heartbeatIntervalMs?: number;
  /** `ksql.streams.num.standby.replicas`, used when this member leads. */
  readonly numStandbys: number;
  /** Every stateful task this server knows of (it runs every persistent query). */
  readonly tasks: () => readonly string[];
  /** This server's lag per task it holds state for. */
  readonly lags: () => ReadonlyMap<string, ReplicaLag>;
  /** A new assignment for this generation: start/stop/promote tasks accordingly. */
  readonly onAssignment: (assignment: MemberAssignment) => void;
  /** This member lost its generation (evicted, or cut off from the coordinator): stop acting as active now. */
  readonly onFenced?: (reason: string) => void;
  /**
   * A member below its fair share of actives whose standbys or warm-ups have caught up asks for a
   * rebalance at most this often, so the leader can hand it actives (Kafka Streams' probing rebalance).
   */
  readonly probingRebalanceIntervalMs?: number;
  /** Lag under which a replica counts as caught up (Kafka Streams' acceptable.recovery.lag). */
  readonly acceptableRecoveryLag?: number;
  readonly log?: (message: string) => void;
  readonly clientId?: string;
}

export interface MemberAssignment extends GroupAssignment {
  readonly memberId: string;
  readonly isLeader: boolean;
  /** This server's share. */
  readonly mine: MemberTasks;
}

const REJOIN = ['REBALANCE_IN_PROGRESS'];
const FENCED = ['ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID', 'FENCED_INSTANCE_ID'];
const COORDINATOR_MOVED = ['NOT_COORDINATOR', 'COORDINATOR_NOT_AVAILABLE', 'COORDINATOR_LOAD_IN_PROGRESS'];

/** The Kafka protocol error id (e.g. REBALANCE_IN_PROGRESS) inside a client error, if any. */
function protocolError(error: unknown): { apiId: string; memberId?: string } | undefined {
  const e = findErrorBy(error as Error, 'code', 'PLT_KFK_PROTOCOL') as unknown as { apiId?: string; memberId?: string } | null;
  return e?.apiId ? { apiId: e.apiId, ...(e.memberId ? { memberId: e.memberId } : {}) } : undefined;
}

/**
 * One server's membership. `start()` resolves with the first assignment; afterwards rebalances,
 * fencing and coordinator moves are handled in the background until `close()` (which leaves the
 * group at once) or `abandon()` (which just goes silent, as a crash would).
 */
export class GroupMembership {
  readonly options: GroupMembershipOptions;
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly rebalanceTimeoutMs: number;
  // JoinGroup blocks for a whole rebalance, so it gets its own connection: heartbeats and the
  // LeaveGroup of close() must never queue behind it.
  readonly #joinClient: RawKafkaClient;
  readonly #controlClient: RawKafkaClient;
  #memberId = '';
  #generation = -1;
  #current: MemberAssignment | undefined;
  #stopped = false;
  #rejoinRequested = false;
  #wake: (() => void) | undefined;
  #loop: Promise<void> | undefined;
  #fenced = false;
  #lastJoinMs = 0;
  #partitionedUntil = 0;

  constructor(options: GroupMembershipOptions) {
    this.options = options;
    this.sessionTimeoutMs = options.sessionTimeoutMs ?? 10_000;
    // A sixth of the session (Kafka's consumers use a third): survivors learn of a rebalance (a
    // member's session expired) within half a second at the 3 s session tests use.
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? Math.floor(this.sessionTimeoutMs / 6);
    this.rebalanceTimeoutMs = options.rebalanceTimeoutMs ?? Math.max(this.sessionTimeoutMs, 5000);
    const brokers = options.bootstrapServers.split(',').map((s) => s.trim());
    const clientId = options.clientId ?? `riffle-membership-${options.host}`;
    this.#joinClient = new RawKafkaClient({ clientId, bootstrapBrokers: brokers, retries: 0, requestTimeout: this.rebalanceTimeoutMs + 5000 });
    this.#controlClient = new RawKafkaClient({ clientId, bootstrapBrokers: brokers, retries: 0, requestTimeout: Math.max(1000, this.heartbeatIntervalMs * 2) });
  }

  get memberId(): string {
    return this.#memberId;
  }

  /** The assignment this member currently acts on; undefined before the first or after being fenced. */
  current(): MemberAssignment | undefined {
    return this.#current;
  }

  /** Joins the group; resolves with the first assignment. */
  start(): Promise<MemberAssignment> {
    if (this.#loop) throw new Error('GroupMembership already started');
    return new Promise((resolve, reject) => {
      let first = true;
      const deliver = this.options.onAssignment;
      const onAssignment = (a: MemberAssignment) => {
        deliver(a);
        if (first) {
          first = false;
          resolve(a);
        }
      };
      this.#loop = this.#run(onAssignment).catch((e: unknown) => {
        if (first) reject(e instanceof Error ? e : new Error(String(e)));
        else this.#log(`membership loop failed: ${String(e)}`);
      });
    });
  }

  /** Asks for a rebalance (e.g. the set of tasks or their lags changed enough to matter). */
  requestRejoin(): void {
    this.#rejoinRequested = true;
    this.#wake?.();
  }

  /**
   * Removes another member that is known to be gone (its process refuses connections) with a
   * LeaveGroup on its behalf, so the group rebalances now rather than after the session timeout.
   * Harmless if it already left: the coordinator answers UNKNOWN_MEMBER_ID.
   */
  async evict(memberId: string, reason: string): Promise<void> {
    if (this.#stopped || memberId === this.#memberId) return;
    try {
      const coordinator = await this.#controlClient.coordinator(this.options.groupId);
      await this.#controlClient.call('LeaveGroup', coordinator, this.options.groupId, [{ memberId, groupInstanceId: null, reason }]);
      this.#log(`membership: evicted ${memberId} (${reason})`);
    } catch (e) {
      this.#log(`membership: evicting ${memberId} failed (the session timeout will remove it): ${String(e)}`);
    }
  }

  /** Clean shutdown: LeaveGroup at once, so the others rebalance without waiting for the session timeout. */
  async close(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#wake?.();
    const memberId = this.#memberId;
    if (memberId) {
      try {
        const coordinator = await this.#controlClient.coordinator(this.options.groupId);
        await this.#controlClient.call('LeaveGroup', coordinator, this.options.groupId, [{ memberId, groupInstanceId: null, reason: 'clean shutdown' }]);
      } catch (e) {
        this.#log(`LeaveGroup failed (the session timeout will remove us): ${String(e)}`);
      }
    }
    await this.#shutdown();
  }

  /**
   * Tests: behave as if cut off from Kafka for `ms` (heartbeats not sent, the process still running),
   * as a network partition or a long pause would.
   */
  simulatePartition(ms: number): void {
    this.#partitionedUntil = Date.now() + ms;
  }

  /** Stops without leaving, as a crash would: the group notices only when the session times out. */
  async abandon(): Promise<void> {
    this.#stopped = true;
    this.#wake?.();
    await this.#shutdown();
  }

  async #shutdown(): Promise<void> {
    this.#current = undefined;
    await Promise.allSettled([this.#joinClient.close(), this.#controlClient.close()]);
    await this.#loop?.catch(() => {});
  }

  async #run(onAssignment: (a: MemberAssignment) => void): Promise<void> {
    let failures = 0;
    while (!this.#stopped) {
      try {
        const assignment = await this.#joinAndSync();
        if (!assignment) continue;
        failures = 0;
        this.#fenced = false;
        this.#current = assignment;
        onAssignment(assignment);
        await this.#heartbeatUntilRejoin();
      } catch (e) {
        if (this.#stopped) return;
        failures++;
        // Until the first assignment an unreachable cluster is an error for start(), not a retry loop.
        if (this.#current === undefined && !this.#fenced && failures >= 3 && isNetworkError(e)) throw e;
        this.#log(`membership: ${String(e)}; retrying`);
        await this.#sleep(Math.min(100 * 2 ** failures, 2000));
      }
    }
  }

  /** One JoinGroup + SyncGroup round; undefined means "go round again" (handshake, rebalance, fencing). */
  async #joinAndSync(): Promise<MemberAssignment | undefined> {
    const { groupId, host } = this.options;
    this.#rejoinRequested = false;
    this.#lastJoinMs = Date.now();
    if (Date.now() < this.#partitionedUntil) throw new Error('simulated partition from Kafka');
    const coordinator = await this.#joinClient.coordinator(groupId);
    const lags = Object.fromEntries(this.options.lags());
    const owned = this.#current?.mine ?? { active: [], standby: [], warmup: [] };
    const metadata = encodeMemberMetadata({ version: 1, host, generation: this.#generation, owned, lags, tasks: [...this.options.tasks()] });
    let join: { generationId: number; leader: string; memberId: string; members: { memberId: string; metadata: Buffer }[] };
    try {
      join = await this.#joinClient.call('JoinGroup', coordinator, groupId, this.sessionTimeoutMs, this.rebalanceTimeoutMs, this.#memberId, null, RIFFLE_PROTOCOL_TYPE, [
        { name: RIFFLE_ASSIGNMENT_PROTOCOL, metadata },
      ], null);
    } catch (e) {
      if (this.#handleGroupError(e, 'JoinGroup')) return undefined;
      throw e;
    }
    this.#memberId = join.memberId;
    this.#generation = join.generationId;
    const isLeader = join.leader === join.memberId;
    this.#log(`membership: JoinGroup done in ${Date.now() - this.#lastJoinMs} ms: generation ${join.generationId}, ${join.members.length > 0 ? `leader of ${join.members.length}` : 'follower'}`);
    let assignments: { memberId: string; assignment: Buffer }[] = [];
    if (isLeader) {
      const members = join.members.map((m) => ({ memberId: m.memberId, metadata: decodeMemberMetadata(m.metadata) }));
      const decided = leaderAssignment({ generation: join.generationId, leaderHost: host, members, numStandbys: this.options.numStandbys });
      const bytes = encodeGroupAssignment(decided);
      assignments = members.map((m) => ({ memberId: m.memberId, assignment: bytes }));
    }
    let sync: { assignment: Buffer };
    try {
      sync = await this.#joinClient.call('SyncGroup', coordinator, groupId, join.generationId, join.memberId, null, RIFFLE_PROTOCOL_TYPE, RIFFLE_ASSIGNMENT_PROTOCOL, assignments);
    } catch (e) {
      if (this.#handleGroupError(e, 'SyncGroup')) return undefined;
      throw e;
    }
    const group = decodeGroupAssignment(sync.assignment);
    return { ...group, memberId: join.memberId, isLeader, mine: tasksOfMember(group.assignment, host) };
  }

  /** Reacts to a group error; true when the caller should simply join again. */
  #handleGroupError(e: unknown, api: string): boolean {
    const error = protocolError(e);
    if (!error) return false;
    if (error.apiId === 'MEMBER_ID_REQUIRED' && error.memberId) {
      this.#memberId = error.memberId; // the normal first-join handshake (JoinGroup v4+)
      return true;
    }
    if (REJOIN.includes(error.apiId)) return true;
    if (FENCED.includes(error.apiId)) {
      if (error.apiId !== 'ILLEGAL_GENERATION') this.#memberId = '';
      this.#fence(`${api} answered ${error.apiId}`);
      return true;
    }
    if (COORDINATOR_MOVED.includes(error.apiId)) {
      this.#joinClient.forgetCoordinator(this.options.groupId);
      this.#controlClient.forgetCoordinator(this.options.groupId);
      return false; // retried after a backoff by the loop
    }
    return false;
  }

  #fence(reason: string): void {
    if (this.#current === undefined && this.#fenced) return;
    this.#log(`membership: fenced (${reason}); no longer acting on generation ${this.#current?.generation}`);
    this.#current = undefined;
    this.#fenced = true;
    this.options.onFenced?.(reason);
  }

  /** Heartbeats until the group rebalances, this member is fenced, a rejoin is requested or we stop. */
  async #heartbeatUntilRejoin(): Promise<void> {
    const { groupId } = this.options;
    // Send time of the newest acknowledged heartbeat: the broker saw us no earlier than this.
    let lastAcknowledgedSend = Date.now();
    while (!this.#stopped && !this.#rejoinRequested) {
      await this.#sleep(this.heartbeatIntervalMs);
      if (this.#stopped || this.#rejoinRequested) return;
      // Fence ourselves one heartbeat interval before the broker can evict us, so that a peer never
      // takes over our actives while we still act on them.
      const silentMs = Date.now() - lastAcknowledgedSend;
      if (silentMs >= this.sessionTimeoutMs - this.heartbeatIntervalMs) {
        this.#fence(`no heartbeat acknowledged for ${silentMs} ms`);
        return;
      }
      if (this.#wantsProbe()) {
        this.#log('membership: caught-up replicas while below a fair share of actives; asking for a rebalance');
        return;
      }
      const sentAt = Date.now();
      try {
        if (sentAt < this.#partitionedUntil) throw new Error('simulated partition from Kafka');
        const coordinator = await this.#controlClient.coordinator(groupId);
        await this.#controlClient.call('Heartbeat', coordinator, groupId, this.#generation, this.#memberId, null);
        lastAcknowledgedSend = sentAt;
      } catch (e) {
        if (this.#stopped) return;
        const error = protocolError(e);
        if (error && REJOIN.includes(error.apiId)) {
          this.#log('membership: the group is rebalancing; rejoining');
          return; // keep serving the current assignment meanwhile
        }
        if (error && FENCED.includes(error.apiId)) {
          if (error.apiId !== 'ILLEGAL_GENERATION') this.#memberId = '';
          this.#fence(`Heartbeat answered ${error.apiId}`);
          return;
        }
        if (error && COORDINATOR_MOVED.includes(error.apiId)) this.#controlClient.forgetCoordinator(groupId);
      }
    }
  }

  #wantsProbe(): boolean {
    const current = this.#current;
    if (!current || Date.now() - this.#lastJoinMs < (this.options.probingRebalanceIntervalMs ?? 10_000)) return false;
    const hosts = new Set(current.members.map((m) => m.host)).size;
    const fairShare = Math.floor(Object.keys(current.assignment.tasks).length / Math.max(1, hosts));
    if (current.mine.active.length >= fairShare) return false;
    const lags = this.options.lags();
    const bound = this.options.acceptableRecoveryLag ?? 10_000;
    return [...current.mine.warmup, ...current.mine.standby].some((t) => {
      const lag = lags.get(t);
      return lag !== undefined && lag.offsetLag <= bound && current.assignment.tasks[t]?.active !== this.options.host;
    });
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
  }

  #log(message: string): void {
    this.options.log?.(message);
  }
}
