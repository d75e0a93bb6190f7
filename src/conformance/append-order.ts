// Kafka keeps no order across partitions, but ksqlDB's test driver compares a sink topic's records
// in emission order. We recover it by watching every append to the engine's Log (plain and
// transactional) and numbering records in call order, then read outputs back in that order.

import type { Log, LogRecord, LogTransaction, ProduceRecord } from '../log/log.ts';

export interface OrderedRecord extends LogRecord {
  readonly partition: number;
}

export class AppendOrder {
  private next = 0;
  private readonly seq = new Map<string, number>();
  /** False until the first append is seen through the wrapper (then the order is trustworthy). */
  seen = false;

  /** Patches `log` in place so every append is numbered. Call before any statement runs. */
  attach(log: Log): void {
    const mutable = log as { -readonly [K in keyof Log]: Log[K] };
    // Methods are looked up defensively: a partial Log (tests) simply goes untracked there.
    if (typeof log.append === 'function') {
      const append = log.append.bind(log);
      mutable.append = async (topic, records) => {
        const base = this.reserve(records.length);
        const offsets = await append(topic, records);
        this.record(topic, records, offsets, base);
        return offsets;
      };
    }
    if (typeof log.beginTransaction === 'function') {
      const begin = log.beginTransaction.bind(log);
      mutable.beginTransaction = async (id) => this.wrapTransaction(await begin(id));
    }
  }

  private reserve(n: number): number {
    const base = this.next;
    this.next += n;
    return base;
  }

  private record(topic: string, records: readonly ProduceRecord[], offsets: readonly number[], base: number): void {
    this.seen = true;
    records.forEach((r, i) => {
      const off = offsets[i];
      if (off !== undefined) this.seq.set(`${topic}:${r.partition}:${off}`, base + i);
    });
  }

  private wrapTransaction(tx: LogTransaction): LogTransaction {
    const calls: { topic: string; records: readonly ProduceRecord[]; base: number }[] = [];
    return {
      append: (topic, records) => {
        calls.push({ topic, records, base: this.reserve(records.length) });
        tx.append(topic, records);
      },
      commitOffsets: (group, offsets) => tx.commitOffsets(group, offsets),
      commit: async () => {
        const result = await tx.commit();
        calls.forEach((c, i) => this.record(c.topic, c.records, result[i] ?? [], c.base));
        return result;
      },
      abort: () => tx.abort(),
    };
  }

  /** All records of a topic, in append order when known, else merged by timestamp (stable). */
  async readAll(log: Log, topic: string): Promise<OrderedRecord[]> {
    const desc = await log.describeTopic(topic);
    if (!desc) return [];
    const all: OrderedRecord[] = [];
    for (let p = 0; p < desc.partitions; p++) {
      let from = await log.startOffset(topic, p);
      const end = await log.endOffset(topic, p);
      while (from < end) {
        const batch = await log.read(topic, p, from, 10_000);
        if (batch.length === 0) break;
        for (const r of batch) all.push({ ...r, partition: p });
        from = batch[batch.length - 1]!.offset + 1;
      }
    }
    const key = (r: OrderedRecord): number | undefined => this.seq.get(`${topic}:${r.partition}:${r.offset}`);
    if (all.every((r) => key(r) !== undefined)) return all.sort((a, b) => key(a)! - key(b)!);
    // Fallback: k-way merge of partitions by timestamp, keeping each partition's own order.
    const heads = new Map<number, OrderedRecord[]>();
    for (const r of all) {
      const list = heads.get(r.partition) ?? [];
      list.push(r);
      heads.set(r.partition, list);
    }
    const merged: OrderedRecord[] = [];
    while (merged.length < all.length) {
      let best: OrderedRecord[] | undefined;
      for (const list of heads.values()) {
        if (list.length > 0 && (!best || list[0]!.timestamp < best[0]!.timestamp)) best = list;
      }
      merged.push(best!.shift()!);
    }
    return merged;
  }
}
