// Task assignment for the cluster: the group leader's pure decision of which member runs each
// stateful task as active, which members keep standbys, and where warm-up replicas catch up first.
// Knows nothing about Kafka, HTTP or clocks: same input, same output.

export interface AssignableMember {
  readonly id: string;
  /** Advertised listener (host:port); carried through for callers, not used in the decision. */
  readonly host: string;
}

export interface AssignableTask {
  readonly taskId: string;
}

/** How far a member's local copy of a task's state is behind; lower is fresher. */
export interface ReplicaLag {
  readonly offsetLag: number;
  readonly timeLagMs: number;
}

export interface TaskPlacement {
  /** Undefined only when there are no members. */
  readonly active: string | undefined;
  /** Hot standbys, freshest first at the time of assignment. */
  readonly standbys: readonly string[];
  /** Extra replicas restoring on a member that should take the active once caught up. */
  readonly warmups: readonly string[];
}

export interface Assignment {
  readonly tasks: { readonly [taskId: string]: TaskPlacement };
}

export interface AssignTasksInput {
  readonly members: readonly AssignableMember[];
  readonly tasks: readonly AssignableTask[];
  readonly previous: Assignment | undefined;
  /** `ksql.streams.num.standby.replicas`; capped at members - 1 (never two copies on one member). */
  readonly numStandbys: number;
  /** The member's reported lag for the task's state, undefined when it holds none or did not say. */
  readonly lags: (taskId: string, memberId: string) => ReplicaLag | undefined;
  /** An active only moves to a member at most this far behind (Kafka Streams' acceptable.recovery.lag). */
  readonly acceptableRecoveryLag?: number;
  /** Most warm-up replicas placed at once (Kafka Streams' max.warmup.replicas). */
  readonly maxWarmupReplicas?: number;
}

export const DEFAULT_ACCEPTABLE_RECOVERY_LAG = 10_000;
export const DEFAULT_MAX_WARMUP_REPLICAS = 2;

const UNKNOWN: ReplicaLag = { offsetLag: Number.POSITIVE_INFINITY, timeLagMs: Number.POSITIVE_INFINITY };
const compareIds = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Places every task: sticky (a member keeps what it had while that stays balanced), actives spread
 * within one of each other, a lost active goes to its most caught-up replica, and an active never
 * moves to a member that would have to restore it from scratch — that member gets a warm-up instead.
 */
export function assignTasks(input: AssignTasksInput): Assignment {
  const members = [...new Set(input.members.map((m) => m.id))].sort(compareIds);
  const taskIds = [...new Set(input.tasks.map((t) => t.taskId))].sort(compareIds);
  if (members.length === 0) {
    return { tasks: Object.fromEntries(taskIds.map((t) => [t, { active: undefined, standbys: [], warmups: [] }])) };
  }
  const memberSet = new Set(members);
  const acceptable = input.acceptableRecoveryLag ?? DEFAULT_ACCEPTABLE_RECOVERY_LAG;
  const numStandbys = Math.max(0, Math.min(Math.floor(input.numStandbys), members.length - 1));
  const prev = (taskId: string): TaskPlacement | undefined => input.previous?.tasks[taskId];

  // A previous active that reports nothing still holds the task's live state: treat it as lag 0.
  const lagOf = (taskId: string, member: string): ReplicaLag => {
    const reported = input.lags(taskId, member);
    if (reported) return reported;
    return prev(taskId)?.active === member ? { offsetLag: 0, timeLagMs: 0 } : UNKNOWN;
  };
  const fresher = (taskId: string) => (a: string, b: string) => {
    const la = lagOf(taskId, a);
    const lb = lagOf(taskId, b);
    return la.offsetLag - lb.offsetLag || la.timeLagMs - lb.timeLagMs || 0;
  };
  // No member within the recovery bound means every member starts from the same place.
  const caughtUp = new Map<string, Set<string>>();
  for (const t of taskIds) caughtUp.set(t, new Set(members.filter((m) => lagOf(t, m).offsetLag <= acceptable)));
  const mayRunActive = (t: string, m: string) => {
    const set = caughtUp.get(t)!;
    return set.size === 0 || set.has(m);
  };

  const active = new Map<string, string>();
  const activeCount = new Map(members.map((m) => [m, 0]));
  const setActive = (t: string, m: string) => {
    const old = active.get(t);
    if (old !== undefined) activeCount.set(old, activeCount.get(old)! - 1);
    active.set(t, m);
    activeCount.set(m, activeCount.get(m)! + 1);
  };

  // 1. Sticky actives; a lost active goes to its freshest surviving replica, else the freshest member.
  const orphans: string[] = [];
  for (const t of taskIds) {
    const p = prev(t);
    if (p?.active !== undefined && memberSet.has(p.active)) setActive(t, p.active);
    else orphans.push(t);
  }
  const promoted = new Set(orphans);
  for (const t of orphans) {
    const p = prev(t);
    const replicas = [...(p?.standbys ?? []), ...(p?.warmups ?? [])].filter((m) => memberSet.has(m));
    const byLoadThenId = (a: string, b: string) => activeCount.get(a)! - activeCount.get(b)! || compareIds(a, b);
    const pool = replicas.length > 0 ? replicas : members;
    const best = [...pool].sort((a, b) => fresher(t)(a, b) || byLoadThenId(a, b))[0]!;
    // Only when nobody has state is "freshest" meaningless: then spread by load.
    setActive(t, lagOf(t, best).offsetLag === Number.POSITIVE_INFINITY ? [...members].sort(byLoadThenId)[0]! : best);
  }

  // 2. Balance actives to within one: move from the most to the least loaded member, but only to a
  //    member that can take over without a full restore, and never a task just failed over (a
  //    second hand-off in one rebalance would cost it a second pause).
  for (;;) {
    let move: { t: string; to: string; gap: number; lag: ReplicaLag } | undefined;
    for (const t of taskIds) {
      if (promoted.has(t) && input.previous?.tasks[t] !== undefined) continue;
      const from = active.get(t)!;
      for (const to of members) {
        const gap = activeCount.get(from)! - activeCount.get(to)!;
        if (gap <= 1 || !mayRunActive(t, to)) continue;
        const lag = lagOf(t, to);
        if (
          !move ||
          gap > move.gap ||
          (gap === move.gap && (lag.offsetLag < move.lag.offsetLag || (lag.offsetLag === move.lag.offsetLag && lag.timeLagMs < move.lag.timeLagMs)))
        ) {
          move = { t, to, gap, lag };
        }
      }
    }
    if (!move) break;
    setActive(move.t, move.to);
  }

  // 3. Standbys: keep previous holders (the demoted active included), within a fair share each.
  const standbys = new Map<string, string[]>(taskIds.map((t) => [t, []]));
  const replicaCount = new Map(members.map((m) => [m, 0]));
  const standbyCap = Math.ceil((taskIds.length * numStandbys) / members.length);
  if (numStandbys > 0) {
    for (const t of taskIds) {
      const p = prev(t);
      // Hot holders (standbys, the demoted active) before warm-ups, each group freshest first.
      const eligible = (ms: readonly string[]) =>
        ms.filter((m) => memberSet.has(m) && m !== active.get(t)).sort((a, b) => fresher(t)(a, b) || compareIds(a, b));
      const hot = eligible([...(p?.standbys ?? []), ...(p?.active !== undefined ? [p.active] : [])]);
      const keep = [...new Set([...hot, ...eligible(p?.warmups ?? [])])];
      for (const m of keep) {
        if (standbys.get(t)!.length >= numStandbys || replicaCount.get(m)! >= standbyCap) continue;
        standbys.get(t)!.push(m);
        replicaCount.set(m, replicaCount.get(m)! + 1);
      }
    }
    // Fill the rest least-loaded first (standbys, then actives, as load), freshest on a tie.
    for (const t of taskIds) {
      const list = standbys.get(t)!;
      while (list.length < numStandbys) {
        const choice = members
          .filter((m) => m !== active.get(t) && !list.includes(m))
          .sort(
            (a, b) =>
              replicaCount.get(a)! - replicaCount.get(b)! ||
              activeCount.get(a)! - activeCount.get(b)! ||
              fresher(t)(a, b) ||
              compareIds(a, b),
          )[0]!;
        list.push(choice);
        replicaCount.set(choice, replicaCount.get(choice)! + 1);
      }
    }
    // Even out standby counts to within one by moving a standby to a member holding no copy.
    for (;;) {
      let move: { t: string; from: string; to: string; gap: number } | undefined;
      for (const t of taskIds) {
        const list = standbys.get(t)!;
        for (const from of list) {
          for (const to of members) {
            const gap = replicaCount.get(from)! - replicaCount.get(to)!;
            if (gap <= 1 || to === active.get(t) || list.includes(to)) continue;
            if (!move || gap > move.gap) move = { t, from, to, gap };
          }
        }
      }
      if (!move) break;
      const list = standbys.get(move.t)!;
      list[list.indexOf(move.from)] = move.to;
      replicaCount.set(move.from, replicaCount.get(move.from)! - 1);
      replicaCount.set(move.to, replicaCount.get(move.to)! + 1);
    }
    for (const t of taskIds) standbys.get(t)!.sort((a, b) => fresher(t)(a, b) || compareIds(a, b));
  }

  // 4. Warm-ups: a member still below its fair share of actives restores a task it could take
  //    next time, so a new member takes load without an outage.
  const warmups = new Map<string, string[]>(taskIds.map((t) => [t, []]));
  let warmupBudget = Math.max(0, input.maxWarmupReplicas ?? DEFAULT_MAX_WARMUP_REPLICAS);
  const floorShare = Math.floor(taskIds.length / members.length);
  const underloaded = members.filter((m) => activeCount.get(m)! < floorShare).sort((a, b) => activeCount.get(a)! - activeCount.get(b)! || compareIds(a, b));
  for (const m of underloaded) {
    let wanted = floorShare - activeCount.get(m)!;
    const donors = taskIds
      .filter((t) => activeCount.get(active.get(t)!)! > floorShare && !mayRunActive(t, m))
      .sort((a, b) => lagOf(a, m).offsetLag - lagOf(b, m).offsetLag || compareIds(a, b));
    for (const t of donors) {
      if (wanted === 0 || warmupBudget === 0) break;
      if (standbys.get(t)!.includes(m)) {
        wanted--; // its standby is already catching up: it is the warm-up
        continue;
      }
      warmups.get(t)!.push(m);
      wanted--;
      warmupBudget--;
    }
  }

  return {
    tasks: Object.fromEntries(
      taskIds.map((t) => [t, { active: active.get(t), standbys: standbys.get(t)!, warmups: warmups.get(t)! }]),
    ),
  };
}

/** One member's share of an assignment, as the member acts on it. */
export interface MemberTasks {
  readonly active: readonly string[];
  readonly standby: readonly string[];
  readonly warmup: readonly string[];
}

export function tasksOfMember(assignment: Assignment, memberId: string): MemberTasks {
  const active: string[] = [];
  const standby: string[] = [];
  const warmup: string[] = [];
  for (const [taskId, p] of Object.entries(assignment.tasks).sort(([a], [b]) => compareIds(a, b))) {
    if (p.active === memberId) active.push(taskId);
    if (p.standbys.includes(memberId)) standby.push(taskId);
    if (p.warmups.includes(memberId)) warmup.push(taskId);
  }
  return { active, standby, warmup };
}
