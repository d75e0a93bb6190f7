// Child process of the engine benchmark: runs one workload over a prepared data directory (or the
// JSON roof over generated records) and prints one JSON result line; progress goes to stderr.
// Usage: node bench/engine-workload.ts <workload|roof> <dataDir> <records> <background|manual>
import { openEngine } from '../src/engine/engine.ts';
import { topicPartitionKey } from '../src/log/log.ts';
import { CREATE_SOURCE, recordJson, SOURCE_TOPIC, WORKLOADS } from './engine-records.ts';

export interface WorkloadResult {
  readonly name: string;
  readonly records: number;
  readonly elapsedMs: number;
  readonly rps: number;
  readonly peakRssMb: number;
  readonly outputRecords: number;
  /** CPU time (user + system) of this process during the timed window: comparable under load. */
  readonly cpuMs: number;
}

const [name = '', dataDir = '', recordsArg = '0', mode = 'background'] = process.argv.slice(2);
const records = Number(recordsArg);
const progress = (line: string): void => {
  process.stderr.write(`  [${name}] ${line}\n`);
};

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}

const ROOF_PASSES = 3;

async function runRoof(): Promise<Omit<WorkloadResult, 'peakRssMb'>> {
  const texts: string[] = new Array<string>(records);
  for (let i = 0; i < records; i++) texts[i] = recordJson(i);
  let sink = 0;
  for (let i = 0; i < Math.min(records, 100_000); i++) sink += JSON.stringify(JSON.parse(texts[i]!)).length;
  // Three timed passes, reporting the median one: a single pass lasts under two seconds, and on a
  // shared machine the same pass was seen to take 1.6 to 2.5 s of CPU from one minute to the next.
  const passes: { elapsedMs: number; cpuMs: number }[] = [];
  for (let pass = 0; pass < ROOF_PASSES; pass++) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < records; i++) sink += JSON.stringify(JSON.parse(texts[i]!)).length;
    passes.push({ elapsedMs: performance.now() - t0, cpuMs: cpuMsSince(cpu0) });
  }
  if (sink === 0) throw new Error('unreachable');
  process.stderr.write(`roof passes: ${passes.map((p) => `${Math.round((records / p.elapsedMs) * 1000)} rec/s`).join(', ')}\n`);
  const { elapsedMs, cpuMs } = passes.sort((a, b) => a.elapsedMs - b.elapsedMs)[Math.floor(ROOF_PASSES / 2)]!;
  return { name, records, elapsedMs, rps: (records / elapsedMs) * 1000, outputRecords: records, cpuMs };
}

async function runWorkload(): Promise<Omit<WorkloadResult, 'peakRssMb'>> {
  const workload = WORKLOADS.find((w) => w.name === name);
  if (!workload) throw new Error(`unknown workload ${name}`);
  const engine = await openEngine({
    dataDir, scheduling: mode === 'manual' ? 'manual' : 'background',
    properties: { 'ksql.streams.auto.offset.reset': 'earliest' },
  });
  try {
    const session = engine.newSession();
    // The seed directory may hold a persisted catalog that already has the stream.
    if (!engine.source('ORDERS')) await engine.execute(session, CREATE_SOURCE);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const [outcome] = await engine.execute(session, workload.statement);
    const queryId = outcome?.kind === 'CommandStatus' ? outcome.queryId : undefined;
    const runner = queryId === undefined ? undefined : engine.runners.get(queryId);
    if (!runner) throw new Error(`${name}: no persistent query started`);
    if (mode === 'manual') await engine.runUntilIdle();
    else await waitForCompletion(engine, runner.subs.flatMap((s) => s.inputTopics), `_confluent-ksql-${engine.serviceId}query_${queryId}`);
    const elapsedMs = performance.now() - t0;
    const cpuMs = cpuMsSince(cpu0);
    const sinkTopic = engine.persistentQueries()[0]!.sinkTopics[0]!;
    return { name, records, elapsedMs, rps: (records / elapsedMs) * 1000, outputRecords: await engine.log.endOffset(sinkTopic, 0), cpuMs };
  } finally {
    await engine.close();
  }
}

/** Done when the query's committed offsets reach the end of every input (outputs commit with them). */
async function waitForCompletion(engine: Awaited<ReturnType<typeof openEngine>>, topics: readonly string[], group: string): Promise<void> {
  let lastReport = performance.now();
  for (;;) {
    const committed = await engine.log.committedOffsets(group);
    let done = true;
    let sourceCommitted = 0;
    for (const t of new Set(topics)) {
      const partitions = (await engine.log.describeTopic(t))?.partitions ?? 1;
      for (let p = 0; p < partitions; p++) {
        const c = committed.get(topicPartitionKey(t, p)) ?? 0;
        if (t === SOURCE_TOPIC) sourceCommitted += c;
        if (c < (await engine.log.endOffset(t, p))) done = false;
      }
    }
    if (done && sourceCommitted >= records) return;
    const q = engine.persistentQueries()[0];
    if (q?.state === 'ERROR') throw new Error(`query failed: ${q.error}`);
    if (performance.now() - lastReport > 5000) {
      progress(`${sourceCommitted.toLocaleString('en-US')} / ${records.toLocaleString('en-US')} input records committed`);
      lastReport = performance.now();
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

const result = name === 'roof' ? await runRoof() : await runWorkload();
const peakRssMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify({ ...result, peakRssMb } satisfies WorkloadResult)}\n`);
