// The broker-kill scenario shared by the exactly-once tests: a CTAS with COUNT and SUM runs under
// exactly_once_v2 while records are produced; brokers are killed (-9) mid-stream; afterwards the
// table must hold exactly the counts and sums of what the input topic holds, and each key's
// updates in the sink topic must only grow (no replayed, double-counted batch becomes visible).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEngine } from '../../src/engine/engine.ts';
import type { KafkaCluster } from '../../src/kafka-local/cluster.ts';
import { KafkaLog } from '../../src/log/kafka/kafka-log.ts';
import type { Log } from '../../src/log/log.ts';
import { partitionForKey } from '../../src/runtime/partitioner.ts';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const KEYS = 20;
const PARTITIONS = 2;

export interface Scenario {
  readonly records: number;
  readonly batch: number;
  readonly replicas: number;
  /** Called once, after a third of the records were produced. */
  readonly disrupt: (cluster: KafkaCluster) => Promise<void>;
}

/** Appends one batch, retrying through a broker outage (a resend may duplicate: the check reads the topic). */
async function appendRetrying(log: Log, topic: string, records: Parameters<Log['append']>[1]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await log.append(topic, records);
      return;
    } catch (e) {
      if (attempt >= 20) throw e;
      await sleep(1000);
    }
  }
}

/** Everything committed in a topic, all partitions. */
async function readAll(log: Log, topic: string) {
  const out = [];
  for (let p = 0; p < PARTITIONS; p++) {
    let from = await log.startOffset(topic, p);
    const end = await log.endOffset(topic, p);
    while (from < end) {
      const batch = await log.read(topic, p, from, 5000);
      if (batch.length === 0) break;
      out.push(...batch);
      from = batch.at(-1)!.offset + 1;
    }
  }
  return out;
}

export async function runEosScenario(cluster: KafkaCluster, sc: Scenario): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'riffle-eos-'));
  const engine = await openEngine({
    dataDir, scheduling: 'background',
    properties: {
      'bootstrap.servers': cluster.bootstrapServers, 'ksql.service.id': 'eos_test_', 'processing.guarantee': 'exactly_once_v2',
      'ksql.streams.auto.offset.reset': 'earliest', 'ksql.streams.commit.interval.ms': '100',
      'ksql.sink.replicas': String(sc.replicas), 'ksql.internal.topic.replicas': String(sc.replicas),
    },
  });
  const producer = new KafkaLog({ bootstrapServers: cluster.bootstrapServers, clientId: 'eos-test-producer' });
  try {
    const session = engine.newSession();
    await engine.execute(session, `CREATE STREAM src (k VARCHAR KEY, v INT) WITH (KAFKA_TOPIC='src', PARTITIONS=${PARTITIONS}, REPLICAS=${sc.replicas}, KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON');`);
    const [created] = await engine.execute(session, 'CREATE TABLE agg AS SELECT k, COUNT(*) AS c, SUM(v) AS total FROM src GROUP BY k EMIT CHANGES;');
    const queryId = created?.kind === 'CommandStatus' ? created.queryId : undefined;
    assert.ok(queryId, 'the CTAS started a query');

    const enc = new TextEncoder();
    for (let i = 0, batchNo = 0; i < sc.records; i += sc.batch, batchNo++) {
      if (i >= sc.records / 3 && i - sc.batch < sc.records / 3) await sc.disrupt(cluster);
      const records = [];
      for (let j = i; j < Math.min(sc.records, i + sc.batch); j++) {
        const key = enc.encode(`key${j % KEYS}`);
        records.push({ partition: partitionForKey(key, PARTITIONS), key, value: enc.encode(JSON.stringify({ V: (j % 7) + 1 })) });
      }
      await appendRetrying(producer, 'src', records);
      await sleep(20);
    }

    // Expected: what the input topic holds (a producer retry may have duplicated a batch).
    const expected = new Map<string, { c: number; total: number }>();
    for (const r of await readAll(producer, 'src')) {
      const k = Buffer.from(r.key!).toString('utf8');
      const e = expected.get(k) ?? { c: 0, total: 0 };
      e.c += 1;
      e.total += (JSON.parse(Buffer.from(r.value!).toString('utf8')) as { V: number }).V;
      expected.set(k, e);
    }
    assert.ok([...expected.values()].reduce((a, e) => a + e.c, 0) >= sc.records);

    // Wait until the query has committed every input record.
    const group = `_confluent-ksql-eos_test_query_${queryId}`;
    const deadline = Date.now() + 120_000;
    for (;;) {
      const q = engine.persistentQueries().find((x) => x.id === queryId);
      assert.notEqual(q?.state, 'ERROR', `query failed: ${q?.error}`);
      const committed = await producer.committedOffsets(group).catch(() => new Map<string, number>());
      let done = true;
      for (let p = 0; p < PARTITIONS; p++) if ((committed.get(`src:${p}`) ?? 0) < (await producer.endOffset('src', p))) done = false;
      if (done) break;
      assert.ok(Date.now() < deadline, 'the query caught up within 2 minutes');
      await sleep(250);
    }

    // The sink topic, read_committed: last value per key; a key's counts only grow.
    const last = new Map<string, { c: number; total: number }>();
    const seen = new Map<string, number>();
    for (const r of await readAll(producer, 'AGG')) {
      const k = Buffer.from(r.key!).toString('utf8');
      const v = JSON.parse(Buffer.from(r.value!).toString('utf8')) as { C: number; TOTAL: number };
      const prev = seen.get(k) ?? 0;
      assert.ok(v.C > prev, `key ${k}: count ${v.C} follows ${prev} (updates of a key only grow)`);
      seen.set(k, v.C);
      last.set(k, { c: v.C, total: v.TOTAL });
    }
    assert.deepEqual(new Map([...last].sort()), new Map([...expected].sort()));
  } finally {
    await producer.close();
    await engine.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
