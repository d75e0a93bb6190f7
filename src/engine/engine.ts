// The engine: owns the log, the state stores, the catalog and the running queries, and executes
// statements. `openEngine` is the one entry point the server, the conformance runner and tests use.

import { mkdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { CommandLog, isCatalogCommand } from './command-log.ts';
import { join } from 'node:path';
import { Catalog } from '../catalog/catalog.ts';
import { KsqlError, statementError } from '../common/errors.ts';
import { builtinFunctions } from '../functions/registry.ts';
import type { FunctionRegistry } from '../functions/function-types.ts';
import type { FunctionSet } from '../functions/function-registry.ts';
import type { Log } from '../log/log.ts';
import { selectLog } from './log-selection.ts';
import { parseScript } from '../sql/parser.ts';
import type { StateStoreFactory } from '../state/state-store.ts';
import { openStateStores, memoryStores } from './stores.ts';
import { ArrivalOrder } from './arrival-order.ts';
import type {
  CompletedPull, EngineApi, ExecuteFailure, PersistentQueryInfo, ProcessingLogEntry, ProduceOptions, PropertyValue, QueryHandle, Session,
  SourceInfo, StatementOutcome, TopicRecord,
} from './engine-api.ts';
import { propertyOf } from './engine-config.ts';
import { executeStatement, type ExecutorHost } from './statement-executor.ts';
import type { QueryRunner, TaskRole } from './query-runner.ts';
import { runTransientQuery } from './transient-query.ts';
import { fastPull, preparedPull } from './pull-fast.ts';
import { readTopicDecoded } from './read-topic.ts';
import { insertRow, insertRows } from './insert-values.ts';
import { ProcessingLog, processingLogStreamStatement } from './processing-log.ts';
import { printTopic, type PrintHandle } from './print-topic.ts';

export interface EngineOptions {
  readonly dataDir: string;
  /** 'manual': persistent queries advance only in runUntilIdle (tests); 'background': continuously. */
  readonly scheduling: 'manual' | 'background';
  readonly properties?: Readonly<Record<string, string>>;
  /** A log to use instead of the embedded one (e.g. Kafka). */
  readonly log?: Log;
  /** 'lmdb' (default) or 'memory' state stores. */
  readonly stateStores?: 'lmdb' | 'memory';
  /** Role of each persistent-query task on this server (HA cluster); default: every task active. */
  readonly taskRoles?: (taskId: string) => TaskRole;
  /** Functions added to the built-in ones (ksqlDB's test-only UDFs, for the conformance runner only). */
  readonly extraFunctions?: FunctionSet;
}

export async function openEngine(options: EngineOptions): Promise<EngineApi & Engine> {
  mkdirSync(options.dataDir, { recursive: true });
  // bootstrap.servers (or ksql.streams.bootstrap.servers) selects Kafka; otherwise the embedded log.
  const baseLog = options.log ?? (await selectLog(options.properties ?? {}, options.dataDir));
  const order = new ArrivalOrder();
  const log = options.scheduling === 'manual' ? order.wrap(baseLog) : baseLog;
  const stores = options.stateStores === 'memory' ? memoryStores() : await openStateStores(join(options.dataDir, 'state'));
  const config = new Map(Object.entries(options.properties ?? {}));
  const engine = new Engine(log, baseLog, stores, config, options.scheduling, order, options.extraFunctions);
  if (options.taskRoles) engine.taskRoles = options.taskRoles;
  await engine.start();
  return engine;
}

export class Engine implements EngineApi, ExecutorHost {
  readonly log: Log;
  readonly #baseLog: Log;
  readonly stores: StateStoreFactory;
  readonly config: Map<string, string>;
  readonly scheduling: 'manual' | 'background';
  readonly catalog = new Catalog();
  readonly functions: FunctionRegistry;
  readonly runners = new Map<string, QueryRunner>();
  /** Set by an HA cluster node: which tasks this server runs as active or standby. */
  taskRoles: ((taskId: string) => TaskRole) | undefined;
  readonly #order: ArrivalOrder;
  #processingLog!: ProcessingLog;
  #querySeq = 0;
  #closed = false;
  readonly #id = randomUUID();
  #commands!: CommandLog;
  #forcedQueryId: string | undefined;
  #commandTimer: NodeJS.Timeout | undefined;

  constructor(
    log: Log, baseLog: Log, stores: StateStoreFactory, config: Map<string, string>, scheduling: 'manual' | 'background', order: ArrivalOrder,
    extraFunctions?: FunctionSet,
  ) {
    this.log = log;
    this.#baseLog = baseLog;
    this.stores = stores;
    this.config = config;
    this.scheduling = scheduling;
    this.#order = order;
    this.functions = builtinFunctions(Object.fromEntries(config), extraFunctions);
  }

  /** Creates the command topic and replays it: the catalog and queries come back after a restart. */
  async start(): Promise<void> {
    this.#commands = new CommandLog(this.log, this.serviceId);
    await this.#commands.ensureTopic();
    await this.#applyNewCommands(true);
    await this.#startProcessingLog();
    if (this.scheduling === 'background') {
      // Engines sharing the command topic (same service id on Kafka) run each other's statements.
      this.#commandTimer = setInterval(() => {
        void this.#applyNewCommands(false).catch((e: unknown) => console.error(`riffle: command runner: ${(e as Error).message}`));
      }, 500);
      this.#commandTimer.unref();
    }
  }

  /**
   * ksqlDB's processing-log topic and stream, when configured. The stream is declared with a
   * statement through the command topic (IF NOT EXISTS), so every server of the service agrees.
   */
  async #startProcessingLog(): Promise<void> {
    const setting = (name: string): string | undefined => this.property(undefined, name);
    const topicWanted = setting('ksql.logging.processing.topic.auto.create') === 'true';
    const topic = setting('ksql.logging.processing.topic.name') || `${this.serviceId}ksql_processing_log`;
    this.#processingLog = new ProcessingLog(this.log, { topic: topicWanted ? topic : undefined });
    if (!topicWanted) return;
    await this.#processingLog.ensureTopic(
      Number(setting('ksql.logging.processing.topic.partitions') ?? 1),
      Number(setting('ksql.logging.processing.topic.replication.factor') ?? 1),
    );
    if (setting('ksql.logging.processing.stream.auto.create') !== 'true') return;
    const streamName = setting('ksql.logging.processing.stream.name') || 'KSQL_PROCESSING_LOG';
    if (this.catalog.source(streamName.toUpperCase())) return;
    await this.execute(this.newSession(), processingLogStreamStatement(streamName, topic));
  }

  async #applyNewCommands(replayOwn: boolean): Promise<void> {
    for (const cmd of await this.#commands.readNew()) {
      if (!replayOwn && cmd.origin === this.#id) continue;
      const session: Session = { properties: new Map(Object.entries(cmd.properties)), variables: new Map(Object.entries(cmd.variables)) };
      const parsed = parseScript(cmd.statement, { variables: session.variables });
      if (!parsed.ok || parsed.statements.length !== 1) continue;
      this.#forcedQueryId = cmd.queryId;
      try {
        await executeStatement(this, session, parsed.statements[0]!);
      } catch (e) {
        const err = e as Error;
        console.error(`riffle: could not re-run command "${cmd.statement}": ${err.message}`);
      } finally {
        this.#forcedQueryId = undefined;
      }
    }
  }

  /** A query id fixed by the command being replayed (so ids survive restarts). */
  takeForcedQueryId(): string | undefined {
    const id = this.#forcedQueryId;
    this.#forcedQueryId = undefined;
    if (id) {
      const n = Number(/_(\d+)$/.exec(id)?.[1]);
      if (Number.isFinite(n) && n >= this.#querySeq) this.#querySeq = n + 1;
    }
    return id;
  }

  property(session: Session | undefined, name: string): string | undefined {
    return propertyOf(this.config, session, name);
  }

  get serviceId(): string {
    return this.property(undefined, 'ksql.service.id') ?? 'default_';
  }

  nextQueryNumber(): number {
    return this.#querySeq++;
  }

  peekQueryNumber(): number {
    return this.#querySeq;
  }

  sequenceOf(topic: string, partition: number, offset: number): number | undefined {
    return this.scheduling === 'manual' ? this.#order.sequenceOf(topic, partition, offset) : undefined;
  }

  recordProcessingError(entry: Omit<ProcessingLogEntry, 'time'>): void {
    this.#processingLog.record({ time: Date.now(), ...entry });
  }

  newSession(properties: Readonly<Record<string, PropertyValue>> = {}): Session {
    const map = new Map<string, string>();
    for (const k in properties) map.set(k, String(properties[k]));
    return { properties: map, variables: new Map() };
  }

  async execute(session: Session, sql: string): Promise<StatementOutcome[]> {
    const outcomes: StatementOutcome[] = [];
    const parsed = parseScript(sql, { variables: session.variables });
    if (!parsed.ok) {
      const failure: ExecuteFailure = {
        error: new KsqlError('parse', parsed.error.message, { position: parsed.error.pos, statementText: parsed.statementText }),
        completed: outcomes,
      };
      throw failure;
    }
    // Statements after a DEFINE see its variable: re-parse the rest when variables change.
    for (let i = 0; i < parsed.statements.length; i++) {
      const ps = parsed.statements[i]!;
      try {
        const outcome = await executeStatement(this, session, ps);
        outcomes.push(outcome);
        if (isCatalogCommand(ps.statement) && outcome.kind !== 'Warning') {
          await this.#commands.append({
            statement: ps.substitutedText ?? ps.text,
            properties: Object.fromEntries(session.properties),
            variables: Object.fromEntries(session.variables),
            queryId: outcome.kind === 'CommandStatus' ? outcome.queryId : undefined,
            origin: this.#id,
          });
        }
      } catch (e) {
        const error = e instanceof KsqlError ? e : new KsqlError('ksql', (e as Error).message ?? String(e), { cause: e });
        error.statementText ??= ps.text;
        const failure: ExecuteFailure = { error, completed: outcomes };
        throw failure;
      }
    }
    return outcomes;
  }

  preparedPull(sql: string): CompletedPull | undefined {
    return preparedPull(this, sql);
  }

  async query(session: Session, sql: string): Promise<QueryHandle> {
    const prepared = fastPull(this, session, sql);
    if (prepared) return prepared;
    const parsed = parseScript(sql, { variables: session.variables });
    if (!parsed.ok) {
      throw new KsqlError('parse', parsed.error.message, { position: parsed.error.pos, statementText: parsed.statementText });
    }
    if (parsed.statements.length !== 1) throw statementError('Expected exactly one SELECT statement.', sql);
    const ps = parsed.statements[0]!;
    if (ps.statement.kind !== 'Select') {
      throw statementError(`Only SELECT statements can be run as queries; got ${ps.statement.kind}.`, ps.text);
    }
    try {
      return await runTransientQuery(this, session, ps.statement.query, ps.text);
    } catch (e) {
      if (e instanceof KsqlError) {
        e.statementText ??= ps.text;
        throw e;
      }
      throw new KsqlError('ksql', (e as Error).message, { statementText: ps.text, cause: e });
    }
  }

  async print(session: Session, sql: string): Promise<PrintHandle> {
    const parsed = parseScript(sql, { variables: session.variables });
    if (!parsed.ok) {
      throw new KsqlError('parse', parsed.error.message, { position: parsed.error.pos, statementText: parsed.statementText });
    }
    const statement = parsed.statements.length === 1 ? parsed.statements[0]!.statement : undefined;
    if (statement?.kind !== 'Print') throw statementError('Expected exactly one PRINT statement.', sql);
    return printTopic(this.log, statement.topic, statement);
  }

  async produce(topic: string, records: readonly ProduceOptions[]): Promise<void> {
    const d = await this.log.describeTopic(topic);
    if (!d) throw statementError(`Topic '${topic}' does not exist.`);
    await this.log.append(topic, records.map((r) => ({
      partition: r.partition ?? 0, key: r.key, value: r.value,
      ...(r.timestamp === undefined ? {} : { timestamp: r.timestamp }),
      headers: r.headers ?? [],
    })));
  }

  async insertRow(session: Session, target: string, row: Readonly<Record<string, unknown>>): Promise<void> {
    await insertRow(this, session, target, row);
  }

  insertRows(session: Session, target: string, rows: readonly Readonly<Record<string, unknown>>[]): Promise<{ inserted: number; error?: unknown }> {
    return insertRows(this, session, target, rows);
  }

  source(name: string): SourceInfo | undefined {
    return this.catalog.source(name);
  }

  sources(): readonly SourceInfo[] {
    return this.catalog.sources();
  }

  persistentQueries(): readonly PersistentQueryInfo[] {
    return this.catalog.queries().map((q) => {
      const r = this.runners.get(q.id);
      return { ...q, state: r?.error ? 'ERROR' : r?.paused ? 'PAUSED' : 'RUNNING', error: r?.error?.message };
    });
  }

  async terminate(queryId: string): Promise<void> {
    const r = this.runners.get(queryId);
    if (!r) throw statementError(`Unknown queryId: ${queryId}`);
    await r.stop();
    this.runners.delete(queryId);
    this.catalog.removeQuery(queryId);
  }

  async runUntilIdle(): Promise<void> {
    for (let round = 0; round < 100; round++) {
      let before = 0;
      for (const q of this.catalog.queries()) {
        const r = this.runners.get(q.id);
        if (!r) continue;
        before++;
        await r.runUntilIdle();
      }
      // Processing-log entries are appended asynchronously; a query may read them.
      await this.#processingLog.drain();
      // A later query may write to an earlier one's input (INSERT INTO loops): repeat until quiet.
      let pending = false;
      for (const r of this.runners.values()) {
        for (const t of r.tasks()) if (!(await t.caughtUp())) pending = true;
      }
      if (!pending || before === 0) return;
    }
  }

  async readTopic(topic: string): Promise<TopicRecord[]> {
    return readTopicDecoded(this, topic);
  }

  processingLog(): readonly ProcessingLogEntry[] {
    return this.#processingLog.entries();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#commandTimer) clearInterval(this.#commandTimer);
    for (const r of this.runners.values()) await r.stop();
    this.runners.clear();
    await this.#processingLog.drain();
    await this.stores.close();
    await this.#baseLog.close();
  }
}
