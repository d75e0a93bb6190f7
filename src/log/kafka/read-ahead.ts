// Records a fetch brought back beyond what its read asked for, kept per partition for the next read.
// A Kafka fetch returns whole record batches up to its byte budget (thousands of records), and the
// client decodes all of them; a task reads 1000 at a time, so without this every read would fetch
// and decode the same megabytes again and keep a few percent of them.
//
// Keeping them is safe: a fetch under read_committed returns only records below the last stable
// offset, whose outcome (committed) can no longer change, and a record that compaction removes
// later was still a valid read when fetched. Entries are keyed by topic id, so a topic deleted and
// re-created (offsets restart at 0) never serves the old topic's records.
import type { LogRecord } from '../log.ts';

interface Entry {
  readonly topicId: string;
  readonly records: readonly LogRecord[];
  /** Where the fetch that produced `records` ended: the next offset to fetch from. */
  readonly nextOffset: number;
}

/**
 * At most this many partitions keep records (the oldest entry is dropped first): an entry holds on
 * to its fetch response (up to the fetch size, 4 MB), so this bounds the memory kept.
 */
const MAX_PARTITIONS = 32;

export class ReadAhead {
  readonly #entries = new Map<string, Entry>();

  /**
   * Up to `max` kept records from offset `from` on, or undefined when nothing kept covers `from`
   * (the caller fetches). A read that reaches the last kept record frees the entry.
   */
  take(topic: string, topicId: string, partition: number, from: number, max: number): LogRecord[] | undefined {
    const key = `${topic}:${partition}`;
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.topicId !== topicId) {
      this.#entries.delete(key);
      return undefined;
    }
    const records = entry.records;
    if (records.length === 0 || from < records[0]!.offset || from >= entry.nextOffset) return undefined;
    const i = firstAtOrAfter(records, from);
    if (i >= records.length) return undefined;
    if (i + max >= records.length) this.#entries.delete(key);
    return records.slice(i, i + max);
  }

  /** Keeps `records` (all of a fetch's committed records from its start on) for later reads. */
  keep(topic: string, topicId: string, partition: number, records: readonly LogRecord[], nextOffset: number): void {
    const key = `${topic}:${partition}`;
    this.#entries.delete(key); // re-insert: the map's order is the eviction order
    if (records.length === 0) return;
    this.#entries.set(key, { topicId, records, nextOffset });
    if (this.#entries.size > MAX_PARTITIONS) this.#entries.delete(this.#entries.keys().next().value!);
  }

  /** Forgets a topic's records (it was deleted or re-created by this process). */
  forgetTopic(topic: string): void {
    for (const key of this.#entries.keys()) if (key.slice(0, key.lastIndexOf(':')) === topic) this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }
}

/** Index of the first record with offset >= `from` (offsets grow; compaction and markers leave gaps). */
function firstAtOrAfter(records: readonly LogRecord[], from: number): number {
  let lo = 0;
  let hi = records.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (records[mid]!.offset < from) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
