// GroupMembership against a real broker (started here, or KAFKA_BOOTSTRAP_SERVERS): two servers
// join and get a balanced assignment with standbys; a clean leave hands everything over within a
// second; a crash is noticed within the session timeout; a member cut off from Kafka fences itself
// before its tasks move, and rejoins afterwards.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { ReplicaLag } from '../../src/cluster/assignment.ts';
import { GroupMembership, type MemberAssignment } from '../../src/cluster/group-protocol.ts';
import { membershipGroupId } from '../../src/cluster/group-messages.ts';
import { type KafkaCluster, startKafka } from '../../src/kafka-local/cluster.ts';

let cluster: KafkaCluster | undefined;
let bootstrapServers = process.env.KAFKA_BOOTSTRAP_SERVERS ?? '';

before(
  async () => {
    if (bootstrapServers) return;
    cluster = await startKafka({ brokers: 1, progress: (m) => console.log(`# ${m}`) });
    bootstrapServers = cluster.bootstrapServers;
  },
  { timeout: 300_000 },
);

after(async () => {
  await cluster?.stop();
});

const TASKS = ['CTAS_T_1#store#0', 'CTAS_T_1#store#1', 'CTAS_T_1#store#2', 'CTAS_T_1#store#3'];
const SESSION_MS = 3000;

interface TestServer {
  readonly host: string;
  readonly membership: GroupMembership;
  readonly fenced: { atMs: number; reason: string }[];
}

/** A server whose replicas are always caught up (lag 0 for everything it holds). */
function server(groupId: string, host: string, heartbeatIntervalMs?: number): TestServer {
  const fenced: { atMs: number; reason: string }[] = [];
  const lags = (): ReadonlyMap<string, ReplicaLag> => {
    const mine = membership.current()?.mine;
    const held = mine ? [...mine.active, ...mine.standby, ...mine.warmup] : [];
    return new Map(held.map((t) => [t, { offsetLag: 0, timeLagMs: 0 }]));
  };
  const membership: GroupMembership = new GroupMembership({
    bootstrapServers,
    groupId,
    host,
    sessionTimeoutMs: SESSION_MS,
    ...(heartbeatIntervalMs !== undefined ? { heartbeatIntervalMs } : {}),
    numStandbys: 1,
    probingRebalanceIntervalMs: 300,
    tasks: () => TASKS,
    lags,
    onAssignment: () => {},
    onFenced: (reason) => fenced.push({ atMs: Date.now(), reason }),
  });
  return { host, membership, fenced };
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => T | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const balanced = (...servers: TestServer[]) => () => {
  const views = servers.map((s) => s.membership.current());
  if (views.some((v) => v === undefined || new Set(v.members.map((m) => m.host)).size !== servers.length)) return undefined;
  if (new Set(views.map((v) => v!.generation)).size !== 1) return undefined;
  const a = views[0]!;
  return views.every((v) => v!.mine.active.length === TASKS.length / servers.length) ? a : undefined;
};
const ownsEverything = (s: TestServer) => () => {
  const v = s.membership.current();
  return v && v.members.length === 1 && v.mine.active.length === TASKS.length ? v : undefined;
};

function assertTwoServerPlacement(a: MemberAssignment, hosts: string[]): void {
  for (const t of TASKS) {
    const p = a.assignment.tasks[t]!;
    assert.ok(hosts.includes(p.active!), `${t}: active on a member`);
    assert.deepEqual(p.standbys, hosts.filter((h) => h !== p.active), `${t}: standby on the other server`);
  }
}

describe('GroupMembership on a real broker', { timeout: 120_000 }, () => {
  test('two join with a balanced assignment and standbys; a clean leave hands over within a second', async (t) => {
    const groupId = membershipGroupId(`t-${randomUUID().slice(0, 8)}`);
    const a = server(groupId, 'a:8088', 300);
    const b = server(groupId, 'b:8088', 300);
    try {
      await Promise.all([a.membership.start(), b.membership.start()]);
      const view = await waitFor('a balanced two-server assignment', 20_000, balanced(a, b));
      assertTwoServerPlacement(view, ['a:8088', 'b:8088']);
      assert.equal([a, b].filter((s) => s.membership.current()!.isLeader).length, 1, 'exactly one leader');

      const leftAt = Date.now();
      await b.membership.close();
      await waitFor('a to own everything', 5000, ownsEverything(a));
      const tookMs = Date.now() - leftAt;
      t.diagnostic(`clean leave handed over in ${tookMs} ms`);
      assert.ok(tookMs < 1000, `handover took ${tookMs} ms`);
      assert.deepEqual(a.fenced, [], 'a clean leave fences nobody');
    } finally {
      await Promise.all([a.membership.close(), b.membership.close()]);
    }
  });

  test('a crashed member (silent, no leave) is detected within the session timeout', async (t) => {
    const groupId = membershipGroupId(`t-${randomUUID().slice(0, 8)}`);
    const a = server(groupId, 'a:8088');
    const c = server(groupId, 'c:8088');
    try {
      await Promise.all([a.membership.start(), c.membership.start()]);
      await waitFor('a balanced two-server assignment', 20_000, balanced(a, c));
      const crashedAt = Date.now();
      await c.membership.abandon();
      await waitFor('a to own everything', SESSION_MS + 5000, ownsEverything(a));
      const tookMs = Date.now() - crashedAt;
      t.diagnostic(`crash detected after ${tookMs} ms (session timeout ${SESSION_MS} ms)`);
      // The broker evicts at the session timeout; a's next heartbeat (every 1 s) learns of it.
      assert.ok(tookMs <= SESSION_MS + a.membership.heartbeatIntervalMs + 500, `detected after ${tookMs} ms`);
    } finally {
      await Promise.all([a.membership.close(), c.membership.close()]);
    }
  });

  test('a member cut off from Kafka fences itself before its tasks move, then rejoins', async (t) => {
    const groupId = membershipGroupId(`t-${randomUUID().slice(0, 8)}`);
    const a = server(groupId, 'a:8088');
    const d = server(groupId, 'd:8088');
    try {
      await Promise.all([a.membership.start(), d.membership.start()]);
      await waitFor('a balanced two-server assignment', 20_000, balanced(a, d));
      const generationBefore = a.membership.current()!.generation;
      d.membership.simulatePartition(SESSION_MS + 2000);
      await waitFor('d to fence itself', SESSION_MS + 2000, () => d.fenced.length > 0);
      const fencedAt = d.fenced[0]!.atMs;
      assert.equal(d.membership.current(), undefined, 'a fenced member acts on no assignment');
      await waitFor('a to own everything', SESSION_MS + 5000, ownsEverything(a));
      const takeoverAt = Date.now();
      t.diagnostic(`d fenced itself (${d.fenced[0]!.reason}) ${takeoverAt - fencedAt} ms before a took over`);
      assert.ok(fencedAt <= takeoverAt, `d stopped (${fencedAt}) before a took over (${takeoverAt})`);
      assert.ok(a.membership.current()!.generation > generationBefore, 'the broker moved to a new generation');
      const back = await waitFor('d back in a balanced assignment', 20_000, balanced(a, d));
      assert.ok(back.generation > generationBefore + 1);
    } finally {
      await Promise.all([a.membership.close(), d.membership.close()]);
    }
  });
});
