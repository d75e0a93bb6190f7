// Scenarios 10 and 9 (ha-reference.md §4): a rolling restart of all three servers, each stopped
// cleanly and started again in turn, while a prober queries continuously: no query fails or misses
// a row. Then a cold restart with wiped state: reads within the bound during restoration, missing
// keys empty, the restarted server caught up afterwards.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { KafkaLog } from '../../src/log/kafka/kafka-log.ts';
import { partitionForKey } from '../../src/runtime/partitioner.ts';
import { kafka, ksql, pull, type ServerProc, settled, sleep, storeLags, TestCluster, waitFor, tearDown } from './harness.ts';

const PARTITIONS = 4;
const KEYS = 200;
let k: Awaited<ReturnType<typeof kafka>>;
let c: TestCluster;
let s: ServerProc[];
const expected = new Map<string, number>();
const topic = `rr_e_${process.pid}_${Date.now() % 100_000}`;

async function feed(rounds: number): Promise<void> {
  const log = new KafkaLog({ bootstrapServers: k.bootstrap, clientId: 'ha-restarts-feeder' });
  try {
    for (let r = 0; r < rounds; r++) {
      const batch = [];
      for (let i = 0; i < KEYS; i++) {
        const key = Buffer.from(`k${i}`);
        batch.push({ partition: partitionForKey(key, PARTITIONS), key, value: Buffer.from('{"V":1}'), headers: [] });
        expected.set(`k${i}`, (expected.get(`k${i}`) ?? 0) + 1);
      }
      await log.append(topic, batch);
    }
  } finally {
    await log.close();
  }
}

async function allRows(from: ServerProc, props: Record<string, unknown> = {}): Promise<Map<string, number>> {
  const r = await pull(from, 'SELECT K, C FROM T;', props);
  if (r.status !== 200) throw new Error(`HTTP ${r.status}: ${r.error}`);
  return new Map(r.rows.map((row) => [row[0] as string, row[1] as number]));
}

const complete = (got: Map<string, number>) => got.size === expected.size && [...expected].every(([key, v]) => got.get(key) === v);

before(async () => {
  k = await kafka();
  c = new TestCluster({ bootstrap: k.bootstrap, serviceId: `rr_${process.pid}_${Date.now() % 100_000}` });
  s = [await c.add(), await c.add(), await c.add()];
  await Promise.all(s.map((x) => c.start(x)));
  await ksql(s[0]!, `CREATE STREAM E (K STRING KEY, V INT) WITH (KAFKA_TOPIC='${topic}', VALUE_FORMAT='JSON', PARTITIONS=${PARTITIONS});`);
  await ksql(s[0]!, 'CREATE TABLE T AS SELECT K, COUNT(*) AS C FROM E GROUP BY K;', { 'ksql.streams.auto.offset.reset': 'earliest' });
  await feed(10);
  await waitFor('every row materialized', async () => complete(await allRows(s[0]!)), 90_000);
  await waitFor('cluster settled', () => settled(s[0]!, s, PARTITIONS), 60_000);
}, { timeout: 240_000 });

after(() => tearDown(c, k), { timeout: 60_000 });

test('rolling restart: every server stopped cleanly and restarted in turn, no query fails', { timeout: 300_000 }, async () => {
  const down = new Set<ServerProc>();
  let probing = true;
  let ok = 0;
  const failures: string[] = [];
  const probe = (async () => {
    for (let n = 0; probing; n++) {
      const up = s.filter((x) => !down.has(x));
      const target = up[n % up.length]!;
      try {
        const r = await pull(target, 'SELECT K, C FROM T;');
        if (r.status !== 200) throw new Error(`HTTP ${r.status}: ${r.error}`);
        const got = new Map(r.rows.map((row) => [row[0] as string, row[1] as number]));
        if (complete(got)) ok++;
        else failures.push(`${new Date().toISOString()} ${target.host}: ${got.size} rows, ${[...expected].filter(([key, v]) => got.get(key) !== v).length} wrong, served by ${JSON.stringify(r.servedBy)}`);
      } catch (e) {
        // A server told to stop may refuse before the prober learns it is down: not a cluster failure.
        if (!down.has(target)) failures.push(`${new Date().toISOString()} ${target.host}: ${String(e)}`);
      }
      await sleep(20);
    }
  })();
  for (const x of s) {
    down.add(x);
    await sleep(100); // the prober (a load balancer) stops sending to x before it goes
    await c.kill(x, 'SIGTERM');
    await sleep(1000);
    await c.start(x);
    const restartedAt = Date.now();
    down.delete(x);
    await waitFor(`cluster settled after restarting ${x.host}`, () => settled(s[0] === x ? s[1]! : s[0]!, s, PARTITIONS, 1, restartedAt), 90_000);
  }
  probing = false;
  await probe;
  console.log(`# rolling restart: ${ok} complete answers, ${failures.length} failures`);
  assert.deepEqual(failures, []);
  assert.ok(ok > 20, `only ${ok} answers`);
});

test('cold restart with wiped state: bounded reads stay exact while it restores, then it catches up', { timeout: 180_000 }, async () => {
  await feed(20); // a longer changelog to restore
  await waitFor('new rows materialized', async () => complete(await allRows(s[1]!)), 60_000);
  await waitFor('cluster settled', () => settled(s[1]!, s, PARTITIONS), 60_000);
  const x = s[0]!;
  await c.kill(x);
  rmSync(x.dataDir, { recursive: true, force: true });
  await c.start(x);
  // Ready for bounded reads once it has heard every peer's lag report (a load balancer's readiness).
  await waitFor('x has its peers\' lag reports', async () => {
    const lags = await storeLags(x);
    return s.filter((y) => y !== x).every((y) => (lags.get(y.peerHost)?.size ?? 0) > 0);
  }, 30_000, 100);
  // While x restores, reads through x with a zero bound never see its partial stores.
  let reads = 0;
  const bound = { 'ksql.query.pull.max.allowed.offset.lag': 0 };
  const deadline = Date.now() + 90_000;
  for (;;) {
    const got = await allRows(x, bound);
    assert.ok(complete(got), `bounded read through ${x.host} after ${reads} reads: ${got.size} rows`);
    const missing = await pull(x, "SELECT * FROM T WHERE K='no-such-key';", bound);
    assert.equal(missing.status, 200, missing.error);
    assert.deepEqual(missing.rows, []);
    reads++;
    if (await settled(s[1]!, s, PARTITIONS)) break;
    assert.ok(Date.now() < deadline, 'x never caught up');
    await sleep(100);
  }
  // Caught up: x holds replicas again, each at the changelog's end.
  const lags = (await storeLags(s[1]!)).get(x.peerHost)!;
  assert.ok(lags.size > 0, 'x holds replicas again');
  for (const l of lags.values()) assert.equal(l.currentOffsetPosition, l.endOffsetPosition);
  console.log(`# cold restart: ${reads} bounded reads during restoration, all exact`);
});
