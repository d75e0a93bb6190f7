// The one library-level entry point to Riffle: execute statements, produce records, run pull and
// push queries, terminate queries. The server, the conformance runner and the tests all use it.
// Results are domain objects; server/wire/ turns them into ksqlDB's JSON shapes.

import type { LogicalSchema } from '../catalog/schema.ts';
import type { KsqlError } from '../common/errors.ts';
import type { Log } from '../log/log.ts';
import type { KeyFormat, ValueFormat } from '../serde/format.ts';
import type { Window } from '../serde/serde.ts';
import type { PrintHandle } from './print-topic.ts';

export type PropertyValue = string | number | boolean;

/** Per-client state: property overrides (SET) and variables (DEFINE). */
export interface Session {
  readonly properties: Map<string, string>;
  readonly variables: Map<string, string>;
}

export interface SourceInfo {
  readonly name: string;
  readonly type: 'STREAM' | 'TABLE';
  readonly topic: string;
  readonly schema: LogicalSchema;
  readonly keyFormat: KeyFormat;
  readonly valueFormat: ValueFormat;
  /** Column used as event time (WITH TIMESTAMP=...), if any. */
  readonly timestampColumn: string | undefined;
  readonly timestampFormat: string | undefined;
  /** CREATE SOURCE STREAM/TABLE: read-only. */
  readonly isSource: boolean;
  /** The statement that created it. */
  readonly statement: string;
  readonly partitions: number;
  readonly replicas: number;
}

export type QueryState = 'RUNNING' | 'PAUSED' | 'ERROR' | 'TERMINATED';

export interface PersistentQueryInfo {
  readonly id: string;
  readonly statement: string;
  readonly sinks: readonly string[];
  readonly sinkTopics: readonly string[];
  readonly sources: readonly string[];
  /** Undefined for a query EXPLAIN planned but did not start. */
  readonly state: QueryState | undefined;
  /** The last processing error, when state is ERROR. */
  readonly error: string | undefined;
  /** PERSISTENT unless given (EXPLAIN of a SELECT: PUSH). */
  readonly queryType?: 'PERSISTENT' | 'PUSH';
}

export type StatementOutcome =
  | { readonly kind: 'CommandStatus'; readonly statement: string; readonly commandId: string; readonly message: string; readonly queryId: string | undefined }
  | { readonly kind: 'Warning'; readonly statement: string; readonly message: string }
  | { readonly kind: 'SourceList'; readonly statement: string; readonly sourceType: 'STREAM' | 'TABLE'; readonly sources: readonly SourceInfo[]; readonly extended: boolean }
  | { readonly kind: 'SourceDescriptions'; readonly statement: string; readonly sources: readonly SourceDescription[]; readonly extended: boolean; readonly single: boolean }
  | { readonly kind: 'QueryList'; readonly statement: string; readonly queries: readonly PersistentQueryInfo[]; readonly extended: boolean }
  | { readonly kind: 'QueryDescription'; readonly statement: string; readonly query: PersistentQueryInfo; readonly schema: LogicalSchema; readonly plan: string }
  | { readonly kind: 'TopicList'; readonly statement: string; readonly topics: readonly { readonly name: string; readonly partitions: number; readonly replicas: number }[]; readonly extended: boolean }
  | { readonly kind: 'PropertyList'; readonly statement: string; readonly properties: readonly { readonly name: string; readonly value: string; readonly overridden: boolean }[] }
  | { readonly kind: 'FunctionList'; readonly statement: string; readonly functions: readonly { readonly name: string; readonly type: 'SCALAR' | 'AGGREGATE' | 'TABLE'; readonly category: string }[] }
  | { readonly kind: 'FunctionDescription'; readonly statement: string; readonly name: string; readonly type: 'SCALAR' | 'AGGREGATE' | 'TABLE'; readonly description: string; readonly signatures: readonly { readonly args: string; readonly returns: string; readonly description?: string }[] }
  | { readonly kind: 'TypeList'; readonly statement: string; readonly types: ReadonlyMap<string, import('../common/sql-type.ts').SqlType> }
  | { readonly kind: 'VariableList'; readonly statement: string; readonly variables: readonly { readonly name: string; readonly value: string }[] }
  | { readonly kind: 'TerminateTransient'; readonly statement: string; readonly queryId: string }
  | { readonly kind: 'AssertTopic'; readonly statement: string; readonly topic: string; readonly exists: boolean }
  /** INSERT VALUES, SET, UNSET, DEFINE, UNDEFINE: no entity. */
  | { readonly kind: 'None'; readonly statement: string };

export interface SourceDescription {
  readonly source: SourceInfo;
  readonly readQueries: readonly PersistentQueryInfo[];
  readonly writeQueries: readonly PersistentQueryInfo[];
}

/** Thrown by `execute`: the failing statement's error plus what succeeded before it. */
export interface ExecuteFailure {
  readonly error: KsqlError;
  readonly completed: readonly StatementOutcome[];
}

/** One output column of a query, for headers and schema strings. */
export interface QueryColumn {
  readonly name: string;
  readonly type: import('../common/sql-type.ts').SqlType;
  /** Pull queries mark key columns (`KEY` in the header schema). */
  readonly isKey: boolean;
}

export interface QueryRow {
  /** One value per column (src/common/values.ts). */
  readonly values: readonly unknown[];
  /** A table change that deletes the key (push queries on tables). */
  readonly tombstone?: boolean;
  /** Set when a pull query was answered by another host. */
  readonly sourceHost?: string;
}

export interface QueryHandle {
  readonly queryId: string;
  readonly kind: 'pull' | 'push';
  readonly columns: readonly QueryColumn[];
  /**
   * The rows. Ends with { done: true } when the query completes (pull queries, LIMIT, bounded scans
   * of streams). `endReason` then says why.
   */
  readonly rows: AsyncIterable<QueryRow>;
  /** Every row, when all were computed before the handle was returned (pull queries on tables). */
  readonly completedRows?: readonly QueryRow[];
  endReason(): 'Limit Reached' | 'Query Completed' | 'Closed' | undefined;
  /** Stops the query and frees its resources; safe to call twice. */
  close(): void;
}

export interface ProduceOptions {
  readonly partition?: number;
  readonly timestamp?: number;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly headers?: readonly { readonly key: string; readonly value: Uint8Array | null }[];
}

export interface TopicRecord {
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  readonly key: unknown[] | null;
  readonly window: Window | undefined;
  readonly value: unknown[] | null;
}

export interface ProcessingLogEntry {
  readonly time: number;
  readonly queryId: string | undefined;
  /** ksqlDB's processing-log message types: DESERIALIZATION_ERROR, RECORD_PROCESSING_ERROR, SERIALIZATION_ERROR, PRODUCTION_ERROR. */
  readonly type: string;
  readonly message: string;
  readonly topic?: string;
  readonly partition?: number;
  readonly offset?: number;
}

/** A pull query answered from a prepared shape: its columns and rows, nothing left to run. */
export interface CompletedPull {
  readonly queryId: string;
  readonly columns: readonly QueryColumn[];
  readonly rows: readonly QueryRow[];
}

export interface EngineApi {
  readonly log: Log;
  newSession(properties?: Readonly<Record<string, PropertyValue>>): Session;
  /**
   * Parses and executes a script statement by statement. Resolves with one outcome per statement;
   * rejects with ExecuteFailure at the first failing statement. Queries (SELECT/PRINT) are rejected
   * here (use `query`).
   */
  execute(session: Session, sql: string): Promise<StatementOutcome[]>;
  /** Runs one SELECT as a pull or push query. Rejects with KsqlError before any row. */
  query(session: Session, sql: string): Promise<QueryHandle>;
  /**
   * A pull query by key whose statement shape was answered before (same text but the literal),
   * answered at once; undefined when it needs `query`. Reads this server's active tasks only:
   * a cluster routes its pull queries through `query`.
   */
  preparedPull(sql: string): CompletedPull | undefined;
  /** Runs one PRINT statement: the topic's raw records as text lines. Rejects with KsqlError. */
  print(session: Session, sql: string): Promise<PrintHandle>;
  /** Appends raw records to a topic (tests, /inserts-stream uses INSERT VALUES semantics instead). */
  produce(topic: string, records: readonly ProduceOptions[]): Promise<void>;
  /** Inserts one row into a stream or table, like INSERT INTO ... VALUES. */
  insertRow(session: Session, target: string, row: Readonly<Record<string, unknown>>): Promise<void>;
  /**
   * Inserts rows in order, each like `insertRow`, sharing one durable append. Stops at the first
   * row that fails: resolves with how many rows (a prefix) were inserted and that row's error.
   */
  insertRows(session: Session, target: string, rows: readonly Readonly<Record<string, unknown>>[]): Promise<{ inserted: number; error?: unknown }>;

  source(name: string): SourceInfo | undefined;
  sources(): readonly SourceInfo[];
  persistentQueries(): readonly PersistentQueryInfo[];
  terminate(queryId: string): Promise<void>;

  /**
   * Processes every persistent query until no input is left (queries in creation order, each to
   * completion). In 'manual' scheduling this is the only thing that moves queries forward.
   */
  runUntilIdle(): Promise<void>;

  /** Reads back a topic, decoding with the formats of the source registered on it. */
  readTopic(topic: string): Promise<TopicRecord[]>;

  processingLog(): readonly ProcessingLogEntry[];
  close(): Promise<void>;
}
