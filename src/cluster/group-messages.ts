// What members and the leader tell each other through Kafka's group coordinator (JoinGroup member
// metadata, SyncGroup assignment) and the leader's pure decision from the former to the latter.
// Members are identified by their advertised listener, which survives restarts; Kafka member ids do not.
import { type Assignment, assignTasks, type AssignableTask, type MemberTasks, type ReplicaLag } from './assignment.ts';

/** Kafka `protocolType` of Riffle's membership groups (as Kafka Connect uses `connect`). */
export const RIFFLE_PROTOCOL_TYPE = 'riffle';
/** Name of the one assignment protocol members offer. */
export const RIFFLE_ASSIGNMENT_PROTOCOL = 'riffle-assign-v1';

export function membershipGroupId(serviceId: string): string {
  return `_riffle-${serviceId}-membership`;
}

/** Sent by every member in JoinGroup. */
export interface MemberMetadata {
  readonly version: 1;
  /** Advertised listener (host:port): the member's identity for assignment. */
  readonly host: string;
  /** Generation of the assignment `owned` comes from; -1 before the first. */
  readonly generation: number;
  /** What the member runs now, so a new leader can be sticky without the old leader's memory. */
  readonly owned: MemberTasks;
  /** How far behind the member's local copy of each task's state is. */
  readonly lags: { readonly [taskId: string]: ReplicaLag };
  /** The tasks this member knows of (every server runs every query, but catalogs can lag briefly). */
  readonly tasks: readonly string[];
}

/** Sent by the leader to every member in SyncGroup: the whole cluster's assignment, for routing too. */
export interface GroupAssignment {
  readonly version: 1;
  readonly generation: number;
  readonly leaderHost: string;
  readonly members: readonly { readonly memberId: string; readonly host: string }[];
  readonly assignment: Assignment;
}

export function encodeMemberMetadata(m: MemberMetadata): Buffer {
  return Buffer.from(JSON.stringify(m));
}

export function decodeMemberMetadata(bytes: Buffer | Uint8Array): MemberMetadata {
  const m = JSON.parse(Buffer.from(bytes).toString('utf8')) as MemberMetadata;
  if (m?.version !== 1 || typeof m.host !== 'string') throw new Error(`Unsupported Riffle member metadata: ${Buffer.from(bytes).toString('utf8').slice(0, 80)}`);
  return m;
}

export function encodeGroupAssignment(a: GroupAssignment): Buffer {
  return Buffer.from(JSON.stringify(a));
}

export function decodeGroupAssignment(bytes: Buffer | Uint8Array): GroupAssignment {
  const a = JSON.parse(Buffer.from(bytes).toString('utf8')) as GroupAssignment;
  if (a?.version !== 1 || typeof a.assignment !== 'object') throw new Error('Unsupported Riffle group assignment');
  return a;
}

/**
 * The leader's decision: rebuild the previous placement from what members say they own (the
 * newest generation wins a disputed active: an older claimant is a zombie about to be fenced),
 * then run assignTasks over every task any member knows.
 */
export function leaderAssignment(input: {
  readonly generation: number;
  readonly leaderHost: string;
  readonly members: readonly { readonly memberId: string; readonly metadata: MemberMetadata }[];
  readonly numStandbys: number;
}): GroupAssignment {
  // One identity per host: a restarted server may still have its old member id in the group.
  const byHost = new Map<string, { memberId: string; metadata: MemberMetadata }>();
  for (const m of input.members) {
    const seen = byHost.get(m.metadata.host);
    if (!seen || m.metadata.generation > seen.metadata.generation) byHost.set(m.metadata.host, m);
  }
  const hosts = [...byHost.keys()].sort();
  const taskIds = new Set<string>();
  for (const { metadata } of byHost.values()) for (const t of metadata.tasks) taskIds.add(t);

  const claims = new Map<string, { active?: { host: string; generation: number }; standbys: Set<string>; warmups: Set<string> }>();
  const claim = (t: string) => {
    let c = claims.get(t);
    if (!c) claims.set(t, (c = { standbys: new Set(), warmups: new Set() }));
    return c;
  };
  for (const host of hosts) {
    const { owned, generation } = byHost.get(host)!.metadata;
    for (const t of owned.active) {
      const c = claim(t);
      if (!c.active || generation > c.active.generation) c.active = { host, generation };
    }
    for (const t of owned.standby) claim(t).standbys.add(host);
    for (const t of owned.warmup) claim(t).warmups.add(host);
  }
  const previous: Assignment = {
    tasks: Object.fromEntries(
      [...claims].map(([t, c]) => [
        t,
        { active: c.active?.host, standbys: [...c.standbys].filter((h) => h !== c.active?.host), warmups: [...c.warmups].filter((h) => h !== c.active?.host) },
      ]),
    ),
  };
  const tasks: AssignableTask[] = [...taskIds].map((taskId) => ({ taskId }));
  const assignment = assignTasks({
    members: hosts.map((host) => ({ id: host, host })),
    tasks,
    previous: claims.size > 0 ? previous : undefined,
    numStandbys: input.numStandbys,
    lags: (taskId, host) => byHost.get(host)?.metadata.lags[taskId],
  });
  return {
    version: 1,
    generation: input.generation,
    leaderHost: input.leaderHost,
    members: input.members.map((m) => ({ memberId: m.memberId, host: m.metadata.host })),
    assignment,
  };
}
