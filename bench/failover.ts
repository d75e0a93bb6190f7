// `npm run bench -- failover [--json FILE] [--keys N] [--seconds S] [--standbys N]`: 3 servers on Kafka, 1,000 keys
// fed steadily, a prober reading every key every few ms; kill -9 the server active for the most
// partitions and measure unavailability, staleness served, processing failover and exactness.
import { writeFileSync } from 'node:fs';
import { KafkaLog } from '../src/log/kafka/kafka-log.ts';
import { partitionForKey } from '../src/runtime/partitioner.ts';
import { kafka, ksql, placement as placementOf, pull, type ServerProc, settled, sleep, TestCluster, waitFor } from '../test/ha/harness.ts';

interface Result {
  max_unavailable_ms: number; max_staleness_ms: number; processing_failover_ms: number; exact: boolean;
  /** Probes after the kill that failed (each a query a user saw fail), and the slowest one that succeeded. */
  failed_probes: number; slowest_probe_ms: number;
}

const PARTITIONS = 6;

async function run(bootstrap: string, standbys: number, keys: number, seconds: number): Promise<Result> {
  const serviceId = `bench_fo_${standbys}_${Date.now() % 100_000}`;
  const c = new TestCluster({ bootstrap, serviceId, settings: {
    'ksql.streams.num.standby.replicas': String(standbys), 'processing.guarantee': 'exactly_once_v2',
    'ksql.streams.commit.interval.ms': '100', 'riffle.cluster.session.timeout.ms': '3000',
  } });
  const feeder = new KafkaLog({ bootstrapServers: bootstrap, clientId: 'bench-failover-feeder' });
  try {
    const s = [await c.add(), await c.add(), await c.add()];
    await Promise.all(s.map((x) => c.start(x)));
    const topic = `${serviceId}_e`;
    await ksql(s[0]!, `CREATE STREAM E (K STRING KEY, V INT) WITH (KAFKA_TOPIC='${topic}', VALUE_FORMAT='JSON', PARTITIONS=${PARTITIONS});`);
    await ksql(s[0]!, 'CREATE TABLE T AS SELECT K, COUNT(*) AS C FROM E GROUP BY K;', { 'ksql.streams.auto.offset.reset': 'earliest' });
    // Measure a settled cluster only: every partition placed with its standbys and caught up, and
    // T queryable on every server (statements reach peers through the command topic). Probing
    // earlier counts start-up refusals ("T does not exist") as failover failures.
    await waitFor('cluster settled', () => settled(s[0]!, s, PARTITIONS, standbys), 120_000, 250);
    await waitFor('T queryable on every server', async () => {
      for (const x of s) if ((await pull(x, 'SELECT K, C FROM T;')).status !== 200) return false;
      return true;
    }, 60_000, 250);
    const placement = new Map<string, number>();
    for (const e of (await placementOf(s[0]!)).values()) placement.set(e.active, (placement.get(e.active) ?? 0) + 1);
    const victimHost = [...placement].sort((a, b) => b[1] - a[1])[0]![0];
    const victim = s.find((x) => x.host === victimHost)!;
    const probers: ServerProc[] = s.filter((x) => x !== victim);

    // Feeder: every key in turn, steadily; ack times per key tell staleness and failover.
    const acks = new Map<string, number[]>();
    let feeding = true;
    const feed = (async () => {
      let i = 0;
      while (feeding) {
        const batch = [];
        for (let j = 0; j < 20; j++, i++) {
          const key = `k${i % keys}`;
          const kb = Buffer.from(key);
          batch.push({ key, rec: { partition: partitionForKey(kb, PARTITIONS), key: kb, value: Buffer.from('{"V":1}'), headers: [] } });
        }
        await feeder.append(topic, batch.map((b) => b.rec));
        const now = Date.now();
        for (const b of batch) (acks.get(b.key) ?? acks.set(b.key, []).get(b.key)!).push(now);
        await sleep(20);
      }
    })();

    // Prober: full scans through the servers that stay up.
    let killAt = Infinity;
    const lastSeen = new Map<string, number>();
    const firstNew = new Map<string, number>();
    let maxGap = 0;
    let maxStale = 0;
    let probing = true;
    // Every failed probe is a query a user saw fail: keep why, to tell avoidable failures apart.
    const failures = new Map<string, number>();
    const fail = (why: string) => failures.set(why, (failures.get(why) ?? 0) + 1);
    let failedAfterKill = 0;
    let slowest = 0;
    // One probe loop per surviving server, concurrently: a key's read gap is then bounded by the
    // failover, not by one full scan's latency on a loaded machine.
    const probe = Promise.all(probers.map(async (prober) => {
      while (probing) {
        const at = Date.now();
        const r = await pull(prober, 'SELECT K, C FROM T;').catch((e: unknown) => {
          fail(`${at - killAt > 0 ? 'after' : 'before'} kill: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
          return undefined;
        });
        const done = Date.now();
        if (at > killAt && r?.status !== 200) failedAfterKill++;
        if (at > killAt && r?.status === 200) slowest = Math.max(slowest, done - at);
        if (!r) continue;
        if (r.status !== 200) {
          // Timestamps in the message differ per answer: drop digits so alike failures group.
          fail(`${at - killAt > 0 ? 'after' : 'before'} kill: HTTP ${r.status} ${(r.error ?? '').replace(/\d{6,}/g, 'N')}`);
          continue;
        }
        for (const [k, v] of r.rows as [string, number][]) {
          const prev = lastSeen.get(k);
          if (prev !== undefined && prev > killAt - 5000) maxGap = Math.max(maxGap, done - prev);
          lastSeen.set(k, done);
          const a = acks.get(k) ?? [];
          // Staleness served from the kill on (killAt is Infinity before), not the start-up backlog.
          if (a.length > v && at > killAt - 5000) maxStale = Math.max(maxStale, at - a[v]!);
          if (at > killAt && !firstNew.has(k)) {
            const beforeKill = a.filter((t) => t < killAt).length;
            if (v > beforeKill) firstNew.set(k, done);
          }
        }
        await sleep(5);
      }
    }));

    await sleep(seconds * 500);
    const report = () => [...failures].sort((a, b) => b[1] - a[1]).map(([why, n]) => `  ${n} x ${why}`).join('\n');
    await waitFor('every key read before the kill', async () => lastSeen.size >= keys, 120_000, 100).catch((e: unknown) => {
      throw new Error(`${String(e)} (${lastSeen.size} of ${keys} read; failed probes:\n${report()})`);
    });
    killAt = Date.now();
    console.log(`${new Date(killAt).toISOString()} kill -9 ${victimHost}`);
    await c.kill(victim);
    await sleep(seconds * 500);
    feeding = false;
    await feed;
    const deadline = Date.now() + 60_000;
    let exact = false;
    while (Date.now() < deadline) {
      const r = await pull(probers[0]!, 'SELECT K, C FROM T;').catch(() => undefined);
      if (r?.status === 200) {
        const got = new Map(r.rows as [string, number][]);
        exact = got.size === acks.size && [...acks].every(([k, a]) => got.get(k) === a.length);
        if (exact) break;
      }
      await sleep(250);
    }
    probing = false;
    await probe;
    const now = Date.now();
    // Unavailability also counts keys the probe never read again after the kill (till the end).
    for (const k of acks.keys()) {
      const last = lastSeen.get(k);
      if (last === undefined || last < killAt) maxGap = Math.max(maxGap, now - (last ?? killAt));
    }
    const failover = Math.max(0, ...[...acks.keys()].map((k) => (firstNew.get(k) ?? now) - killAt));
    console.log(`standbys=${standbys}: ${keys} keys, fed ${[...acks.values()].reduce((n, a) => n + a.length, 0)} rows, probe failures ${[...failures.values()].reduce((a, b) => a + b, 0)}, victim ${victimHost} (${placement.get(victimHost)} actives)`);
    if (failures.size > 0) console.log(report());
    return { max_unavailable_ms: maxGap, max_staleness_ms: maxStale, processing_failover_ms: failover, exact, failed_probes: failedAfterKill, slowest_probe_ms: slowest };
  } finally {
    await feeder.close().catch(() => {});
    await c.stopAll();
  }
}

export async function main(args: string[]): Promise<void> {
  const opt = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const keys = Number(opt('--keys') ?? 1000);
  const seconds = Number(opt('--seconds') ?? 20);
  const k = await kafka();
  try {
    // --standbys N: only that configuration (default: with 1 standby, then without).
    const only = opt('--standbys');
    const out: Record<string, Result> = {};
    if (only === undefined || only !== '0') {
      out.with_standby = await run(k.bootstrap, Number(only ?? 1), keys, seconds);
      console.log('with standby', out.with_standby);
    }
    if (only === undefined || only === '0') {
      out.without_standby = await run(k.bootstrap, 0, keys, seconds);
      console.log('without standby', out.without_standby);
    }
    const file = opt('--json');
    if (file) writeFileSync(file, JSON.stringify(out, null, 2) + '\n');
    console.log(JSON.stringify(out));
  } finally {
    await k.stop();
  }
}
