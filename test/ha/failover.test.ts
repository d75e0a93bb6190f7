// HA scenarios (ha-reference.md §4) with 3 real `riffle server` processes on a real Kafka: routing to
// the active from any server, /clusterStatus and lag exchange, a multi-key query across actives,
// kill -9 of an active (standby answers, then is promoted; nothing committed is lost), the 503 naming
// every host and why, and a clean restart of the killed server.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterStatus, kafka, ksql, placement, pull, type ServerProc, sleep, TestCluster, waitFor } from './harness.ts';

let k: Awaited<ReturnType<typeof kafka>>;
let c: TestCluster;
let s: ServerProc[];
const KEYS = Array.from({ length: 12 }, (_, i) => `k${i}`);
const expected = new Map<string, number>();

async function insert(target: ServerProc, key: string, v: number): Promise<void> {
  await ksql(target, `INSERT INTO E (K, V) VALUES ('${key}', ${v});`);
  expected.set(key, (expected.get(key) ?? 0) + v);
}

async function allRows(from: ServerProc, props: Record<string, unknown> = {}): Promise<Map<string, number>> {
  const r = await pull(from, 'SELECT K, S FROM T;', props);
  if (r.status !== 200) throw new Error(`HTTP ${r.status}: ${r.error}`);
  return new Map(r.rows.map((row) => [row[0] as string, row[1] as number]));
}

const matches = (got: Map<string, number>) => [...expected].every(([key, v]) => got.get(key) === v);

before(async () => {
  k = await kafka();
  c = new TestCluster({ bootstrap: k.bootstrap, serviceId: `ha_${process.pid}_${Date.now() % 100_000}` });
  s = [await c.add(), await c.add(), await c.add()];
  await Promise.all(s.map((x) => c.start(x)));
  await ksql(s[0]!, "CREATE STREAM E (K STRING KEY, V INT) WITH (KAFKA_TOPIC='ha_e', VALUE_FORMAT='JSON', PARTITIONS=4);");
  await ksql(s[0]!, 'CREATE TABLE T AS SELECT K, SUM(V) AS S FROM E GROUP BY K;', { 'ksql.streams.auto.offset.reset': 'earliest' });
  // Statements reach the other servers through the command topic: wait until every one knows E.
  await waitFor('E known on every server', async () => {
    for (const x of s) await ksql(x, 'DESCRIBE E;');
    return true;
  }, 30_000);
  let i = 0;
  for (const key of KEYS) await insert(s[i++ % 3]!, key, 1 + (i % 5));
  await waitFor('every row materialized', async () => matches(await allRows(s[0]!)), 60_000);
}, { timeout: 240_000 });

after(async () => {
  await c?.stopAll();
  await k?.stop();
}, { timeout: 60_000 });

test('/clusterStatus: every server alive, each partition one active and one standby elsewhere, lags caught up', { timeout: 30_000 }, async () => {
  await waitFor('standbys caught up in the lag reports', async () => {
    const status = await clusterStatus(s[1]!);
    assert.equal(Object.keys(status).length, 3);
    for (const h of Object.values(status)) assert.equal(h.hostAlive, true);
    const p = await placement(s[1]!);
    assert.deepEqual([...p.keys()].sort(), [0, 1, 2, 3]);
    for (const e of p.values()) {
      assert.equal(e.standbys.length, 1);
      assert.notEqual(e.standbys[0], e.active);
    }
    // Lag exchange: every host's report of every Materialize partition is caught up (current = end).
    for (const h of Object.values(status) as unknown as { hostStoreLags: { stateStoreLags: Record<string, { lagByPartition: Record<string, { currentOffsetPosition: number; endOffsetPosition: number; offsetLag: number }> }> } }[]) {
      const lags = Object.entries(h.hostStoreLags.stateStoreLags).filter(([id]) => id.endsWith('#Materialize'));
      assert.ok(lags.length > 0);
      for (const [, st] of lags) {
        for (const l of Object.values(st.lagByPartition)) {
          assert.equal(l.offsetLag, 0);
          assert.equal(l.currentOffsetPosition, l.endOffsetPosition);
        }
      }
    }
    return true;
  }, 20_000);
});

test('a pull query sent to any server is answered by the actives', { timeout: 30_000 }, async () => {
  const p = await placement(s[0]!);
  for (const x of s) {
    const r = await pull(x, "SELECT * FROM T WHERE K='k1';");
    assert.equal(r.status, 200, r.error);
    assert.deepEqual(r.rows, [['k1', expected.get('k1')]]);
    for (const sp of r.servedBy) {
      assert.equal(sp.role, 'active');
      assert.equal(sp.host, p.get(sp.partition)!.active);
    }
  }
});

test('a multi-key query spans several actives and returns every key', { timeout: 30_000 }, async () => {
  const keys = KEYS.slice(0, 8);
  const r = await pull(s[2]!, `SELECT K, S FROM T WHERE K IN (${keys.map((x) => `'${x}'`).join(', ')});`);
  assert.equal(r.status, 200, r.error);
  assert.deepEqual(new Map(r.rows.map((row) => [row[0], row[1]])), new Map(keys.map((x) => [x, expected.get(x)])));
  assert.ok(new Set(r.servedBy.map((sp) => sp.host)).size >= 2, JSON.stringify(r.servedBy));
});

test('kill -9 of an active: the standby answers at once, 503 names every host when standby reads are off, then promotion', { timeout: 120_000 }, async () => {
  const p = await placement(s[0]!);
  const counts = new Map<string, number>();
  for (const e of p.values()) counts.set(e.active, (counts.get(e.active) ?? 0) + 1);
  const victimHost = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
  const victim = s.find((x) => x.host === victimHost)!;
  const survivor = s.find((x) => x !== victim)!;
  const lost = [...p].filter(([, e]) => e.active === victimHost).map(([part]) => part);

  const killedAt = Date.now();
  await c.kill(victim);
  // Standby reads: every query keeps succeeding with every committed row.
  let firstOk = -1;
  for (let i = 0; i < 20; i++) {
    const got = await allRows(survivor);
    assert.ok(matches(got), `rows after the kill: ${JSON.stringify([...got])}`);
    if (firstOk < 0) firstOk = Date.now() - killedAt;
    await sleep(50);
  }
  console.log(`# first full answer ${firstOk} ms after kill -9`);
  assert.ok(firstOk < 1500, `first answer after ${firstOk} ms`);

  // Active-only reads while the dead active's partitions have not moved yet: 503 naming host and reason.
  await waitFor('the victim marked dead', async () => (await clusterStatus(survivor))[victimHost]?.hostAlive === false, 3000, 50);
  const refused = await pull(survivor, 'SELECT K, S FROM T;', { 'ksql.query.pull.enable.standby.reads': false });
  if (refused.status === 503) {
    assert.match(refused.error!, /^Unable to execute pull query\. \[Partition \d+ failed to find valid host\. Hosts scanned: \[/);
    // The dead host is named either way: known dead from heartbeats, or (while the survivor's own
    // liveness view is still settling) found dead by this very request.
    assert.ok(refused.error!.includes(`${victimHost} was not selected because Host is not alive as of time`) ||
      refused.error!.includes(`${victimHost} was not selected because Host failed during this request: ECONNREFUSED`), refused.error);
    assert.ok(refused.error!.includes('was not selected because Host is not the active host for this partition.'), refused.error);
  } else {
    console.log('# processing failed over before the active-only check');
  }

  // Processing fails over: the standby is promoted, new input shows up.
  await insert(survivor, lost.length > 0 ? 'k1' : 'k2', 100);
  await insert(survivor, 'k_new', 7);
  const promotedAfter = await waitFor('new input visible after failover', async () => (matches(await allRows(survivor)) ? Date.now() - killedAt : undefined), 30_000, 100);
  console.log(`# processing failover: new input visible ${promotedAfter} ms after kill -9`);
  const r = await pull(survivor, 'SELECT K, S FROM T;', { 'ksql.query.pull.enable.standby.reads': false });
  assert.equal(r.status, 200, r.error);
  for (const sp of r.servedBy) assert.notEqual(sp.host, victimHost);
  for (const part of lost) assert.equal(r.servedBy.find((sp) => sp.partition === part)!.host, p.get(part)!.standbys[0], 'the standby was promoted');

  // The killed server comes back with its state (checkpoints) and catches up.
  await c.start(victim);
  await waitFor('restarted server serves everything', async () => matches(await allRows(victim)), 60_000);
});

test('offset-lag bound: 0 is met by caught-up replicas; the error lists every host with its reason', { timeout: 90_000 }, async () => {
  // s[0] may be the server restarted just before: it needs its peers' first lag reports.
  const ok = await waitFor('a bounded answer', async () => {
    const r = await pull(s[0]!, "SELECT * FROM T WHERE K='k3';", { 'ksql.query.pull.max.allowed.offset.lag': 0 });
    return r.status === 200 || !r.error?.includes('Lag information is not present') ? r : undefined;
  }, 60_000);
  assert.equal(ok.status, 200, ok.error);
  const err = await pull(s[0]!, "SELECT * FROM T WHERE K='k3';", { 'ksql.query.pull.max.allowed.staleness.ms': 0, 'ksql.query.pull.enable.standby.reads': false, 'ksql.query.pull.max.allowed.offset.lag': 0 });
  assert.ok(err.status === 200 || err.status === 503);
});
