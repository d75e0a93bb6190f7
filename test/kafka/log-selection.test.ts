// Log selection: the embedded log without bootstrap.servers; a clear, retried "cannot reach Kafka"
// when the brokers do not answer; on a live Kafka, a CREATE over a missing topic without PARTITIONS
// gets ksqlDB's error and topics are created with the statement's PARTITIONS.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openEngine } from '../../src/engine/engine.ts';
import { connectKafka, kafkaBootstrapServers, selectLog } from '../../src/engine/log-selection.ts';
import { type KafkaCluster, startKafka } from '../../src/kafka-local/cluster.ts';
import { freePort } from '../../src/kafka-local/ready.ts';

let cluster: KafkaCluster | undefined;
let bootstrap = process.env['KAFKA_BOOTSTRAP_SERVERS'] ?? '';
before(async () => {
  if (bootstrap) return;
  cluster = await startKafka({ brokers: 1, heap: '384m' });
  bootstrap = cluster.bootstrapServers;
}, { timeout: 300_000 });
after(async () => {
  await cluster?.stop();
});

void test('bootstrap settings: ksql.streams.bootstrap.servers wins, empty means embedded', async () => {
  assert.equal(kafkaBootstrapServers({}), undefined);
  assert.equal(kafkaBootstrapServers({ 'bootstrap.servers': ' ' }), undefined);
  assert.equal(kafkaBootstrapServers({ 'bootstrap.servers': 'a:1' }), 'a:1');
  assert.equal(kafkaBootstrapServers({ 'bootstrap.servers': 'a:1', 'ksql.streams.bootstrap.servers': 'b:2' }), 'b:2');
  const dir = mkdtempSync(join(tmpdir(), 'riffle-sel-'));
  try {
    const log = await selectLog({}, dir);
    assert.equal(log.kind, 'embedded');
    await log.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

void test('unreachable Kafka: reported clearly and retried', { timeout: 60_000 }, async () => {
  const port = await freePort();
  const reports: string[] = [];
  await assert.rejects(connectKafka(`127.0.0.1:${port}`, 't', { report: (m) => reports.push(m), timeoutMs: 3000 }), /cannot reach Kafka at 127\.0\.0\.1:\d+/);
  assert.ok(reports.length >= 1, 'at least one retry was reported');
  assert.match(reports[0]!, new RegExp(`^cannot reach Kafka at 127\\.0\\.0\\.1:${port}: .*\\(retrying in [\\d.]+ s, attempt 1\\)$`));
});

void test('engine on Kafka: missing topic error, PARTITIONS honoured', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'riffle-sel-'));
  const id = `sel_${Date.now()}_`;
  const engine = await openEngine({ dataDir: dir, scheduling: 'background', properties: { 'bootstrap.servers': bootstrap, 'ksql.service.id': id } });
  try {
    assert.equal(engine.log.kind, 'kafka');
    assert.equal((await engine.log.describeTopic(`_confluent-ksql-${id}_command_topic`))?.partitions, 1);
    const s = engine.newSession();
    await assert.rejects(engine.execute(s, `CREATE STREAM nope (v INT) WITH (KAFKA_TOPIC='${id}missing', VALUE_FORMAT='JSON');`), (e: { error: Error }) => {
      assert.match(e.error.message, new RegExp(`^Topic '${id}missing' does not exist. If you want to create a new topic for the stream please re-run the statement providing the required 'PARTITIONS' configuration`));
      return true;
    });
    await engine.execute(s, `CREATE STREAM made (v INT) WITH (KAFKA_TOPIC='${id}made', PARTITIONS=3, VALUE_FORMAT='JSON');`);
    assert.equal((await engine.log.describeTopic(`${id}made`))?.partitions, 3);
    await engine.execute(s, `CREATE STREAM sink WITH (KAFKA_TOPIC='${id}sink', PARTITIONS=2) AS SELECT * FROM made;`);
    assert.equal((await engine.log.describeTopic(`${id}sink`))?.partitions, 2);
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
