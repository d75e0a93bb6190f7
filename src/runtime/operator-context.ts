// What an operator may use from the task that runs it: state stores, the output buffer,
// stream time and the processing log. Operators never touch the log or the network directly.

import type { Header } from '../log/log.ts';
import type { InternalCodec } from '../serde/internal-codec.ts';
import type { Change } from './change.ts';
import type { TaskStore } from './task-store.ts';

export interface OutputRecord {
  readonly topic: string;
  /** undefined: partition by key hash (or round-robin for null keys). */
  readonly partition: number | undefined;
  readonly key: Uint8Array | null;
  /** The bytes the partitioner hashes when not `key` (a windowed key's key without its window). */
  readonly partitionKey?: Uint8Array;
  readonly value: Uint8Array | null;
  readonly timestamp: number;
  readonly headers: readonly Header[];
}

export interface OperatorContext {
  readonly queryId: string;
  /** The partition this task owns (input partition = store partition = changelog partition). */
  readonly partition: number;
  store<V>(name: string, codec: InternalCodec<V>): TaskStore<V>;
  send(record: OutputRecord): void;
  /** The largest record timestamp this task has processed (Kafka Streams' stream time). */
  streamTime(): number;
  /** Writes a processing-log entry; the record is skipped or its value nulled by the caller. */
  processingError(type: 'DESERIALIZATION_ERROR' | 'RECORD_PROCESSING_ERROR' | 'SERIALIZATION_ERROR' | 'PRODUCTION_ERROR', message: string, change?: Change, topic?: string): void;
  /** Arrival order of the triggering record, carried through repartition topics. */
  currentSequence(): number | undefined;
  /** Bytes of record cache for table changes (0 = emit every update). */
  readonly cacheMaxBytes: number;
  /** ksql.timestamp.throw.on.invalid: an unreadable timestamp column fails the query (else the record is skipped). */
  readonly throwOnInvalidTimestamp: boolean;
  /** Registers work that must run before each commit (flushing caches). */
  onCommit(flush: () => void): void;
}
