// CI subset of the conformance run on Kafka (`npm run conformance -- --log kafka` runs the whole
// corpus, 35 min on a busy 2-core machine): these files must pass on Kafka every case they pass on
// the embedded log. They cover what differs on Kafka: sink, repartition and changelog topics
// (joins, windows, INSERT INTO), source tables, and pull and push queries over the REST API.
// Starts a 1-broker Kafka unless KAFKA_BOOTSTRAP_SERVERS names one.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { setLogFactory } from '../../src/conformance/engine-host.ts';
import { KAFKA_CASE_TIMEOUT_MS, kafkaBackend } from '../../src/conformance/kafka-backend.ts';
import { loadCases } from '../../src/conformance/loader.ts';
import { runCases } from '../../src/conformance/runner.ts';

const CORPUS = resolve(import.meta.dirname, '..', '..', '..', 'shared', 'conformance');
export const KAFKA_CI_FILES = [
  'qtt/count.json', 'qtt/project-filter.json', 'qtt/tumbling-windows.json', 'qtt/insert-into.json', 'qtt/drop_source.json',
  'rqtt/insert-values.json', 'qtt/multi-joins.json', 'rqtt/push-queries.json', 'rqtt/pull-queries-against-cst-materialized.json',
  'rqtt/pull-queries-with-limit-clause.json',
];

void test('conformance subset passes on Kafka as on the embedded log', { timeout: 20 * 60_000 }, async (t) => {
  if (!existsSync(CORPUS)) {
    t.skip(`conformance corpus not found at ${CORPUS}`);
    return;
  }
  const cases = loadCases(KAFKA_CI_FILES.map((f) => resolve(CORPUS, f)));
  const passed = (rs: Awaited<ReturnType<typeof runCases>>) => rs.filter((r) => r.status === 'passed').map((r) => `${r.file} :: ${r.name}`);
  const embedded = passed(await runCases(cases, { concurrency: 2 }));
  const kafka = await kafkaBackend();
  let onKafka: Awaited<ReturnType<typeof runCases>>;
  try {
    setLogFactory(() => kafka.newLog());
    onKafka = await runCases(cases, { concurrency: 1, timeoutMs: KAFKA_CASE_TIMEOUT_MS });
  } finally {
    setLogFactory(undefined);
    await kafka.stop();
  }
  const got = new Set(passed(onKafka));
  const lost = embedded.filter((n) => !got.has(n));
  const why = lost.map((n) => `${n}: ${onKafka.find((r) => `${r.file} :: ${r.name}` === n)?.reason ?? ''}`);
  assert.equal(lost.length, 0, `${lost.length} case(s) pass on the embedded log but not on Kafka:\n${why.join('\n')}`);
  t.diagnostic(`${got.size} cases passed on Kafka, ${embedded.length} on the embedded log`);
});
