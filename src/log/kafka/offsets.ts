// Maps a produce response (one base offset per partition) back to each record's offset: Kafka writes
// a partition's records of one request as one batch, in request order.
import type { MessageToProduce, ProduceResult } from '@platformatic/kafka';

export function recordOffsets(messages: readonly MessageToProduce[], result: ProduceResult): number[] {
  const base = new Map<string, number>();
  for (const o of result.offsets ?? []) base.set(`${o.topic}:${o.partition}`, Number(o.offset));
  const next = new Map<string, number>();
  return messages.map((m) => {
    const key = `${m.topic}:${m.partition}`;
    const start = base.get(key);
    if (start === undefined || start < 0) throw new Error(`Kafka returned no offset for ${key}`);
    const i = next.get(key) ?? 0;
    next.set(key, i + 1);
    return start + i;
  });
}

/** The highest offset written per `topic:partition`, for waiting until the data is visible. */
export function lastOffsets(messages: readonly MessageToProduce[], offsets: readonly number[]): Map<string, number> {
  const last = new Map<string, number>();
  messages.forEach((m, i) => last.set(`${m.topic}:${m.partition}`, Math.max(last.get(`${m.topic}:${m.partition}`) ?? -1, offsets[i]!)));
  return last;
}

/**
 * Kafka refuses a request whose batch for one partition exceeds the broker's max message size
 * (1 MB by default): send large appends in consecutive chunks of at most `maxBytes` of payload.
 */
export function chunkMessages(messages: readonly MessageToProduce[], maxBytes = 512 * 1024): MessageToProduce[][] {
  const chunks: MessageToProduce[][] = [];
  let current: MessageToProduce[] = [];
  let bytes = 0;
  for (const m of messages) {
    let size = 70 + (m.key?.length ?? 0) + (m.value?.length ?? 0);
    for (const [k, v] of m.headers instanceof Map ? m.headers : []) size += (k as Buffer).length + ((v as Buffer | null)?.length ?? 0) + 10;
    if (current.length > 0 && bytes + size > maxBytes) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(m);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** Sends `messages` chunk by chunk (in order) and returns every record's offset. */
export async function sendChunked(
  messages: readonly MessageToProduce[], send: (chunk: MessageToProduce[]) => Promise<ProduceResult>,
): Promise<number[]> {
  const out: number[] = [];
  for (const chunk of chunkMessages(messages)) out.push(...recordOffsets(chunk, await send(chunk)));
  return out;
}
