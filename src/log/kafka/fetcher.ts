// Manual-offset, read_committed fetches from partition leaders (no consumer group, no fetch session),
// and long-poll waits on separate connections so they never hold up other requests to the broker.
import type { ConnectionPool, fetchV17 } from '@platformatic/kafka';
import type { LogRecord } from '../log.ts';
import type { RawKafkaClient } from './client.ts';
import { hasApiError, missingTopic } from './errors.ts';
import { ReadAhead } from './read-ahead.ts';
import { decodeBatches } from './records.ts';

const isMissingTopic = (e: unknown) => hasApiError(e, 'UNKNOWN_TOPIC_OR_PARTITION') || hasApiError(e, 'UNKNOWN_TOPIC_ID');

const READ_COMMITTED = 1;

/**
 * How long "topic does not exist" is retried for a topic seen to exist: while a
 * broker dies and leaders move, metadata can briefly leave a live topic out.
 */
const STALE_TOPIC_MS = 15_000;

/** Bytes asked per read; Kafka still returns a whole first batch when it is bigger. */
const READ_MAX_BYTES = 4 * 1024 * 1024;
/** Long polls are cut in slices below the connections' 30 s request timeout. */
const WAIT_SLICE_MS = 20_000;

type Partition = fetchV17.FetchResponsePartition;

export class Fetcher {
  readonly #client: RawKafkaClient;
  /** Idle pools for long polls: Kafka answers one request per connection at a time, in order. */
  readonly #waitPools: ConnectionPool[] = [];
  readonly #allWaitPools = new Set<ConnectionPool>();
  /** What fetches brought back beyond what their read returned. */
  readonly #readAhead = new ReadAhead();
  /** Topics seen to exist (created, described or read) and not deleted here since. */
  readonly #liveTopics = new Set<string>();

  constructor(client: RawKafkaClient) {
    this.#client = client;
  }

  async #leader(topic: string, partition: number) {
    const metadata = await this.#client.clusterMetadata([topic]);
    const t = metadata.topics.get(topic);
    if (!t) throw this.#client.missingTopic(topic);
    const p = t.partitions[partition];
    if (!p || partition < 0) throw new Error(`Topic ${topic} has no partition ${partition} (it has ${t.partitionsCount})`);
    return { leader: p.leader, topicId: t.id };
  }

  async #fetch(topic: string, partition: number, offset: number, maxWaitMs: number, maxBytes: number, pool?: ConnectionPool): Promise<Partition> {
    const { leader, topicId } = await this.#leader(topic, partition);
    const api = await this.#client.api('Fetch');
    const connection = await this.#client.connection(leader, pool);
    const topics = [
      {
        // Fetch v13+ names topics by id, older versions by name.
        topicId: api.version <= 12 ? topic : topicId,
        partitions: [{ partition, currentLeaderEpoch: -1, fetchOffset: BigInt(offset), lastFetchedEpoch: -1, partitionMaxBytes: maxBytes }],
      },
    ];
    // Session id 0 with epoch -1: a sessionless full fetch, so concurrent fetches never clash.
    const response = (await api.async(connection, maxWaitMs, 1, maxBytes, READ_COMMITTED, 0, -1, topics, [], '')) as fetchV17.FetchResponse;
    const p = response.responses[0]?.partitions[0];
    if (!p) throw new Error(`empty fetch response for ${topic}:${partition}`);
    return p;
  }

  /**
   * Committed records from `from` on (at most `max`); skips over control markers and aborted data.
   * Serves what an earlier fetch of the partition already brought back before fetching again.
   */
  async read(topic: string, partition: number, from: number, max: number): Promise<LogRecord[]> {
    if (max <= 0) return [];
    const { topicId } = await this.#retryingRead(() => this.#leader(topic, partition), topic);
    const kept = this.#readAhead.take(topic, topicId, partition, from, max);
    if (kept) return kept;
    let offset = from;
    for (let round = 0; round < 100; round++) {
      let p: Partition;
      try {
        p = await this.#retryingRead(() => this.#fetch(topic, partition, offset, 0, READ_MAX_BYTES), topic);
      } catch (e) {
        if (!hasApiError(e, 'OFFSET_OUT_OF_RANGE')) throw e;
        // Below the log start (retention/compaction removed it): continue from the start; at or past
        // the end: nothing yet.
        const start = await this.#client.retrying(() => this.startOffsetOf(topic, partition), topic);
        if (offset >= start) return [];
        offset = start;
        continue;
      }
      const batches = p.records ?? [];
      if (batches.length === 0) return [];
      // Decode everything fetched (the client has parsed it all anyway) and keep the rest for later.
      const { records, nextOffset } = decodeBatches(batches, p.abortedTransactions, offset, Infinity);
      if (records.length > 0) {
        if (records.length > max) this.#readAhead.keep(topic, topicId, partition, records, nextOffset);
        return records.length > max ? records.slice(0, max) : records;
      }
      // Only markers or aborted records here: move past them while committed data may follow.
      if (nextOffset <= offset || nextOffset >= Number(p.lastStableOffset)) return [];
      offset = nextOffset;
    }
    return [];
  }

  /** Drops records kept from earlier fetches of `topic` (deleted or re-created here). */
  forgetTopic(topic: string): void {
    this.#readAhead.forgetTopic(topic);
    this.#liveTopics.delete(topic);
  }

  /** Marks `topic` as existing: "does not exist" for it is then retried for a while (STALE_TOPIC_MS). */
  topicExists(topic: string): void {
    this.#liveTopics.add(topic);
  }

  /** The client's retries, plus STALE_TOPIC_MS of retrying "does not exist" for a topic seen to exist. */
  async #retryingRead<T>(fn: () => Promise<T>, topic: string): Promise<T> {
    const deadline = Date.now() + STALE_TOPIC_MS;
    for (let delay = 100; ; delay = Math.min(delay * 2, 1000)) {
      try {
        const result = await this.#client.retrying(fn, topic);
        this.#liveTopics.add(topic);
        return result;
      } catch (e) {
        const stale = this.#liveTopics.has(topic) && e instanceof Error && e.message === missingTopic(topic).message;
        if (!stale || Date.now() > deadline || this.#client.closed) throw e;
        this.#client.clearMetadata();
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  /**
   * Waits (long poll) until committed data exists at or after `from`, or `timeoutMs` passes. Steps
   * over transaction markers and aborted records itself: a caller whose read() found only those
   * must not be woken again and again by them.
   */
  async waitForData(topic: string, partition: number, from: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const pool = this.#waitPools.pop() ?? this.#newWaitPool();
    let at = from;
    try {
      for (;;) {
        const left = deadline - Date.now();
        if (left <= 0) return;
        try {
          const p = await this.#fetch(topic, partition, at, Math.min(left, WAIT_SLICE_MS), 1, pool);
          const batches = p.records ?? [];
          if (batches.length === 0) continue;
          const { records, nextOffset } = decodeBatches(batches, p.abortedTransactions, at, 1);
          if (records.length > 0) return;
          at = Math.max(at, nextOffset);
        } catch (e) {
          if (hasApiError(e, 'OFFSET_OUT_OF_RANGE')) return; // let read() sort it out
          if (e instanceof Error && e.message.startsWith('Topic ')) throw e;
          if (isMissingTopic(e)) throw this.#client.missingTopic(topic);
          // Broker away: sleep a little instead of spinning; the caller's read reports real errors.
          this.#client.clearMetadata();
          await new Promise((r) => setTimeout(r, Math.min(500, Math.max(0, deadline - Date.now()))));
        }
      }
    } finally {
      if (this.#allWaitPools.has(pool)) this.#waitPools.push(pool);
    }
  }

  /** The first offset still stored (ListOffsets EARLIEST). */
  async startOffsetOf(topic: string, partition: number): Promise<number> {
    return this.listOffset(topic, partition, -2n);
  }

  /** ListOffsets against the leader; LATEST (-1) under read_committed is the last stable offset. */
  async listOffset(topic: string, partition: number, timestamp: bigint): Promise<number> {
    const { leader } = await this.#leader(topic, partition);
    const response = await this.#client.call<{ topics: { partitions: { offset: bigint }[] }[] }>('ListOffsets', leader, -1, READ_COMMITTED, [
      { name: topic, partitions: [{ partitionIndex: partition, currentLeaderEpoch: -1, timestamp, maxNumOffsets: 1 }] },
    ]);
    const offset = response.topics[0]?.partitions[0]?.offset;
    if (offset === undefined) throw new Error(`no offset for ${topic}:${partition}`);
    return Number(offset);
  }

  #newWaitPool(): ConnectionPool {
    const pool = this.#client.newPool();
    this.#allWaitPools.add(pool);
    return pool;
  }

  async close(): Promise<void> {
    const pools = [...this.#allWaitPools];
    this.#allWaitPools.clear();
    this.#waitPools.length = 0;
    this.#readAhead.clear();
    await Promise.all(pools.map((p) => p.close().catch(() => {})));
  }
}
