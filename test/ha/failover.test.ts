// HA scenarios (ha-reference.md §4) with 3 real `riffle server` processes on a real Kafka: routing to
// the active from any server, /clusterStatus and lag exchange (checked against the changelog end
// offsets on Kafka), a multi-key query across actives,
// kill -9 of an active (standby answers, then is promoted; nothing committed is lost), the 503 naming
// every host and why, and a clean restart of the killed server.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { KafkaLog } from '../../src/log/kafka/kafka-log.ts';
import { clusterStatus, kafka, ksql, placement, pull, type ServerProc, sleep, TestCluster, waitFor, tearDown, waitUntilKnownEverywhere } from './harness.ts';

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
  await ksql(s[0]!, `CREATE STREAM E (K STRING KEY, V INT) WITH (KAFKA_TOPIC='${c.o.serviceId}_e', VALUE_FORMAT='JSON', PARTITIONS=4);`);
  await ksql(s[0]!, 'CREATE TABLE T AS SELECT K, SUM(V) AS S FROM E GROUP BY K;', { 'ksql.streams.auto.offset.reset': 'earliest' });
  await waitUntilKnownEverywhere(s, 'E');
  let i = 0;
  for (const key of KEYS) await insert(s[i++ % 3]!, key, 1 + (i % 5));
  await waitFor('every row materialized', async () => matches(await allRows(s[0]!)), 60_000);
}, { timeout: 240_000 });

after(() => tearDown(c, k), { timeout: 60_000 });

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

test('lag exchange: a caught-up replica reports the changelog end offset on Kafka (its last offset + 1)', { timeout: 60_000 }, async () => {
  const log = new KafkaLog({ bootstrapServers: k.bootstrap, clientId: 'ha-lag-exchange' });
  try {
    await waitFor('every reported position equal to the changelog end on Kafka', async () => {
      const status = await clusterStatus(s[1]!) as unknown as Record<string, {
        activeStandbyPerQuery: Record<string, { activePartitions: { topic: string; partition: number }[]; standByPartitions: { topic: string; partition: number }[] }>;
        hostStoreLags: { stateStoreLags: Record<string, { lagByPartition: Record<string, { currentOffsetPosition: number; endOffsetPosition: number; offsetLag: number }> }> };
      }>;
      let checked = 0;
      for (const h of Object.values(status)) {
        for (const [queryId, q] of Object.entries(h.activeStandbyPerQuery)) {
          for (const { topic, partition } of [...q.activePartitions, ...q.standByPartitions]) {
            // <prefix>query_<queryId>-<store>-changelog: each store of the task has its own.
            const store = topic.slice(topic.indexOf(`${queryId}-`) + queryId.length + 1, -'-changelog'.length);
            const l = h.hostStoreLags.stateStoreLags[`${queryId}#${store}`]?.lagByPartition[String(partition)];
            const end = await log.endOffset(topic, partition);
            const records = await log.read(topic, partition, 0, 10_000);
            const last = records.at(-1)?.offset ?? -1;
            // The end offset is the changelog's last offset + 1 (a transaction marker, if any, is the last offset).
            assert.ok(end > last, `${topic}/${partition}: end ${end}, last record ${last}`);
            // Thrown, not returned: waitFor names the last mismatch when it gives up.
            if (l?.currentOffsetPosition !== end || l.endOffsetPosition !== end || l.offsetLag !== 0) throw new Error(`${topic}/${partition}: reported ${JSON.stringify(l)}, end on Kafka ${end}`);
            checked++;
          }
        }
      }
      // 4 partitions, each with an active and a standby, for every store of the query.
      if (checked === 0 || checked % 8 !== 0) throw new Error(`${checked} store replicas reported, not a multiple of 8`);
      return true;
    }, 30_000, 300);
  } finally {
    await log.close();
  }
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
    const r = await pull(survivor, 'SELECT K, S FROM T;');
    assert.equal(r.status, 200, r.error);
    const got = new Map(r.rows.map((row) => [row[0] as string, row[1] as number]));
    assert.ok(matches(got), `rows after the kill: ${JSON.stringify([...got])}, served by ${JSON.stringify(r.servedBy)}`);
    if (firstOk < 0) firstOk = Date.now() - killedAt;
    await sleep(50);
  }
  // Every query above succeeded; how soon is the bench's figure (a), not a test bound: on a shared,
  // loaded machine the first answer waits for CPU, not for failover.
  console.log(`# first full answer ${firstOk} ms after kill -9`);

  // Active-only reads while the dead active's partitions have not moved yet: 503 naming host and reason.
  await waitFor('the victim marked dead', async () => (await clusterStatus(survivor))[victimHost]?.hostAlive === false, 3000, 50);
  const refused = await pull(survivor, 'SELECT K, S FROM T;', { 'ksql.query.pull.enable.standby.reads': false });
  if (refused.status === 503) {
    assert.match(refused.error!, /^Unable to execute pull query\. \[Partition \d+ failed to find valid host\. Hosts scanned: \[/);
    // Routing and /clusterStatus share one liveness answer: dead there means dead here.
    assert.ok(refused.error!.includes(`${victimHost} was not selected because Host is not alive as of time`), refused.error);
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
