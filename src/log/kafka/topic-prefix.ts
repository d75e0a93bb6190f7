// A Log that puts every topic, consumer group and transactional id under a prefix on a shared
// backend, invisibly to its user: many engines (one per conformance case) share one Kafka without
// seeing each other's topics, offsets or commands. Closing it drops its topics.
import type { Log, LogRecord, LogTransaction, ProduceRecord, TopicConfig, TopicDescription } from '../log.ts';

/** A backend that can drop topics without waiting for them to disappear (KafkaLog). */
interface DroppingLog extends Log {
  dropTopics?(names: readonly string[]): Promise<void>;
}

export class PrefixedLog implements Log {
  readonly kind: string;
  readonly #base: DroppingLog;
  readonly #prefix: string;
  readonly #closeBase: boolean;

  /** `closeBase`: close the backend too on close (default true). */
  constructor(base: Log, prefix: string, closeBase = true) {
    this.kind = base.kind;
    this.#base = base;
    this.#prefix = prefix;
    this.#closeBase = closeBase;
  }

  #in = (name: string): string => this.#prefix + name;

  #out = (name: string): string => (name.startsWith(this.#prefix) ? name.slice(this.#prefix.length) : name);

  #keys(offsets: ReadonlyMap<string, number>): Map<string, number> {
    return new Map([...offsets].map(([k, v]) => [this.#in(k), v]));
  }

  /** Errors name backend topics: show the user's names instead. */
  async #call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof Error && e.message.includes(this.#prefix)) e.message = e.message.replaceAll(this.#prefix, '');
      throw e;
    }
  }

  #describe = (d: TopicDescription | undefined): TopicDescription | undefined => d && { ...d, name: this.#out(d.name) };

  createTopic(name: string, config: TopicConfig): Promise<void> {
    return this.#call(() => this.#base.createTopic(this.#in(name), config));
  }

  deleteTopic(name: string): Promise<void> {
    return this.#call(() => this.#base.deleteTopic(this.#in(name)));
  }

  async describeTopic(name: string): Promise<TopicDescription | undefined> {
    return this.#describe(await this.#call(() => this.#base.describeTopic(this.#in(name))));
  }

  async listTopics(): Promise<TopicDescription[]> {
    const all = await this.#call(() => this.#base.listTopics());
    return all.filter((t) => t.name.startsWith(this.#prefix)).map((t) => this.#describe(t)!);
  }

  append(topic: string, records: readonly ProduceRecord[]): Promise<number[]> {
    return this.#call(() => this.#base.append(this.#in(topic), records));
  }

  read(topic: string, partition: number, from: number, maxRecords: number): Promise<LogRecord[]> {
    return this.#call(() => this.#base.read(this.#in(topic), partition, from, maxRecords));
  }

  endOffset(topic: string, partition: number): Promise<number> {
    return this.#call(() => this.#base.endOffset(this.#in(topic), partition));
  }

  startOffset(topic: string, partition: number): Promise<number> {
    return this.#call(() => this.#base.startOffset(this.#in(topic), partition));
  }

  commitOffsets(group: string, offsets: ReadonlyMap<string, number>): Promise<void> {
    return this.#call(() => this.#base.commitOffsets(this.#in(group), this.#keys(offsets)));
  }

  async committedOffsets(group: string): Promise<Map<string, number>> {
    const all = await this.#call(() => this.#base.committedOffsets(this.#in(group)));
    return new Map([...all].filter(([k]) => k.startsWith(this.#prefix)).map(([k, v]) => [this.#out(k), v]));
  }

  waitForData(topic: string, partition: number, from: number, timeoutMs: number): Promise<void> {
    return this.#base.waitForData(this.#in(topic), partition, from, timeoutMs);
  }

  async beginTransaction(transactionalId: string): Promise<LogTransaction> {
    const txn = await this.#call(() => this.#base.beginTransaction(this.#in(transactionalId)));
    return {
      append: (topic, records) => txn.append(this.#in(topic), records),
      commitOffsets: (group, offsets) => txn.commitOffsets(this.#in(group), this.#keys(offsets)),
      commit: () => this.#call(() => txn.commit()),
      abort: () => txn.abort(),
    };
  }

  /** Drops this prefix's topics (best effort, not awaited by Kafka), then closes the backend. */
  async close(): Promise<void> {
    try {
      if (this.#base.dropTopics) {
        const mine = (await this.#base.listTopics()).map((t) => t.name).filter((n) => n.startsWith(this.#prefix));
        if (mine.length > 0) await this.#base.dropTopics(mine);
      }
    } catch { /* cleanup only */ }
    if (this.#closeBase) await this.#base.close();
  }
}
