// Runs the Log contract suite against a real 1-broker Kafka (started here, or the one named by
// KAFKA_BOOTSTRAP_SERVERS), plus Kafka-only checks: clear errors, and a kill -9 of the broker mid-append.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { type KafkaCluster, startKafka } from '../../kafka-local/cluster.ts';
import { logContractSuite } from '../log-contract.ts';
import { KafkaLog } from './kafka-log.ts';

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

const newLog = () => new KafkaLog({ bootstrapServers, clientId: 'riffle-test' });

logContractSuite('kafka', async () => {
  let log = newLog();
  const before = new Set((await log.listTopics()).map((t) => t.name));
  return {
    log,
    reopen: async () => {
      await log.close();
      log = newLog();
      return log;
    },
    cleanup: async () => {
      // Deleting the test's topics also drops their committed offsets, so fixed group names
      // ('g', 'g1') start empty in the next test, even on a long-lived broker.
      for (const t of await log.listTopics()) if (!before.has(t.name) && t.name.startsWith('contract-')) await log.deleteTopic(t.name);
      await log.close();
    },
  };
});

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array | null) => (b === null ? null : new TextDecoder().decode(b));

describe('Kafka log: errors', () => {
  test('an unreachable cluster names the bootstrap servers', async () => {
    const log = new KafkaLog({ bootstrapServers: '127.0.0.1:1' });
    try {
      await assert.rejects(log.describeTopic('x'), /Cannot reach Kafka at bootstrap servers 127\.0\.0\.1:1/);
      await assert.rejects(log.append('x', [{ partition: 0, key: null, value: enc('v') }]), /Cannot reach Kafka at bootstrap servers 127\.0\.0\.1:1/);
    } finally {
      await log.close();
    }
  });

  test('a missing topic says so', async () => {
    const log = newLog();
    const t = `missing-${randomUUID().slice(0, 8)}`;
    try {
      await assert.rejects(log.append(t, [{ partition: 0, key: null, value: enc('v') }]), new RegExp(`Topic ${t} does not exist`));
      await assert.rejects(log.read(t, 0, 0, 10), new RegExp(`Topic ${t} does not exist`));
      await assert.rejects(log.endOffset(t, 0), new RegExp(`Topic ${t} does not exist`));
      await assert.rejects(log.deleteTopic(t), new RegExp(`Topic ${t} does not exist`));
    } finally {
      await log.close();
    }
  });
});

test('kill -9 of the broker mid-append: appends resume after restart, exactly once', { timeout: 240_000 }, async () => {
  // A broker of its own: killing the shared one would break the tests running beside this one.
  const own = cluster ?? (await startKafka({ brokers: 1, progress: (m) => console.log(`# ${m}`) }));
  const log = new KafkaLog({ bootstrapServers: own.bootstrapServers, clientId: 'riffle-test' });
  const topic = `failover-${randomUUID().slice(0, 8)}`;
  try {
    await log.createTopic(topic, { partitions: 1 });
    const acked = new Map<number, string>();
    let stop = false;
    let killed = false;
    const writer = (async () => {
      for (let batch = 0; !stop; batch++) {
        const vals = Array.from({ length: 10 }, (_, i) => `${batch}-${i}`);
        const offsets = await log.append(topic, vals.map((v) => ({ partition: 0, key: null, value: enc(v) })));
        offsets.forEach((o, i) => acked.set(o, vals[i]!));
        if (killed && batch > 0 && acked.size > 400) stop = true;
      }
    })();
    while (acked.size < 200) await new Promise((r) => setTimeout(r, 10));
    await own.stopBroker(1, 'SIGKILL');
    killed = true;
    const down = acked.size;
    await new Promise((r) => setTimeout(r, 500));
    await own.restartBroker(1);
    await writer;
    assert.ok(acked.size > down, 'appends continued after the restart');
    // Every acknowledged record is there once, at the offset append returned; nothing else is.
    const all = [];
    for (let at = 0; ; ) {
      const batch = await log.read(topic, 0, at, 1000);
      if (batch.length === 0) break;
      all.push(...batch);
      at = batch.at(-1)!.offset + 1;
    }
    const seen = new Set<string | null>();
    for (const r of all) {
      const v = dec(r.value);
      assert.ok(!seen.has(v), `duplicate ${v}`);
      seen.add(v);
      if (acked.has(r.offset)) assert.equal(v, acked.get(r.offset));
    }
    for (const o of acked.keys()) assert.ok(all.some((r) => r.offset === o), `acked offset ${o} missing`);
  } finally {
    await log.close();
    if (own !== cluster) await own.stop();
  }
});
