// Scenarios 5 and 4 (ha-reference.md §4) with 3 real `riffle server` processes on a real Kafka:
// a multi-key query whose keys span every active, one active failing its reads, retries only that
// active's partitions on their standbys (the per-partition freshness info says who served what);
// a standby cut off from its peers, then a standby killed with kill -9: every query keeps
// succeeding, the partitions it was a standby of still served by their actives, and /clusterStatus
// shows it dead.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterStatus, kafka, ksql, placement, pull, type PullAnswer, type ServerProc, settled, TestCluster, waitFor, tearDown, waitUntilKnownEverywhere } from './harness.ts';

const PARTITIONS = 6;
let k: Awaited<ReturnType<typeof kafka>>;
let c: TestCluster;
let s: ServerProc[];
const expected = new Map<string, number>();

// E's producers choose partitions, so a key may be in any partition: a query for these keys reads
// every partition, from every active (pull-locate.ts, 'unknown' partitioning).
const KEYS = Array.from({ length: 12 }, (_, i) => `pk${i}`);
const MULTI_KEY = `SELECT K, S FROM T WHERE K IN (${KEYS.map((key) => `'${key}'`).join(', ')});`;

function assertEveryRow(r: PullAnswer, what: string): void {
  assert.equal(r.status, 200, `${what}: ${r.error}`);
  assert.deepEqual(new Map(r.rows.map((row) => [row[0] as string, row[1] as number])), expected, what);
  assert.deepEqual(r.servedBy.map((sp) => sp.partition), Array.from({ length: PARTITIONS }, (_, i) => i), `${what}: one entry per partition`);
}

before(async () => {
  k = await kafka();
  c = new TestCluster({ bootstrap: k.bootstrap, serviceId: `pf_${process.pid}_${Date.now() % 100_000}` });
  s = [await c.add(), await c.add(), await c.add()];
  await Promise.all(s.map((x) => c.start(x)));
  await ksql(s[0]!, `CREATE STREAM E (K STRING KEY, V INT) WITH (KAFKA_TOPIC='${c.o.serviceId}_e', VALUE_FORMAT='JSON', PARTITIONS=${PARTITIONS});`);
  await ksql(s[0]!, 'CREATE TABLE T AS SELECT K, SUM(V) AS S FROM E GROUP BY K;', { 'ksql.streams.auto.offset.reset': 'earliest' });
  await waitUntilKnownEverywhere(s, 'E');
  for (const [i, key] of KEYS.entries()) {
    await ksql(s[i % 3]!, `INSERT INTO E (K, V) VALUES ('${key}', ${i + 1});`);
    expected.set(key, i + 1);
  }
  await waitFor('every row materialized', async () => (await pull(s[0]!, MULTI_KEY)).rows.length === KEYS.length, 90_000);
  await waitFor('cluster settled', () => settled(s[0]!, s, PARTITIONS), 90_000);
}, { timeout: 300_000 });

after(() => tearDown(c, k), { timeout: 60_000 });

test('multi-key query, one active failing its reads: only its partitions are retried, on their standbys', { timeout: 90_000 }, async () => {
  const p = await placement(s[0]!);
  const counts = new Map<string, number>();
  for (const e of p.values()) counts.set(e.active, (counts.get(e.active) ?? 0) + 1);
  const failingHost = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
  const X = s.find((x) => x.peerHost === failingHost)!;
  const Q = s.find((x) => x !== X)!;
  const itsPartitions = [...p].filter(([, e]) => e.active === failingHost).map(([part]) => part);
  assert.ok(itsPartitions.length > 0 && itsPartitions.length < PARTITIONS);

  // Healthy: every partition from its active.
  const healthy = await pull(Q, MULTI_KEY);
  assertEveryRow(healthy, 'healthy');
  for (const sp of healthy.servedBy) assert.deepEqual([sp.host, sp.role], [p.get(sp.partition)!.active, 'active'], `partition ${sp.partition}`);

  // X stays alive (it heartbeats) but answers forwarded reads with a 503.
  const mark = X.output.length;
  c.fault(X, 'refuse');
  try {
    await waitFor('X refusing forwarded pulls', async () => X.output.slice(mark).includes('refusing forwarded pulls'), 10_000, 50);
    const r = await pull(Q, MULTI_KEY);
    assertEveryRow(r, 'one active refusing');
    for (const sp of r.servedBy) {
      const e = p.get(sp.partition)!;
      if (itsPartitions.includes(sp.partition)) assert.deepEqual([sp.host, sp.role], [e.standbys[0], 'standby'], `partition ${sp.partition} retried on its standby`);
      else assert.deepEqual([sp.host, sp.role], [e.active, 'active'], `partition ${sp.partition} still from its active`);
    }
    // A refusal is no death: X is still alive for routing and /clusterStatus alike.
    assert.equal((await clusterStatus(Q))[failingHost]?.hostAlive, true);
  } finally {
    c.fault(X);
  }
  await waitFor('X serving its partitions again', async () => {
    const r = await pull(Q, MULTI_KEY);
    return r.status === 200 && r.servedBy.every((sp) => sp.role === 'active');
  }, 30_000);
});

/** Queries through `Q` until `done()` (after at least `minQueries`); every answer must hold every row. */
async function queryUntil(Q: ServerProc, done: () => Promise<boolean>, minQueries: number): Promise<PullAnswer[]> {
  const answers: PullAnswer[] = [];
  for (;;) {
    const r = await pull(Q, MULTI_KEY);
    assertEveryRow(r, `query ${answers.length + 1}`);
    answers.push(r);
    if (answers.length >= minQueries && (await done())) return answers;
  }
}

test('standby cut off from its peers: every query still succeeds, its standby partitions from their actives', { timeout: 120_000 }, async () => {
  await waitFor('cluster settled', () => settled(s[0]!, s, PARTITIONS), 60_000);
  const p = await placement(s[0]!);
  const Y = s[2]!;
  const Q = s[0]!;
  const standbyOf = [...p].filter(([, e]) => e.standbys.includes(Y.peerHost)).map(([part]) => part);
  assert.ok(standbyOf.length > 0);

  c.fault(Y, 'peers');
  try {
    const answers = await queryUntil(Q, async () => (await clusterStatus(Q))[Y.peerHost]?.hostAlive === false, 5);
    for (const r of answers) {
      for (const sp of r.servedBy) {
        if (standbyOf.includes(sp.partition)) assert.deepEqual([sp.host, sp.role], [p.get(sp.partition)!.active, 'active'], `partition ${sp.partition}`);
      }
    }
    // Known dead now: nothing is sent to Y at all.
    const last = await pull(Q, MULTI_KEY);
    assertEveryRow(last, 'Y known dead');
    assert.ok(last.servedBy.every((sp) => sp.host !== Y.peerHost), JSON.stringify(last.servedBy));
  } finally {
    c.fault(Y);
  }
  await waitFor('Y alive again', async () => (await clusterStatus(Q))[Y.peerHost]?.hostAlive === true, 30_000);
});

test('standby killed with kill -9: every query still succeeds, its standby partitions from their actives, /clusterStatus shows it dead', { timeout: 150_000 }, async () => {
  await waitFor('cluster settled', () => settled(s[0]!, s, PARTITIONS), 60_000);
  const p = await placement(s[0]!);
  const Z = s[1]!;
  const Q = s[0]!;
  const standbyOf = [...p].filter(([, e]) => e.standbys.includes(Z.peerHost)).map(([part]) => part);
  const activeOf = [...p].filter(([, e]) => e.active === Z.peerHost).map(([part]) => part);
  assert.ok(standbyOf.length > 0);

  await c.kill(Z);
  // Through the kill, the death notice and the rebalance that re-places Z's replicas.
  const answers = await queryUntil(Q, async () => {
    if ((await clusterStatus(Q))[Z.peerHost]?.hostAlive !== false) return false;
    const now = await placement(Q);
    return [...now.values()].every((e) => e.active !== Z.peerHost && !e.standbys.includes(Z.peerHost));
  }, 5);
  for (const r of answers) {
    for (const sp of r.servedBy) {
      assert.notEqual(sp.host, Z.peerHost, `partition ${sp.partition} answered by a dead host`);
      if (standbyOf.includes(sp.partition)) assert.deepEqual([sp.host, sp.role], [p.get(sp.partition)!.active, 'active'], `partition ${sp.partition}`);
      if (activeOf.includes(sp.partition)) assert.equal(sp.host, p.get(sp.partition)!.standbys[0], `partition ${sp.partition} from Z's standby`);
    }
  }
  console.log(`# ${answers.length} queries through the kill -9 of a standby, none failed`);
  assert.equal((await clusterStatus(Q))[Z.peerHost]?.hostAlive, false);
});
