// The Kafka side of the Kafka benchmark: writes the source records once, and measures the client's
// own roof: consume every record of the source and produce it unchanged to another topic (reads
// pipelined with writes, no processing), the same Kafka log calls the engine makes. Each read takes
// all a fetch brought back and each append sends it whole, so the roof pays the fewest round trips
// the client allows: the engine cannot beat it by batching more.
import type { KafkaLog } from '../src/log/kafka/kafka-log.ts';
import type { ProduceRecord } from '../src/log/log.ts';
import { recordJson, SOURCE_TOPIC } from './engine-records.ts';

const BATCH = 10_000;
/** More than one fetch (4 MB) ever holds: a read returns everything its fetch brought back. */
const ROOF_READ_MAX = 1_000_000;

export async function generateSource(log: KafkaLog, records: number, progress: (line: string) => void): Promise<void> {
  // The records carry 2023 timestamps: without retention.ms=-1 Kafka's time retention deletes them.
  if (await log.describeTopic(SOURCE_TOPIC)) await log.deleteTopic(SOURCE_TOPIC);
  await log.createTopic(SOURCE_TOPIC, { partitions: 1, retentionMs: -1 });
  const enc = new TextEncoder();
  for (let i = 0; i < records; i += BATCH) {
    const batch: ProduceRecord[] = [];
    for (let j = i; j < Math.min(records, i + BATCH); j++) {
      batch.push({ partition: 0, key: null, value: enc.encode(recordJson(j)), timestamp: 1_700_000_000_000 + j * 10 });
    }
    await log.append(SOURCE_TOPIC, batch);
    if ((i / BATCH) % 20 === 19) progress(`  ${(i + BATCH).toLocaleString('en-US')} records`);
  }
}

/** Records/s of consume + produce with no processing; `target` is a fresh topic. */
export async function measureRoof(log: KafkaLog, records: number, target: string): Promise<number> {
  await log.createTopic(target, { partitions: 1 });
  const t0 = performance.now();
  let from = await log.startOffset(SOURCE_TOPIC, 0);
  let copied = 0;
  let inFlight: Promise<number[]> | undefined;
  while (copied < records) {
    const batch = await log.read(SOURCE_TOPIC, 0, from, ROOF_READ_MAX);
    if (batch.length === 0) continue;
    from = batch.at(-1)!.offset + 1;
    copied += batch.length;
    await inFlight;
    inFlight = log.append(target, batch.map((r) => ({ partition: 0, key: r.key, value: r.value, timestamp: r.timestamp, headers: r.headers })));
  }
  await inFlight;
  return (copied / (performance.now() - t0)) * 1000;
}
