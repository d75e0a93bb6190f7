// Maps a produce response (one base offset per partition) back to each record's offset: Kafka writes
// a partition's records of one request as one batch, in request order.
import type { MessageToProduce, ProduceResult } from '@platformatic/kafka';

export function recordOffsets(messages: readonly MessageToProduce[], result: ProduceResult): number[] {
  // Per topic, the next offset of each partition (indexed by partition: no string key per record).
  const next = new Map<string, number[]>();
  for (const o of result.offsets ?? []) {
    let byPartition = next.get(o.topic);
    if (!byPartition) next.set(o.topic, (byPartition = []));
    byPartition[o.partition] = Number(o.offset);
  }
  const out = new Array<number>(messages.length);
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    const byPartition = next.get(m.topic);
    const offset = byPartition?.[m.partition!];
    if (offset === undefined || offset < 0) throw new Error(`Kafka returned no offset for ${m.topic}:${m.partition}`);
    out[i] = offset;
    byPartition![m.partition!] = offset + 1;
  }
  return out;
}

/** The highest offset written per `topic:partition`, for waiting until the data is visible. */
export function lastOffsets(messages: readonly MessageToProduce[], offsets: readonly number[]): Map<string, number> {
  // Offsets grow along the messages of one partition: the last message of each partition wins.
  const last = new Map<string, Map<number, number>>();
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    let byPartition = last.get(m.topic);
    if (!byPartition) last.set(m.topic, (byPartition = new Map()));
    byPartition.set(m.partition!, Math.max(byPartition.get(m.partition!) ?? -1, offsets[i]!));
  }
  const out = new Map<string, number>();
  for (const [topic, byPartition] of last) for (const [partition, offset] of byPartition) out.set(`${topic}:${partition}`, offset);
  return out;
}

/**
 * Kafka refuses a request whose batch for one partition exceeds the broker's max message size
 * (1 MB by default): send large appends in consecutive chunks in which no partition has more than
 * `maxBytesPerPartition` of payload (sizes estimated with generous per-record overhead). Several
 * partitions share a chunk, so a multi-partition append still takes few round trips, up to
 * `maxBytes` in all (well below the broker's 100 MB request limit).
 */
export function chunkMessages(messages: readonly MessageToProduce[], maxBytesPerPartition = 900 * 1024, maxBytes = 8 * 1024 * 1024): MessageToProduce[][] {
  const chunks: MessageToProduce[][] = [];
  let current: MessageToProduce[] = [];
  let total = 0;
  let bytes = new Map<string, number[]>(); // per topic, payload bytes per partition in `current`
  for (const m of messages) {
    let size = 70 + (m.key?.length ?? 0) + (m.value?.length ?? 0);
    if (m.headers instanceof Map) for (const [k, v] of m.headers) size += (k as Buffer).length + ((v as Buffer | null)?.length ?? 0) + 10;
    let byPartition = bytes.get(m.topic);
    if (!byPartition) bytes.set(m.topic, (byPartition = []));
    const partition = m.partition ?? 0;
    if (current.length > 0 && ((byPartition[partition] ?? 0) + size > maxBytesPerPartition || total + size > maxBytes)) {
      chunks.push(current);
      current = [];
      total = 0;
      bytes = new Map([[m.topic, (byPartition = [])]]);
    }
    current.push(m);
    total += size;
    byPartition[partition] = (byPartition[partition] ?? 0) + size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** Sends `messages` chunk by chunk (in order) and returns every record's offset. */
export async function sendChunked(
  messages: readonly MessageToProduce[], send: (chunk: MessageToProduce[]) => Promise<ProduceResult>,
): Promise<number[]> {
  const chunks = chunkMessages(messages);
  if (chunks.length === 1) return recordOffsets(chunks[0]!, await send(chunks[0]!));
  const out: number[] = [];
  for (const chunk of chunks) for (const o of recordOffsets(chunk, await send(chunk))) out.push(o);
  return out;
}
