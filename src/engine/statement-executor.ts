// Executes one parsed statement against the engine: DDL, persistent queries, INSERT VALUES,
// metadata listings and session statements. Returns the domain outcome; never speaks HTTP.

import { statementError } from '../common/errors.ts';
import type { SqlType } from '../common/sql-type.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { FunctionRegistry } from '../functions/function-types.ts';
import type { Log } from '../log/log.ts';
import type { StateStoreFactory } from '../state/state-store.ts';
import type { ParsedStatement, Statement } from '../sql/ast.ts';
import { analyzeCreateSource } from '../analyzer/create-source.ts';
import { resolveType } from '../analyzer/type-resolver.ts';
import type { PersistentQueryInfo, Session, SourceInfo, StatementOutcome } from './engine-api.ts';
import type { QueryRunner, TaskRole } from './query-runner.ts';
import { startPersistentQuery, replaceOrCheckSink } from './persistent-query.ts';
import { insertValues } from './insert-values.ts';
import { describeOutcome, listOutcome } from './metadata.ts';
import { assertTopic } from './assert-topic.ts';

/** What the executor needs from the engine. */
export interface ExecutorHost {
  readonly log: Log;
  readonly stores: StateStoreFactory;
  readonly catalog: Catalog;
  readonly functions: FunctionRegistry;
  readonly runners: Map<string, QueryRunner>;
  /** HA: role of each task on this server (undefined: every task active). */
  readonly taskRoles?: ((taskId: string) => TaskRole) | undefined;
  readonly scheduling: 'manual' | 'background';
  readonly config: Map<string, string>;
  readonly serviceId: string;
  property(session: Session | undefined, name: string): string | undefined;
  nextQueryNumber(): number;
  /** The number nextQueryNumber would return, without taking it (EXPLAIN). */
  peekQueryNumber(): number;
  /** Set while a command from the command topic is re-run: the id its query had. */
  takeForcedQueryId?(): string | undefined;
  sequenceOf(topic: string, partition: number, offset: number): number | undefined;
  recordProcessingError(entry: { type: string; message: string; queryId: string | undefined; topic?: string; partition?: number; offset?: number }): void;
  terminate(queryId: string): Promise<void>;
}

const none = (text: string): StatementOutcome => ({ kind: 'None', statement: text });

export async function executeStatement(host: ExecutorHost, session: Session, ps: ParsedStatement): Promise<StatementOutcome> {
  const s: Statement = ps.statement;
  const text = ps.text;
  switch (s.kind) {
    case 'CreateSource': {
      const existing = host.catalog.source(s.name);
      const kindWord = s.sourceType === 'STREAM' ? 'stream' : 'table';
      if (existing && !s.orReplace) {
        const msg = `Cannot add ${kindWord} '${s.name}': A ${existing.type === 'STREAM' ? 'stream' : 'table'} with the same name already exists`;
        if (s.ifNotExists) return { kind: 'Warning', statement: text, message: msg };
        throw statementError(msg, text);
      }
      const plan = analyzeCreateSource(s, text, {
        types: (n) => host.catalog.type(n),
        defaults: formatDefaults(host, session),
        defaultReplicas: 1,
      });
      const topic = await host.log.describeTopic(plan.source.topic);
      let partitions: number;
      if (!topic) {
        if (!plan.createTopic) {
          throw statementError(`Topic '${plan.source.topic}' does not exist. If you want to create a new topic for the ${kindWord} please re-run the statement providing the required 'PARTITIONS' configuration in the WITH clause (and optionally 'REPLICAS'). For example: CREATE ${s.sourceType} ${s.name} (ID INT PRIMARY KEY, VALUE STRING) WITH (KAFKA_TOPIC='${plan.source.topic}', PARTITIONS=2, REPLICAS=1, FORMAT='JSON');`, text);
        }
        await host.log.createTopic(plan.source.topic, { partitions: plan.createTopic.partitions, replicas: plan.createTopic.replicas });
        partitions = plan.createTopic.partitions;
      } else {
        partitions = topic.partitions;
        if (plan.createTopic && plan.createTopic.partitions !== topic.partitions) {
          throw statementError(`A Kafka topic with the name '${plan.source.topic}' already exists, with different partition/replica configuration than required. KSQL expects ${plan.createTopic.partitions} partitions (topic has ${topic.partitions}), and 1 replication factor (topic has ${topic.replicas}).`, text);
        }
      }
      if (existing && s.orReplace) {
        if (existing.type !== s.sourceType) throw statementError(`Cannot replace ${existing.type === 'STREAM' ? 'stream' : 'table'} ${s.name} with a ${kindWord}.`, text);
        if (existing.isSource || s.isSource) {
          throw statementError(`Cannot add ${kindWord} '${s.name}': CREATE OR REPLACE is not supported on source ${kindWord}s.`, text);
        }
      }
      host.catalog.putSource({ ...plan.source, partitions });
      if (s.isSource && s.sourceType === 'TABLE') {
        // ksqlDB materializes CREATE SOURCE TABLE with a query so pull queries can read it.
        await startPersistentQuery(host, session, {
          kind: 'CreateAsSelect', sourceType: 'TABLE', name: s.name, orReplace: false, ifNotExists: false,
          properties: { entries: [] }, pos: s.pos,
          query: {
            kind: 'Query', select: [{ kind: 'AllColumns', source: undefined, pos: s.pos }],
            from: { kind: 'AliasedSource', name: s.name, alias: undefined, pos: s.pos }, window: undefined, where: undefined,
            groupBy: undefined, partitionBy: undefined, having: undefined, emit: 'CHANGES', limit: undefined, pos: s.pos,
          },
        }, text, { materializeOnly: true });
      }
      return {
        kind: 'CommandStatus', statement: text, commandId: `${kindWord}/${s.name}/create`,
        message: s.sourceType === 'STREAM' ? 'Stream created' : 'Table created', queryId: undefined,
      };
    }
    case 'CreateAsSelect': {
      const existing = host.catalog.source(s.name);
      const kindWord = s.sourceType === 'STREAM' ? 'stream' : 'table';
      if (existing && !s.orReplace) {
        const msg = `Cannot add ${kindWord} '${s.name}': A ${existing.type === 'STREAM' ? 'stream' : 'table'} with the same name already exists`;
        if (s.ifNotExists) return { kind: 'Warning', statement: text, message: msg };
        throw statementError(msg, text);
      }
      replaceOrCheckSink(host, s);
      const queryId = await startPersistentQuery(host, session, s, text, {});
      return {
        kind: 'CommandStatus', statement: text, commandId: `${kindWord}/${s.name}/create`,
        message: `Created query with ID ${queryId}`, queryId,
      };
    }
    case 'InsertInto': {
      const target = host.catalog.source(s.target);
      if (!target) throw statementError(`${s.target} does not exist.`, text);
      if (target.isSource) throw statementError(`Cannot insert into read-only ${target.type === 'STREAM' ? 'stream' : 'table'}: ${s.target}`, text);
      const queryId = await startPersistentQuery(host, session, s, text, {});
      return {
        kind: 'CommandStatus', statement: text, commandId: `stream/${s.target}/create`,
        message: `Created query with ID ${queryId}`, queryId,
      };
    }
    case 'InsertValues':
      await insertValues(host, session, s, text);
      return none(text);
    case 'DropSource': {
      const src = host.catalog.source(s.name);
      const kindWord = s.sourceType === 'STREAM' ? 'stream' : 'table';
      if (!src) {
        if (s.ifExists) return { kind: 'CommandStatus', statement: text, commandId: `${kindWord}/${s.name}/drop`, message: `Source ${s.name} does not exist.`, queryId: undefined };
        throw statementError(`Source ${s.name} does not exist.`, text);
      }
      if (src.type !== s.sourceType) {
        throw statementError(`Incompatible data source type is ${src.type}, but statement was DROP ${s.sourceType}`, text);
      }
      if (s.deleteTopic && src.isSource) throw statementError(`Cannot delete topic for read-only source: ${s.name}`, text);
      const writers = host.catalog.writersOf(s.name).filter((q) => !q.id.startsWith('CST_'));
      const readers = host.catalog.readersOf(s.name).filter((q) => !q.id.startsWith('CST_'));
      if (writers.length + readers.length > 0) {
        const parts: string[] = [];
        if (readers.length) parts.push(`The following queries read from this source: [${readers.map((q) => q.id).join(', ')}].`);
        if (writers.length) parts.push(`The following queries write into this source: [${writers.map((q) => q.id).join(', ')}].`);
        throw statementError(`Cannot drop ${s.name}.\n${parts.join('\n')}\nYou need to terminate them before dropping ${s.name}.`, text);
      }
      for (const q of host.catalog.writersOf(s.name)) await host.terminate(q.id);
      host.catalog.removeSource(s.name);
      if (s.deleteTopic) {
        if (host.catalog.sourcesOnTopic(src.topic).length === 0 && (await host.log.describeTopic(src.topic))) {
          await host.log.deleteTopic(src.topic);
        }
      }
      return { kind: 'CommandStatus', statement: text, commandId: `${kindWord}/${s.name}/drop`, message: `Source ${s.name} (topic: ${src.topic}) was dropped.`, queryId: undefined };
    }
    case 'CreateType': {
      if (host.catalog.type(s.name)) {
        if (s.ifNotExists) return { kind: 'Warning', statement: text, message: `Type ${s.name} already exists.` };
        throw statementError(`Cannot register custom type '${s.name}' since it is already registered with type: ${host.catalog.type(s.name)!.kind}`, text);
      }
      const t: SqlType = resolveType(s.type, (n) => host.catalog.type(n));
      host.catalog.putType(s.name, t);
      return { kind: 'CommandStatus', statement: text, commandId: `type/${s.name}/create`, message: 'Registered custom type with name \'' + s.name + '\' and SQL type ' + t.kind, queryId: undefined };
    }
    case 'DropType': {
      if (!host.catalog.removeType(s.name) && !s.ifExists) throw statementError(`Type ${s.name} does not exist.`, text);
      return { kind: 'CommandStatus', statement: text, commandId: `type/${s.name}/drop`, message: `Dropped type '${s.name}'`, queryId: undefined };
    }
    case 'AlterSource': {
      const src = host.catalog.source(s.name);
      if (!src) throw statementError(`Source ${s.name} does not exist.`, text);
      if (src.isSource) {
        const w = src.type === 'STREAM' ? 'stream' : 'table';
        throw statementError(`Cannot alter ${w} '${s.name}': ALTER operations are not supported on source ${w}s.`, text);
      }
      const added = s.columns.map((c) => ({ name: c.name, type: resolveType(c.type, (n) => host.catalog.type(n)), namespace: 'VALUE' as const }));
      for (const c of added) {
        if ([...src.schema.key, ...src.schema.value].some((x) => x.name === c.name)) {
          throw statementError(`Cannot add column \`${c.name}\` to schema. A column with the same name already exists.`, text);
        }
      }
      host.catalog.putSource({ ...src, schema: { key: src.schema.key, value: [...src.schema.value, ...added] } });
      return { kind: 'CommandStatus', statement: text, commandId: `${src.type.toLowerCase()}/${s.name}/alter`, message: `${src.type === 'STREAM' ? 'Stream' : 'Table'} altered`, queryId: undefined };
    }
    case 'Terminate': {
      const ids = s.queryId === undefined ? host.catalog.queries().map((q) => q.id) : [resolveQueryId(host, s.queryId, text)];
      for (const id of ids) await host.terminate(id);
      return { kind: 'CommandStatus', statement: text, commandId: `terminate/${s.queryId ?? 'ALL'}/execute`, message: 'Query terminated.', queryId: undefined };
    }
    case 'PauseResume': {
      const ids = s.queryId === undefined ? host.catalog.queries().map((q) => q.id) : [resolveQueryId(host, s.queryId, text)];
      for (const id of ids) {
        const r = host.runners.get(id);
        if (s.action === 'PAUSE') r?.pause();
        else r?.resume();
      }
      return { kind: 'CommandStatus', statement: text, commandId: `${s.action.toLowerCase()}/${s.queryId ?? 'ALL'}/execute`, message: s.action === 'PAUSE' ? 'Query paused.' : 'Query resumed.', queryId: undefined };
    }
    case 'SetProperty':
      session.properties.set(s.name, s.value);
      return none(text);
    case 'UnsetProperty':
      session.properties.delete(s.name);
      return none(text);
    case 'AlterSystem':
      host.config.set(s.name, s.value);
      return { kind: 'CommandStatus', statement: text, commandId: `cluster/AlterSystem/execute`, message: `System property ${s.name} was set to ${s.value}.`, queryId: undefined };
    case 'DefineVariable':
      session.variables.set(s.name, s.value);
      return none(text);
    case 'UndefineVariable':
      if (!session.variables.delete(s.name)) return { kind: 'Warning', statement: text, message: `Cannot undefine variable '${s.name}' which was never defined` };
      return none(text);
    case 'Select':
      throw statementError("The following statement types should be issued to the websocket endpoint '/query':\n\t* PRINT\n\t* SELECT", text);
    case 'Print':
      throw statementError("The following statement types should be issued to the websocket endpoint '/query':\n\t* PRINT\n\t* SELECT", text);
    case 'ListStreams': case 'ListTables': case 'ListQueries': case 'ListTopics': case 'ListProperties':
    case 'ListFunctions': case 'ListTypes': case 'ListVariables':
      return listOutcome(host, session, s, text);
    case 'AssertTopic':
      return assertTopic(host, session, s, text);
    case 'DescribeSource': case 'DescribeSources': case 'DescribeFunction': case 'Explain':
      return describeOutcome(host, session, s, text);
    case 'CreateConnector': case 'DropConnector': case 'DescribeConnector': case 'ListConnectors': case 'ListConnectorPlugins':
      throw statementError('Riffle does not integrate with Kafka Connect: connector statements are not supported. Run connectors with Kafka Connect itself, against the same topics.', text);
    case 'AssertSchema':
      throw statementError('ASSERT SCHEMA needs a schema registry, which Riffle does not support yet (schema-registry formats are not available).', text);
    default:
      throw statementError(`Statement type ${(s as { kind: string }).kind} is not supported yet.`, text);
  }
}

function resolveQueryId(host: ExecutorHost, id: string, text: string): string {
  const q = host.catalog.queries().find((x) => x.id.toUpperCase() === id.toUpperCase());
  if (!q) throw statementError(`Unknown queryId: ${id}`, text);
  return q.id;
}

export function formatDefaults(host: ExecutorHost, session: Session) {
  const wrap = host.property(session, 'ksql.persistence.wrap.single.values');
  return {
    key: host.property(session, 'ksql.persistence.default.format.key'),
    value: host.property(session, 'ksql.persistence.default.format.value'),
    wrapSingleValues: wrap === undefined || wrap === '' ? undefined : wrap === 'true',
  };
}

export type { PersistentQueryInfo, SourceInfo };
