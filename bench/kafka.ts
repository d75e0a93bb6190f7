// Engine benchmark on Kafka: the engine benchmark's two workloads (filter/projection CSAS, GROUP BY
// CTAS) on a 1-broker Kafka, each compared to the Kafka client's roof measured in the same run.
// `npm run bench -- kafka [--json FILE] [--records N] [--runs N] [--guarantee at_least_once|exactly_once_v2]`
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openEngine } from '../src/engine/engine.ts';
import { type KafkaCluster, startKafka } from '../src/kafka-local/cluster.ts';
import { KafkaLog } from '../src/log/kafka/kafka-log.ts';
import type { Log } from '../src/log/log.ts';
import { CREATE_SOURCE, SOURCE_TOPIC, WORKLOADS } from './engine-records.ts';
import { generateSource, measureRoof } from './kafka-roof.ts';

const TARGETS: Record<string, number> = { filter_project: 0.5, group_by_count_sum: 0.3 };

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      json: { type: 'string' },
      records: { type: 'string', default: '200000' },
      runs: { type: 'string', default: '3' },
      guarantee: { type: 'string', default: 'at_least_once' },
      'commit-interval': { type: 'string', default: '2000' },
    },
  });
  const records = Number(values.records);
  const runs = Number(values.runs);
  const given = process.env['KAFKA_BOOTSTRAP_SERVERS'];
  let cluster: KafkaCluster | undefined;
  if (!given) cluster = await startKafka({ brokers: 1, heap: '512m', progress: log });
  const bootstrap = given ?? cluster!.bootstrapServers;
  const kafka = new KafkaLog({ bootstrapServers: bootstrap, clientId: 'riffle-bench' });
  const tag = Date.now().toString(36);
  try {
    const have = (await kafka.describeTopic(SOURCE_TOPIC)) ? (await kafka.endOffset(SOURCE_TOPIC, 0)) - (await kafka.startOffset(SOURCE_TOPIC, 0)) : 0;
    if (have !== records) {
      log(`generating ${records.toLocaleString('en-US')} records into ${SOURCE_TOPIC}`);
      await generateSource(kafka, records, log);
    }
    const roofs: number[] = [];
    const rps = new Map<string, number[]>();
    const fractions = new Map<string, number[]>();
    for (let run = 1; run <= runs; run++) {
      const roof = await measureRoof(kafka, records, `bench-roof-${tag}-${run}`);
      roofs.push(roof);
      log(`run ${run}/${runs}: roof ${fmt(roof)} records/s`);
      for (const w of WORKLOADS) {
        const r = await runWorkload(bootstrap, w.name, w.statement, records, `bench_${tag}_${run}_${w.name}_`, values.guarantee!, values['commit-interval']!);
        log(`run ${run}/${runs}: ${w.name} ${fmt(r)} records/s (${(r / roof).toFixed(3)} of roof)`);
        rps.set(w.name, [...(rps.get(w.name) ?? []), r]);
        fractions.set(w.name, [...(fractions.get(w.name) ?? []), r / roof]);
      }
    }
    const report = {
      roof_rps: Math.round(median(roofs)),
      records, runs, processing_guarantee: values.guarantee, commit_interval_ms: Number(values['commit-interval']),
      workloads: WORKLOADS.map((w) => ({
        name: w.name, rps: Math.round(median(rps.get(w.name)!)), roof_fraction: Number(median(fractions.get(w.name)!).toFixed(3)),
        target: TARGETS[w.name],
      })),
    };
    log(`\nsummary (median of ${runs}): roof ${fmt(report.roof_rps)} records/s`);
    for (const w of report.workloads) log(`  ${w.name.padEnd(20)} ${fmt(w.rps).padStart(10)} records/s  ${w.roof_fraction.toFixed(3)} of roof (target >= ${w.target})`);
    if (values.json) writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
  } finally {
    await kafka.close();
    await cluster?.stop();
  }
}

/** Runs one workload with its own service id (fresh groups and internal topics); records/s. */
async function runWorkload(
  bootstrap: string, name: string, statement: string, records: number, serviceId: string, guarantee: string, commitMs: string,
): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), 'riffle-bench-kafka-'));
  const engine = await openEngine({
    dataDir, scheduling: 'background',
    properties: {
      'bootstrap.servers': bootstrap, 'ksql.service.id': serviceId, 'ksql.streams.auto.offset.reset': 'earliest',
      'processing.guarantee': guarantee, 'ksql.streams.commit.interval.ms': commitMs,
    },
  });
  try {
    const session = engine.newSession();
    // Each workload writes its own sink topic: name it after the service id.
    await engine.execute(session, CREATE_SOURCE);
    const sink = `${serviceId}sink`;
    const t0 = performance.now();
    const [outcome] = await engine.execute(session, statement.replace(/ AS SELECT/, ` WITH (KAFKA_TOPIC='${sink}') AS SELECT`));
    const queryId = outcome?.kind === 'CommandStatus' ? outcome.queryId : undefined;
    if (!queryId) throw new Error(`${name}: no persistent query started`);
    const group = `_confluent-ksql-${serviceId}query_${queryId}`;
    // Done when the query's committed offsets reach the end of every input it reads, repartition
    // topics included (outputs commit with them), as in the engine benchmark.
    const inputs = [...new Set(engine.runners.get(queryId)?.subs.flatMap((s) => s.inputTopics) ?? [SOURCE_TOPIC])];
    for (;;) {
      const committed = await engine.log.committedOffsets(group);
      if ((committed.get(`${SOURCE_TOPIC}:0`) ?? 0) >= records && (await allCommitted(engine.log, inputs, committed))) break;
      const q = engine.persistentQueries().find((x) => x.id === queryId);
      if (q?.state === 'ERROR') throw new Error(`${name}: query failed: ${q.error}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return (records / (performance.now() - t0)) * 1000;
  } finally {
    await engine.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Whether `committed` reaches the end offset of every partition of `topics`. */
async function allCommitted(log: Log, topics: readonly string[], committed: ReadonlyMap<string, number>): Promise<boolean> {
  for (const t of topics) {
    const partitions = (await log.describeTopic(t))?.partitions ?? 1;
    for (let p = 0; p < partitions; p++) if ((committed.get(`${t}:${p}`) ?? 0) < (await log.endOffset(t, p))) return false;
  }
  return true;
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}
