// The Log: partitioned, ordered, durable topics of keyed records - the contract every log backend
// (embedded files, Apache Kafka) implements and that log-contract.ts checks.
// It knows nothing about SQL, formats or queries: keys and values are bytes.
//
// Guarantees every implementation gives:
// - Offsets in a partition start at 0 and grow with every appended record (compaction, and Kafka's
//   transaction markers, may leave gaps on read; an offset is never reused).
// - Records appended to a compacted topic must have a key (Kafka refuses keyless records there).
// - `append` resolves only once the records are durable under the backend's rule (see each backend)
//   and returns their offsets; records of one append to one partition keep their order.
// - `read` returns records with offset >= `from`, in offset order, at most `maxRecords` of them.
// - Committed group offsets survive restarts.
// Non-guarantees: no ordering across partitions; `read` may return fewer records than exist.

export interface Header {
  readonly key: string;
  /** null is a header with no value. */
  readonly value: Uint8Array | null;
}

export interface LogRecord {
  readonly offset: number;
  readonly timestamp: number;
  readonly key: Uint8Array | null;
  /** null = tombstone. */
  readonly value: Uint8Array | null;
  readonly headers: readonly Header[];
}

export interface ProduceRecord {
  readonly partition: number;
  /** Defaults to the append wall-clock time. */
  readonly timestamp?: number;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly headers?: readonly Header[];
}

export interface TopicConfig {
  readonly partitions: number;
  readonly replicas?: number;
  /** 'compact' keeps only the newest record per key (eventually); 'delete' keeps by retention. */
  readonly cleanupPolicy?: 'delete' | 'compact';
  readonly retentionMs?: number;
}

export interface TopicDescription {
  readonly name: string;
  readonly partitions: number;
  readonly replicas: number;
  readonly cleanupPolicy: 'delete' | 'compact';
}

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

export interface Log {
  /** A short name for messages: 'embedded' or 'kafka'. */
  readonly kind: string;

  createTopic(name: string, config: TopicConfig): Promise<void>;
  /** Throws if the topic does not exist. */
  deleteTopic(name: string): Promise<void>;
  describeTopic(name: string): Promise<TopicDescription | undefined>;
  listTopics(): Promise<TopicDescription[]>;

  /** Appends to the partitions named in each record; resolves with each record's offset, in order. */
  append(topic: string, records: readonly ProduceRecord[]): Promise<number[]>;
  /** Records from offset `from` on (inclusive); [] when there are none yet. */
  read(topic: string, partition: number, from: number, maxRecords: number): Promise<LogRecord[]>;
  /** The offset the next appended record will get (Kafka's log-end offset / high watermark). */
  endOffset(topic: string, partition: number): Promise<number>;
  /** The first offset still stored. */
  startOffset(topic: string, partition: number): Promise<number>;

  /** Consumer-group offsets: the next offset to read, per partition. */
  commitOffsets(group: string, offsets: ReadonlyMap<string, number>): Promise<void>;
  /** Keys of the returned map are `${topic}:${partition}`. */
  committedOffsets(group: string): Promise<Map<string, number>>;

  /**
   * Resolves when `topic`/`partition` may have records at or beyond `from`, or after `timeoutMs`.
   * Lets fetch loops sleep without polling.
   */
  waitForData(topic: string, partition: number, from: number, timeoutMs: number): Promise<void>;

  /**
   * Starts an atomic unit of writes (see LogTransaction). `transactionalId` fences an older
   * transaction with the same id (Kafka semantics). Readers (`read`, `endOffset`) only ever see
   * committed records (read_committed).
   */
  beginTransaction(transactionalId: string): Promise<LogTransaction>;

  close(): Promise<void>;
}

export function topicPartitionKey(topic: string, partition: number): string {
  return `${topic}:${partition}`;
}

/**
 * An atomic unit of writes: records to any partitions of any topics plus consumer-group offsets,
 * visible to readers all together after `commit` resolves, or never (abort, or a crash before
 * commit resolved). This is what makes a task's input offsets, outputs and changelog writes
 * exactly-once. Offsets of appended records are known once `commit` resolves.
 */
export interface LogTransaction {
  append(topic: string, records: readonly ProduceRecord[]): void;
  commitOffsets(group: string, offsets: ReadonlyMap<string, number>): void;
  /** Resolves with the offsets of every appended record, per `append` call, in call order. */
  commit(): Promise<number[][]>;
  abort(): Promise<void>;
}

