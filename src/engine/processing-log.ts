// ksqlDB's processing log: one structured entry for every record a query could not deserialize,
// evaluate or serialize. Entries are kept in memory (the engine API's `processingLog()`) and, when
// `ksql.logging.processing.topic.auto.create` is on, appended as JSON to the processing-log topic,
// over which `ksql.logging.processing.stream.auto.create` declares the KSQL_PROCESSING_LOG stream, so
// users find their bad records with `SELECT * FROM KSQL_PROCESSING_LOG EMIT CHANGES;` as in ksqlDB.
//
// Writing is asynchronous and batched: a query never waits for the processing log, and a failing
// append is reported on stderr (at most once a minute) instead of disturbing the query. The
// processing log is a diagnostic, not data: entries still queued when the process dies are lost.

import type { Log } from '../log/log.ts';
import type { ProcessingLogEntry } from './engine-api.ts';

/** ksqlDB's MESSAGE.TYPE codes. */
const TYPE_CODES: Readonly<Record<string, number>> = {
  DESERIALIZATION_ERROR: 0,
  RECORD_PROCESSING_ERROR: 1,
  PRODUCTION_ERROR: 2,
  SERIALIZATION_ERROR: 3,
};

/** How many entries the engine keeps in memory, and how many may wait for the topic. */
const MEMORY_ENTRIES = 10_000;
const MAX_QUEUED = 10_000;
const ERROR_REPORT_INTERVAL_MS = 60_000;

export interface ProcessingLogSettings {
  /** The topic entries are appended to; undefined keeps them in memory only. */
  readonly topic: string | undefined;
}

/** The column list of ksqlDB's processing-log stream (JSON field names as ksqlDB writes them). */
export const PROCESSING_LOG_COLUMNS =
  'LOGGER STRING, LEVEL STRING, TIME BIGINT, MESSAGE STRUCT<' +
  'TYPE INTEGER, ' +
  'DESERIALIZATIONERROR STRUCT<TARGET STRING, ERRORMESSAGE STRING, RECORDB64 STRING, CAUSE ARRAY<STRING>, `topic` STRING>, ' +
  'RECORDPROCESSINGERROR STRUCT<ERRORMESSAGE STRING, RECORD STRING, CAUSE ARRAY<STRING>>, ' +
  'PRODUCTIONERROR STRUCT<ERRORMESSAGE STRING>, ' +
  'SERIALIZATIONERROR STRUCT<TARGET STRING, ERRORMESSAGE STRING, RECORD STRING, CAUSE ARRAY<STRING>, `topic` STRING>, ' +
  'KAFKASTREAMSTHREADERROR STRUCT<ERRORMESSAGE STRING, THREADNAME STRING, CAUSE ARRAY<STRING>>>';

/** The statement that declares the processing-log stream over its topic. */
export function processingLogStreamStatement(streamName: string, topic: string): string {
  const quotedTopic = topic.replace(/'/g, "''");
  return `CREATE STREAM IF NOT EXISTS ${streamName} (${PROCESSING_LOG_COLUMNS}) ` +
    `WITH (KAFKA_TOPIC='${quotedTopic}', VALUE_FORMAT='JSON', KEY_FORMAT='KAFKA');`;
}

/** The logger name ksqlDB gives an entry: `processing.<query id>` plus the step that failed. */
function loggerName(entry: ProcessingLogEntry): string {
  const query = entry.queryId ?? 'unknown';
  switch (entry.type) {
    case 'DESERIALIZATION_ERROR': return `processing.${query}.KsqlTopic.Source.deserializer`;
    case 'SERIALIZATION_ERROR': return `processing.${query}.KsqlTopic.Sink.serializer`;
    default: return `processing.${query}`;
  }
}

/** One entry as the JSON value ksqlDB writes to the processing-log topic. */
export function processingLogRecord(entry: ProcessingLogEntry): Record<string, unknown> {
  const type = TYPE_CODES[entry.type] ?? TYPE_CODES['RECORD_PROCESSING_ERROR']!;
  const message: Record<string, unknown> = {
    TYPE: type,
    DESERIALIZATIONERROR: null,
    RECORDPROCESSINGERROR: null,
    PRODUCTIONERROR: null,
    SERIALIZATIONERROR: null,
    KAFKASTREAMSTHREADERROR: null,
  };
  const cause: string[] = [];
  switch (entry.type) {
    case 'DESERIALIZATION_ERROR':
      message['DESERIALIZATIONERROR'] = {
        TARGET: /^Failed to deserialize key/.test(entry.message) ? 'key' : 'value',
        ERRORMESSAGE: entry.message, RECORDB64: null, CAUSE: cause, topic: entry.topic ?? null,
      };
      break;
    case 'SERIALIZATION_ERROR':
      message['SERIALIZATIONERROR'] = { TARGET: 'value', ERRORMESSAGE: entry.message, RECORD: null, CAUSE: cause, topic: entry.topic ?? null };
      break;
    case 'PRODUCTION_ERROR':
      message['PRODUCTIONERROR'] = { ERRORMESSAGE: entry.message };
      break;
    default:
      message['RECORDPROCESSINGERROR'] = { ERRORMESSAGE: entry.message, RECORD: null, CAUSE: cause };
  }
  return { LOGGER: loggerName(entry), LEVEL: 'ERROR', TIME: entry.time, MESSAGE: message };
}

export class ProcessingLog {
  readonly #log: Log;
  readonly #settings: ProcessingLogSettings;
  readonly #entries: ProcessingLogEntry[] = [];
  #queued: ProcessingLogEntry[] = [];
  #dropped = 0;
  #flushing: Promise<void> | undefined;
  #partitions = 1;
  #nextPartition = 0;
  #lastErrorReport = 0;

  constructor(log: Log, settings: ProcessingLogSettings) {
    this.#log = log;
    this.#settings = settings;
  }

  /** Creates the topic when it is missing (one partition unless configured otherwise). */
  async ensureTopic(partitions: number, replicas: number): Promise<void> {
    const topic = this.#settings.topic;
    if (!topic) return;
    const existing = await this.#log.describeTopic(topic);
    if (existing) {
      this.#partitions = existing.partitions;
      return;
    }
    try {
      await this.#log.createTopic(topic, { partitions, replicas });
      this.#partitions = partitions;
    } catch (e) {
      // Another server of the same service may have created it first.
      const created = await this.#log.describeTopic(topic);
      if (!created) throw e;
      this.#partitions = created.partitions;
    }
  }

  get topic(): string | undefined {
    return this.#settings.topic;
  }

  entries(): readonly ProcessingLogEntry[] {
    return this.#entries;
  }

  record(entry: ProcessingLogEntry): void {
    this.#entries.push(entry);
    if (this.#entries.length > MEMORY_ENTRIES) this.#entries.splice(0, MEMORY_ENTRIES / 10);
    if (!this.#settings.topic) return;
    if (this.#queued.length >= MAX_QUEUED) {
      this.#queued.shift();
      this.#dropped++;
    }
    this.#queued.push(entry);
    this.#flushing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.#flush());
  }

  /** Waits until every entry recorded so far has been appended (or failed to be). */
  async drain(): Promise<void> {
    while (this.#flushing) await this.#flushing;
  }

  async #flush(): Promise<void> {
    const topic = this.#settings.topic!;
    try {
      while (this.#queued.length > 0) {
        const batch = this.#queued;
        this.#queued = [];
        const encoder = new TextEncoder();
        const partition = this.#nextPartition++ % this.#partitions;
        try {
          await this.#log.append(topic, batch.map((e) => ({
            partition, key: null, timestamp: e.time, headers: [],
            value: encoder.encode(JSON.stringify(processingLogRecord(e))),
          })));
        } catch (e) {
          this.#dropped += batch.length;
          this.#reportFailure(topic, e);
          return;
        }
      }
      if (this.#dropped > 0) this.#reportFailure(topic, undefined);
    } finally {
      this.#flushing = undefined;
      if (this.#queued.length > 0) this.#flushing = this.#flush();
    }
  }

  #reportFailure(topic: string, error: unknown): void {
    const now = Date.now();
    if (now - this.#lastErrorReport < ERROR_REPORT_INTERVAL_MS) return;
    this.#lastErrorReport = now;
    const why = error ? `: ${(error as Error).message}` : '';
    console.error(`riffle: ${this.#dropped} processing-log entries could not be written to topic ${topic}${why}. They remain visible through the engine's in-memory processing log.`);
    this.#dropped = 0;
  }
}
