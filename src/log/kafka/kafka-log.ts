// The Log on Apache Kafka (@platformatic/kafka): admin for topics and group offsets, an idempotent
// acks=all producer for appends, manual-offset read_committed fetches for reads, and one
// transactional producer per transactional id (Kafka itself fences older producers of an id).
import { Admin, type MessageToProduce, Producer } from '@platformatic/kafka';
import type { Log, LogRecord, LogTransaction, ProduceRecord, TopicConfig, TopicDescription } from '../log.ts';
import { RawKafkaClient } from './client.ts';
import { hasApiError, missingTopic, unknownTopicIn } from './errors.ts';
import { Fetcher } from './fetcher.ts';
import { KafkaLogTransaction, type TransactionHost } from './kafka-transaction.ts';
import { sendChunked } from './offsets.ts';
import { toMessage } from './records.ts';

export interface KafkaLogOptions {
  /** "host:port,host:port" or a list. */
  readonly bootstrapServers: string | readonly string[];
  readonly clientId?: string;
}

const TOPIC_CONFIG = 2; // ConfigResourceTypes.TOPIC
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * CONCURRENT_TRANSACTIONS only means the previous transaction of this id is still writing its
 * markers (a few ms): retry it quickly, like Kafka's Java client does; other errors back off.
 */
const txnRetryDelay = (_client: unknown, _op: string, _attempt: number, _retries: number, error: Error): number =>
  hasApiError(error, 'CONCURRENT_TRANSACTIONS') ? 10 : 250;

interface TxnEntry {
  producer: Producer;
  current: KafkaLogTransaction | undefined;
}

export class KafkaLog implements Log, TransactionHost {
  readonly kind = 'kafka';
  readonly client: RawKafkaClient;
  readonly #bootstrap: string[];
  readonly #clientId: string;
  readonly #admin: Admin;
  /** Existence probes: no library-level retry, which would wait 200 ms on every missing topic. */
  readonly #probe: RawKafkaClient;
  readonly #fetcher: Fetcher;
  #producer: Producer | undefined;
  readonly #txns = new Map<string, TxnEntry>();

  constructor(options: KafkaLogOptions) {
    const list = typeof options.bootstrapServers === 'string' ? options.bootstrapServers.split(',') : options.bootstrapServers;
    this.#bootstrap = list.map((s) => s.trim()).filter((s) => s.length > 0);
    this.#clientId = options.clientId ?? 'riffle';
    const base = { bootstrapBrokers: this.#bootstrap, connectTimeout: 3000 };
    this.client = new RawKafkaClient({ ...base, clientId: `${this.#clientId}-log`, retries: 1, retryDelay: 200 });
    this.#probe = new RawKafkaClient({ ...base, clientId: `${this.#clientId}-probe`, retries: 0, retryDelay: 200 });
    this.#admin = new Admin({ ...base, clientId: `${this.#clientId}-admin`, retries: 1, retryDelay: 200 });
    this.#fetcher = new Fetcher(this.client);
  }

  // ---- topics ----

  async createTopic(name: string, config: TopicConfig): Promise<void> {
    const configs: { name: string; value: string }[] = [{ name: 'cleanup.policy', value: config.cleanupPolicy ?? 'delete' }];
    if (config.retentionMs !== undefined) configs.push({ name: 'retention.ms', value: String(config.retentionMs) });
    try {
      await this.client.retrying(() =>
        this.#admin.createTopics({ topics: [name], partitions: config.partitions, replicas: config.replicas ?? -1, configs }),
      );
    } catch (e) {
      if (hasApiError(e, 'TOPIC_ALREADY_EXISTS')) throw new Error(`Topic ${name} already exists`, { cause: e });
      throw this.client.wrap(e);
    }
    // Creation is asynchronous in Kafka: wait until every partition has a leader so the next
    // append or read does not fail.
    await this.#until(`topic ${name} to get partition leaders`, async () => {
      const t = (await this.#metadataOrUndefined(name))?.topics.get(name);
      return t !== undefined && t.partitions.length === config.partitions && t.partitions.every((p) => p && p.leader >= 0);
    });
    // A re-created topic has a new topic id: drop metadata cached for the old one (fetches use ids).
    this.client.clearMetadata();
    this.#fetcher.forgetTopic(name);
    this.#fetcher.topicExists(name);
  }

  async deleteTopic(name: string): Promise<void> {
    if (!(await this.#metadataOrUndefined(name))?.topics.has(name)) throw missingTopic(name);
    try {
      await this.client.retrying(() => this.#admin.deleteTopics({ topics: [name] }));
    } catch (e) {
      throw this.client.wrap(e, name);
    }
    await this.#until(`topic ${name} to disappear`, async () => !(await this.#metadataOrUndefined(name))?.topics.has(name));
    this.#fetcher.forgetTopic(name);
  }

  /** Deletes topics in one request without waiting for Kafka to finish (cleanup of test topics). */
  async dropTopics(names: readonly string[]): Promise<void> {
    if (names.length === 0) return;
    await this.#admin.deleteTopics({ topics: [...names] });
    for (const name of names) this.#fetcher.forgetTopic(name);
  }

  async describeTopic(name: string): Promise<TopicDescription | undefined> {
    return (await this.#describe([name]))[0];
  }

  async listTopics(): Promise<TopicDescription[]> {
    const names = await this.client.retrying(() => this.#admin.listTopics({ includeInternals: false }));
    return this.#describe(names.filter((n) => !n.startsWith('__')));
  }

  /**
   * Describes the topics of `names` that exist. Other clients may delete topics between a listing
   * and this call (a shared broker): a topic that vanished meanwhile is left out, not an error.
   */
  async #describe(names: string[]): Promise<TopicDescription[]> {
    let present = names;
    let metadata;
    for (;;) {
      if (present.length === 0) return [];
      if (present.length === 1) metadata = await this.#metadataOrUndefined(present[0]!);
      else {
        try {
          metadata = await this.client.retrying(() => this.client.clusterMetadata(present, true));
        } catch (e) {
          const gone = unknownTopicIn(e);
          if (gone === undefined || !present.includes(gone)) throw e;
          present = present.filter((n) => n !== gone);
          continue;
        }
      }
      break;
    }
    present = present.filter((n) => metadata?.topics.has(n));
    if (present.length === 0) return [];
    const policies = await this.#cleanupPolicies(present);
    return present.filter((name) => policies.has(name)).map((name) => {
      const t = metadata!.topics.get(name)!;
      this.#fetcher.topicExists(name);
      return {
        name,
        partitions: t.partitionsCount,
        replicas: t.partitions[0]?.replicas.length ?? 0,
        cleanupPolicy: policies.get(name)!.includes('compact') ? 'compact' : 'delete',
      };
    });
  }

  /** cleanup.policy per topic; a topic deleted meanwhile is missing from the result. */
  async #cleanupPolicies(names: string[]): Promise<Map<string, string>> {
    const describe = (topics: string[]) =>
      this.client.retrying(() =>
        this.#admin.describeConfigs({
          resources: topics.map((n) => ({ resourceType: TOPIC_CONFIG, resourceName: n, configurationKeys: ['cleanup.policy'] })),
        }),
      );
    const policyOf = (c: Awaited<ReturnType<typeof describe>>[number]) => c.configs.find((x) => x.name === 'cleanup.policy')?.value ?? 'delete';
    const result = new Map<string, string>();
    try {
      for (const c of await describe(names)) result.set(c.resourceName, policyOf(c));
    } catch (e) {
      // The whole request fails when one topic is gone: ask topic by topic, leaving out the gone ones.
      if (names.length === 1) {
        if (hasApiError(e, 'UNKNOWN_TOPIC_OR_PARTITION')) return result;
        throw e;
      }
      for (const name of names) for (const [k, v] of await this.#cleanupPolicies([name])) result.set(k, v);
    }
    return result;
  }

  /** Fresh metadata for one topic, or undefined when Kafka does not know it. */
  async #metadataOrUndefined(name: string) {
    try {
      return await this.#probe.retrying(() => this.#probe.clusterMetadata([name], true), name);
    } catch (e) {
      if (e instanceof Error && e.message === missingTopic(name).message) return undefined;
      throw e;
    }
  }

  async #until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000, firstDelay = 10): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (let delay = firstDelay; ; delay = Math.min(delay * 2, 200)) {
      if (await check()) return;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(delay);
    }
  }

  // ---- append and read ----

  async toMessages(topic: string, records: readonly ProduceRecord[]): Promise<MessageToProduce[]> {
    if (records.length === 0) return [];
    const metadata = await this.client.retrying(() => this.client.clusterMetadata([topic]), topic);
    const t = metadata.topics.get(topic);
    if (!t) throw missingTopic(topic);
    const now = BigInt(Date.now());
    return records.map((r) => {
      // The client would silently wrap an out-of-range partition (modulo); refuse it instead.
      if (!Number.isInteger(r.partition) || r.partition < 0 || r.partition >= t.partitionsCount) {
        throw new Error(`Topic ${topic} has no partition ${r.partition} (it has ${t.partitionsCount})`);
      }
      return toMessage(topic, r, now);
    });
  }

  async append(topic: string, records: readonly ProduceRecord[]): Promise<number[]> {
    const messages = await this.toMessages(topic, records);
    if (messages.length === 0) return [];
    try {
      return await sendChunked(messages, (chunk) => this.#plainProducer().send({ messages: chunk }));
    } catch (e) {
      if (hasApiError(e, 'INVALID_RECORD')) {
        throw new Error(`Kafka rejected records of topic ${topic} as invalid (INVALID_RECORD; a compacted topic rejects records without a key)`, { cause: e });
      }
      throw this.client.wrap(e, topic);
    }
  }

  #plainProducer(): Producer {
    this.#producer ??= new Producer({
      clientId: `${this.#clientId}-producer`,
      bootstrapBrokers: this.#bootstrap,
      connectTimeout: 3000,
      idempotent: true,
      acks: -1,
      // Rides out a broker restart (10-20 s, but over 30 s seen on a 2-core machine shared by
      // several test runs: 60 s in all); the idempotent producer makes retries exactly-once.
      retries: 240,
      retryDelay: 250,
      timeout: 15_000,
    });
    return this.#producer;
  }

  read(topic: string, partition: number, from: number, maxRecords: number): Promise<LogRecord[]> {
    return this.#fetcher.read(topic, partition, from, maxRecords);
  }

  endOffset(topic: string, partition: number): Promise<number> {
    return this.client.retrying(() => this.#fetcher.listOffset(topic, partition, -1n), topic);
  }

  startOffset(topic: string, partition: number): Promise<number> {
    return this.client.retrying(() => this.#fetcher.startOffsetOf(topic, partition), topic);
  }

  waitForData(topic: string, partition: number, from: number, timeoutMs: number): Promise<void> {
    return this.#fetcher.waitForData(topic, partition, from, timeoutMs);
  }

  async awaitVisible(last: ReadonlyMap<string, number>): Promise<void> {
    await Promise.all(
      [...last].map(([key, offset]) => {
        const cut = key.lastIndexOf(':');
        const topic = key.slice(0, cut);
        const partition = Number(key.slice(cut + 1));
        // Transaction markers land a few ms after EndTxn: poll briskly.
        return this.#until(`${key} to become readable`, async () => (await this.endOffset(topic, partition)) > offset, 30_000, 2);
      }),
    );
  }

  // ---- consumer group offsets ----

  async commitOffsets(group: string, offsets: ReadonlyMap<string, number>): Promise<void> {
    if (offsets.size === 0) return;
    const byTopic = new Map<string, { partition: number; offset: bigint }[]>();
    for (const [key, offset] of offsets) {
      const cut = key.lastIndexOf(':');
      const list = byTopic.get(key.slice(0, cut)) ?? [];
      list.push({ partition: Number(key.slice(cut + 1)), offset: BigInt(offset) });
      byTopic.set(key.slice(0, cut), list);
    }
    const topics = [...byTopic].map(([name, partitionOffsets]) => ({ name, partitionOffsets }));
    // OffsetCommit with generation -1: a commit outside group membership.
    await this.client.retrying(() => this.#admin.alterConsumerGroupOffsets({ groupId: group, topics }));
  }

  async committedOffsets(group: string): Promise<Map<string, number>> {
    // requireStable: wait for offsets of transactions still being completed (retried while unstable).
    const groups = await this.client.retrying(() => this.#admin.listConsumerGroupOffsets({ groups: [group], requireStable: true }));
    const result = new Map<string, number>();
    for (const g of groups) {
      for (const t of g.topics) {
        for (const p of t.partitions) if (p.committedOffset >= 0n) result.set(`${t.name}:${p.partitionIndex}`, Number(p.committedOffset));
      }
    }
    return result;
  }

  // ---- transactions ----

  async beginTransaction(transactionalId: string): Promise<LogTransaction> {
    let entry = this.#txns.get(transactionalId);
    if (entry?.current) await entry.current.fence();
    if (!entry) {
      entry = {
        producer: new Producer({
          clientId: `${this.#clientId}-txn`,
          bootstrapBrokers: this.#bootstrap,
          connectTimeout: 3000,
          transactionalId,
          // "No previous producer": the library's default (0, 0) makes Kafka answer PRODUCER_FENCED
          // when a new producer (a restart, or one replacing a failed producer) inits an existing id.
          producerId: -1n,
          producerEpoch: -1,
          idempotent: true,
          acks: -1,
          retries: 40,
          retryDelay: txnRetryDelay,
          // Also the transaction timeout: the coordinator aborts a dead producer's open transaction
          // after it, which unblocks read_committed readers of its partitions.
          timeout: 10_000,
        }),
        current: undefined,
      };
      this.#txns.set(transactionalId, entry);
    }
    const producer = entry.producer;
    try {
      // The first begin per producer runs InitProducerId, which fences other holders of the id.
      const txn = await producer.beginTransaction();
      const tx = new KafkaLogTransaction(transactionalId, producer, txn, this);
      entry.current = tx;
      return tx;
    } catch (e) {
      this.discardProducer(transactionalId, producer);
      throw this.client.wrap(e);
    }
  }

  discardProducer(id: string, producer: Producer): void {
    const entry = this.#txns.get(id);
    if (entry?.producer === producer) this.#txns.delete(id);
    producer.close(true).catch(() => {});
  }

  async close(): Promise<void> {
    const producers = [...this.#txns.values()].map((e) => e.producer);
    if (this.#producer) producers.push(this.#producer);
    this.#txns.clear();
    this.#producer = undefined;
    await Promise.all(producers.map((p) => p.close(true).catch(() => {})));
    await this.#fetcher.close();
    await Promise.all([this.#admin.close().catch(() => {}), this.client.close().catch(() => {}), this.#probe.close().catch(() => {})]);
  }
}
