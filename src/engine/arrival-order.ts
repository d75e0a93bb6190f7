// Remembers the order in which records were appended across topics through this engine, so a
// task reading several inputs can replay them in arrival order (what ksqlDB's test driver does).
// Only used with manual scheduling; production merges by timestamp like Kafka Streams.

import type { Log, LogTransaction, ProduceRecord } from '../log/log.ts';

export class ArrivalOrder {
  #next = 0;
  readonly #seq = new Map<string, Map<number, number>>();

  record(topic: string, records: readonly ProduceRecord[], offsets: readonly number[]): void {
    records.forEach((r, i) => {
      const key = `${topic}:${r.partition}`;
      let m = this.#seq.get(key);
      if (!m) this.#seq.set(key, (m = new Map()));
      m.set(offsets[i]!, this.#next++);
    });
  }

  sequenceOf(topic: string, partition: number, offset: number): number | undefined {
    return this.#seq.get(`${topic}:${partition}`)?.get(offset);
  }

  /** A Log that records the arrival order of every append and committed transaction. */
  wrap(log: Log): Log {
    const record = (topic: string, records: readonly ProduceRecord[], offsets: readonly number[]): void => this.record(topic, records, offsets);
    // Methods are captured bound, so later wrapping of the returned object cannot loop back.
    const append = log.append.bind(log);
    const begin = log.beginTransaction.bind(log);
    return {
      kind: log.kind,
      createTopic: log.createTopic.bind(log),
      deleteTopic: log.deleteTopic.bind(log),
      describeTopic: log.describeTopic.bind(log),
      listTopics: log.listTopics.bind(log),
      read: log.read.bind(log),
      endOffset: log.endOffset.bind(log),
      startOffset: log.startOffset.bind(log),
      commitOffsets: log.commitOffsets.bind(log),
      committedOffsets: log.committedOffsets.bind(log),
      waitForData: log.waitForData.bind(log),
      close: log.close.bind(log),
      append: async (topic: string, records: readonly ProduceRecord[]) => {
        const offsets = await append(topic, records);
        record(topic, records, offsets);
        return offsets;
      },
      beginTransaction: async (id: string): Promise<LogTransaction> => {
        const txn = await begin(id);
        const appends: [string, readonly ProduceRecord[]][] = [];
        return {
          append: (topic, records) => {
            appends.push([topic, records]);
            txn.append(topic, records);
          },
          commitOffsets: (group, offsets) => txn.commitOffsets(group, offsets),
          commit: async () => {
            const offsets = await txn.commit();
            appends.forEach(([topic, records], i) => record(topic, records, offsets[i]!));
            return offsets;
          },
          abort: () => txn.abort(),
        };
      },
    };
  }
}
