// assignTasks: invariants checked over seeded random clusters (valid, deterministic, balanced,
// sticky, failover to the freshest replica, no active moved to a cold member) plus named scenarios.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type Assignment, type AssignTasksInput, assignTasks, type ReplicaLag, tasksOfMember } from '../../src/cluster/assignment.ts';

/** mulberry32: a tiny seeded RNG so failures reproduce from the printed seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const int = (r: () => number, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
function shuffle<T>(r: () => number, xs: readonly T[]): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

const members = (...ids: string[]) => ids.map((id) => ({ id, host: `${id}:8088` }));
const tasks = (n: number) => Array.from({ length: n }, (_, i) => ({ taskId: `q#${String(i).padStart(3, '0')}` }));
const noLags = () => undefined;

/** Lags as a running cluster would report them after `a`: actives and standbys caught up, warm-ups far behind. */
function lagsAfter(a: Assignment, overrides: Record<string, ReplicaLag> = {}): AssignTasksInput['lags'] {
  return (taskId, memberId) => {
    const o = overrides[`${taskId}/${memberId}`];
    if (o) return o;
    const p = a.tasks[taskId];
    if (!p) return undefined;
    if (p.active === memberId || p.standbys.includes(memberId)) return { offsetLag: 0, timeLagMs: 0 };
    if (p.warmups.includes(memberId)) return { offsetLag: 1_000_000, timeLagMs: 60_000 };
    return undefined;
  };
}

function assertValid(input: AssignTasksInput, out: Assignment): void {
  const ids = new Set(input.members.map((m) => m.id));
  const want = Math.min(input.numStandbys, ids.size - 1);
  assert.deepEqual(Object.keys(out.tasks).sort(), [...new Set(input.tasks.map((t) => t.taskId))].sort());
  for (const [t, p] of Object.entries(out.tasks)) {
    assert.ok(p.active !== undefined && ids.has(p.active), `${t}: active ${p.active} is a member`);
    assert.equal(p.standbys.length, want, `${t}: ${want} standbys`);
    const copies = [p.active, ...p.standbys, ...p.warmups];
    assert.equal(new Set(copies).size, copies.length, `${t}: never two copies on one member: ${copies.join(',')}`);
    for (const m of copies) assert.ok(ids.has(m!), `${t}: ${m} is a member`);
  }
}

function counts(out: Assignment, ids: readonly string[], role: 'active' | 'standby'): number[] {
  return ids.map((id) => tasksOfMember(out, id)[role].length);
}
const spread = (xs: number[]) => Math.max(...xs) - Math.min(...xs);

function randomCluster(r: () => number) {
  const m = int(r, 1, 7);
  const ids = Array.from({ length: m }, (_, i) => `m${i}`);
  return { ids, tasks: tasks(int(r, 0, 24)), numStandbys: int(r, 0, 3) };
}

describe('assignTasks: properties over random clusters', () => {
  const SEEDS = Array.from({ length: 300 }, (_, i) => i + 1);

  test('fresh clusters: valid, balanced to within one, independent of input order', () => {
    for (const seed of SEEDS) {
      const r = rng(seed);
      const c = randomCluster(r);
      const input = { members: members(...c.ids), tasks: c.tasks, previous: undefined, numStandbys: c.numStandbys, lags: noLags };
      const out = assignTasks(input);
      assertValid(input, out);
      assert.ok(spread(counts(out, c.ids, 'active')) <= 1, `seed ${seed}: actives ${counts(out, c.ids, 'active')}`);
      assert.ok(spread(counts(out, c.ids, 'standby')) <= 1, `seed ${seed}: standbys ${counts(out, c.ids, 'standby')}`);
      const shuffled = { ...input, members: shuffle(r, input.members), tasks: shuffle(r, input.tasks) };
      assert.deepEqual(assignTasks(shuffled), out, `seed ${seed}: same answer for any input order`);
    }
  });

  test('a stable cluster reassigns to exactly the same placement (sticky fixed point)', () => {
    for (const seed of SEEDS) {
      const r = rng(seed);
      const c = randomCluster(r);
      const base = { members: members(...c.ids), tasks: c.tasks, numStandbys: c.numStandbys };
      const first = assignTasks({ ...base, previous: undefined, lags: noLags });
      const second = assignTasks({ ...base, previous: first, lags: lagsAfter(first) });
      assert.deepEqual(second, first, `seed ${seed}`);
    }
  });

  test('a member leaves: survivors keep their actives, lost actives go to the freshest surviving standby', () => {
    for (const seed of SEEDS) {
      const r = rng(seed);
      const c = randomCluster(r);
      if (c.ids.length < 2) continue;
      const base = { tasks: c.tasks, numStandbys: c.numStandbys };
      const before = assignTasks({ ...base, members: members(...c.ids), previous: undefined, lags: noLags });
      const gone = c.ids[int(r, 0, c.ids.length - 1)]!;
      const survivors = c.ids.filter((id) => id !== gone);
      // Standbys report random lags so "freshest" is well defined.
      const overrides: Record<string, ReplicaLag> = {};
      for (const [t, p] of Object.entries(before.tasks)) {
        for (const s of p.standbys) overrides[`${t}/${s}`] = { offsetLag: int(r, 0, 50), timeLagMs: int(r, 0, 5000) };
      }
      const input = { ...base, members: members(...survivors), previous: before, lags: lagsAfter(before, overrides) };
      const after = assignTasks(input);
      assertValid(input, after);
      for (const [t, p] of Object.entries(before.tasks)) {
        const now = after.tasks[t]!;
        if (p.active !== gone) {
          // A healthy active moves only to even out the load, and only onto a warm standby.
          if (now.active !== p.active) {
            assert.ok(p.standbys.includes(now.active!), `seed ${seed} ${t}: moved ${p.active} -> ${now.active}, a standby`);
            const load = (m: string) => tasksOfMember(after, m).active.length;
            assert.ok(load(p.active!) + 1 >= load(now.active!), `seed ${seed} ${t}: moved only downhill, to balance`);
          }
          continue;
        }
        const alive = p.standbys.filter((s) => s !== gone);
        if (alive.length === 0) continue;
        const best = Math.min(...alive.map((s) => overrides[`${t}/${s}`]!.offsetLag));
        assert.equal(overrides[`${t}/${now.active}`]?.offsetLag, best, `seed ${seed} ${t}: promoted the freshest standby`);
      }
    }
  });

  test('a cold member joins: no active moves to it; it gets standbys or warm-ups, then actives once caught up', () => {
    for (const seed of SEEDS) {
      const r = rng(seed);
      const c = randomCluster(r);
      const base = { tasks: c.tasks, numStandbys: c.numStandbys };
      const before = assignTasks({ ...base, members: members(...c.ids), previous: undefined, lags: noLags });
      const joined = [...c.ids, 'new'];
      const input = { ...base, members: members(...joined), previous: before, lags: lagsAfter(before) };
      const mid = assignTasks(input);
      assertValid(input, mid);
      for (const [t, p] of Object.entries(before.tasks)) assert.equal(mid.tasks[t]!.active, p.active, `seed ${seed} ${t}: no cold takeover`);
      const share = Math.floor(c.tasks.length / joined.length);
      const mine = tasksOfMember(mid, 'new');
      if (share > 0) assert.ok(mine.standby.length + mine.warmup.length > 0, `seed ${seed}: the new member restores something`);
      // Once everything it holds is caught up, a rebalance hands it a fair share of actives.
      const caughtUp = (a: Assignment) => (t: string, m: string) =>
        a.tasks[t]?.active === m || a.tasks[t]?.standbys.includes(m) || a.tasks[t]?.warmups.includes(m) ? { offsetLag: 0, timeLagMs: 0 } : undefined;
      let round = mid;
      for (let i = 0; i < 10; i++) {
        round = assignTasks({ ...input, previous: round, lags: caughtUp(round) });
        if (spread(counts(round, joined, 'active')) <= 1) break;
      }
      assert.ok(spread(counts(round, joined, 'active')) <= 1, `seed ${seed}: balanced after warm-ups: ${counts(round, joined, 'active')}`);
    }
  });
});

describe('assignTasks: scenarios', () => {
  test('two servers, four tasks, one standby: two actives each, each task standing by on the other server', () => {
    const out = assignTasks({ members: members('a', 'b'), tasks: tasks(4), previous: undefined, numStandbys: 1, lags: noLags });
    assert.deepEqual(tasksOfMember(out, 'a').active.length, 2);
    assert.deepEqual(tasksOfMember(out, 'b').active.length, 2);
    for (const p of Object.values(out.tasks)) assert.deepEqual(p.standbys, [p.active === 'a' ? 'b' : 'a']);
  });

  test('the failed active goes to the most caught-up of its standbys (offsets, then time)', () => {
    const previous: Assignment = { tasks: { t: { active: 'a', standbys: ['b', 'c', 'd'], warmups: [] } } };
    const lag: Record<string, ReplicaLag> = {
      b: { offsetLag: 40, timeLagMs: 100 },
      c: { offsetLag: 3, timeLagMs: 900 },
      d: { offsetLag: 3, timeLagMs: 200 },
    };
    const out = assignTasks({ members: members('b', 'c', 'd', 'e'), tasks: [{ taskId: 't' }], previous, numStandbys: 3, lags: (_t, m) => lag[m] });
    assert.equal(out.tasks.t!.active, 'd');
    assert.deepEqual(out.tasks.t!.standbys, ['c', 'b', 'e']);
  });

  test('standbys are capped at members - 1 and a lone member runs everything', () => {
    const one = assignTasks({ members: members('solo'), tasks: tasks(3), previous: undefined, numStandbys: 2, lags: noLags });
    for (const p of Object.values(one.tasks)) assert.deepEqual(p, { active: 'solo', standbys: [], warmups: [] });
    const two = assignTasks({ members: members('a', 'b'), tasks: tasks(2), previous: undefined, numStandbys: 5, lags: noLags });
    for (const p of Object.values(two.tasks)) assert.equal(p.standbys.length, 1);
  });

  test('no members: every task is unassigned', () => {
    const out = assignTasks({ members: [], tasks: tasks(2), previous: undefined, numStandbys: 1, lags: noLags });
    assert.deepEqual(Object.values(out.tasks), [
      { active: undefined, standbys: [], warmups: [] },
      { active: undefined, standbys: [], warmups: [] },
    ]);
  });

  test('a new member with no state gets warm-ups, and takes the actives over once they caught up', () => {
    const before = assignTasks({ members: members('a', 'b'), tasks: tasks(4), previous: undefined, numStandbys: 0, lags: noLags });
    const mid = assignTasks({ members: members('a', 'b', 'c'), tasks: tasks(4), previous: before, numStandbys: 0, lags: lagsAfter(before) });
    assert.deepEqual(tasksOfMember(mid, 'c'), { active: [], standby: [], warmup: [tasksOfMember(mid, 'c').warmup[0]!] });
    const warm = tasksOfMember(mid, 'c').warmup[0]!;
    const done = assignTasks({
      members: members('a', 'b', 'c'),
      tasks: tasks(4),
      previous: mid,
      numStandbys: 0,
      lags: lagsAfter(mid, { [`${warm}/c`]: { offsetLag: 20, timeLagMs: 10 } }),
    });
    assert.deepEqual(tasksOfMember(done, 'c').active, [warm]);
    assert.deepEqual(done.tasks[warm]!.warmups, []);
  });

  test('a demoted active is kept as a standby of the task it gave up', () => {
    const previous: Assignment = {
      tasks: {
        t1: { active: 'a', standbys: [], warmups: [] },
        t2: { active: 'a', standbys: [], warmups: ['b'] },
      },
    };
    const out = assignTasks({
      members: members('a', 'b'),
      tasks: [{ taskId: 't1' }, { taskId: 't2' }],
      previous,
      numStandbys: 1,
      lags: (t, m) => (m === 'a' || (t === 't2' && m === 'b') ? { offsetLag: 0, timeLagMs: 0 } : undefined),
    });
    assert.deepEqual(out.tasks.t2, { active: 'b', standbys: ['a'], warmups: [] });
    assert.deepEqual(out.tasks.t1, { active: 'a', standbys: ['b'], warmups: [] });
  });
});
