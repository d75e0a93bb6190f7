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
