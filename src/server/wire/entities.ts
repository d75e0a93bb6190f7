// Turns the engine's StatementOutcomes into ksqlDB's /ksql entities (KsqlEntity subtypes, with
// `@type`, `statementText` and `warnings`), key order as Jackson writes them.

import type { PersistentQueryInfo, SourceDescription, SourceInfo, StatementOutcome } from '../../engine/engine-api.ts';
import { fieldInfos, schemaInfo, type FieldInfoJson } from './schema-info.ts';

export interface EntityContext {
  /** The next command sequence number (ksqlDB: the command topic offset); called once per command. */
  readonly nextCommandSequenceNumber: () => number;
  /** `host:port` this server is reached at, for ksqlHostQueryStatus. */
  readonly hostPort: string;
  /** Whether a property is query-level (overridable) for SHOW PROPERTIES `level`/`editable`. */
  readonly isQueryLevelProperty: (name: string) => boolean;
  /** All persistent queries, to fill read/write queries of extended source listings. */
  readonly persistentQueries: () => readonly PersistentQueryInfo[];
}

export type Entity = Readonly<Record<string, unknown>>;

/** One entity per outcome; outcomes without an entity (INSERT VALUES, SET, ...) are skipped. */
export function toEntities(outcomes: readonly StatementOutcome[], ctx: EntityContext): Entity[] {
  const out: Entity[] = [];
  for (const o of outcomes) {
    const e = toEntity(o, ctx);
    if (e !== undefined) out.push(e);
  }
  return out;
}

export function toEntity(o: StatementOutcome, ctx: EntityContext): Entity | undefined {
  const head = (type: string) => ({ '@type': type, statementText: o.statement });
  const warnings: readonly unknown[] = [];
  switch (o.kind) {
    case 'CommandStatus':
      return {
        ...head('currentStatus'),
        commandId: o.commandId,
        commandStatus: { status: 'SUCCESS', message: o.message, queryId: o.queryId ?? null },
        commandSequenceNumber: ctx.nextCommandSequenceNumber(),
        warnings,
      };
    case 'Warning':
      return { ...head('warning_entity'), message: o.message, warnings };
    case 'SourceList':
      if (o.extended) {
        const queries = ctx.persistentQueries();
        return {
          ...head('source_descriptions'),
          sourceDescriptions: o.sources.map((s) => sourceDescription(describeFromQueries(s, queries), true)),
          warnings,
        };
      }
      return o.sourceType === 'STREAM'
        ? { ...head('streams'), streams: o.sources.map(sourceInfo), warnings }
        : { ...head('tables'), tables: o.sources.map(sourceInfo), warnings };
    case 'SourceDescriptions':
      if (o.single && o.sources.length === 1) {
        return { ...head('sourceDescription'), sourceDescription: sourceDescription(o.sources[0]!, o.extended), warnings };
      }
      return { ...head('source_descriptions'), sourceDescriptions: o.sources.map((s) => sourceDescription(s, o.extended)), warnings };
    case 'QueryList':
      if (o.extended) {
        return { ...head('query_descriptions'), queryDescriptions: o.queries.map((q) => queryDescription(q, [], '', ctx)), warnings };
      }
      return { ...head('queries'), queries: o.queries.map(runningQuery), warnings };
    case 'QueryDescription':
      return {
        ...head('queryDescription'),
        queryDescription: queryDescription(o.query, fieldInfos([...o.schema.key, ...o.schema.value]), o.plan, ctx),
        warnings,
      };
    case 'TopicList':
      return o.extended
        ? {
            ...head('kafka_topics_extended'),
            topics: o.topics.map((t) => ({ name: t.name, replicaInfo: replicaInfo(t.partitions, t.replicas), consumerCount: 0, consumerGroupCount: 0 })),
            warnings,
          }
        : { ...head('kafka_topics'), topics: o.topics.map((t) => ({ name: t.name, replicaInfo: replicaInfo(t.partitions, t.replicas) })), warnings };
    case 'PropertyList':
      return {
        ...head('properties'),
        properties: o.properties.map((p) => {
          const queryLevel = ctx.isQueryLevelProperty(p.name);
          return { name: p.name, scope: propertyScope(p.name), value: p.value, editable: queryLevel, level: queryLevel ? 'QUERY' : 'SERVER' };
        }),
        overwrittenProperties: o.properties.filter((p) => p.overridden).map((p) => p.name),
        defaultProperties: [],
        warnings,
      };
    case 'FunctionList':
      return { ...head('function_names'), functions: o.functions.map((f) => ({ name: f.name, type: f.type, category: f.category })), warnings };
    case 'FunctionDescription':
      return {
        ...head('describe_function'),
        name: o.name,
        description: o.description,
        author: 'Confluent',
        version: '',
        path: 'internal',
        functions: o.signatures.map((s) => {
          const args = parseArguments(s.args);
          return { arguments: args, returnType: s.returns, description: s.description ?? '', argumentTypes: args.map((a) => a.type) };
        }),
        type: o.type,
        warnings,
      };
    case 'TypeList': {
      const types: Record<string, unknown> = {};
      for (const [name, t] of o.types) types[name] = schemaInfo(t);
      return { ...head('type_list'), types, warnings };
    }
    case 'VariableList':
      return { ...head('variables'), variables: o.variables.map((v) => ({ name: v.name, value: v.value })), warnings };
    case 'TerminateTransient':
      return { ...head('terminate_query'), queryId: o.queryId, wasTerminated: true, warnings };
    case 'AssertTopic':
      return { ...head('assert_topic'), topicName: o.topic, exists: o.exists, warnings };
    case 'None':
      return undefined;
  }
}

function sourceInfo(s: SourceInfo): Entity {
  return {
    type: s.type,
    name: s.name,
    topic: s.topic,
    keyFormat: s.keyFormat.info.format,
    valueFormat: s.valueFormat.info.format,
    isWindowed: s.keyFormat.window !== undefined,
  };
}

function describeFromQueries(source: SourceInfo, queries: readonly PersistentQueryInfo[]): SourceDescription {
  return {
    source,
    readQueries: queries.filter((q) => q.sources.includes(source.name)),
    writeQueries: queries.filter((q) => q.sinks.includes(source.name)),
  };
}

function sourceDescription(d: SourceDescription, extended: boolean): Entity {
  const s = d.source;
  return {
    name: s.name,
    windowType: s.keyFormat.window?.type ?? null,
    readQueries: d.readQueries.map(runningQuery),
    writeQueries: d.writeQueries.map(runningQuery),
    fields: fieldInfos([...s.schema.key, ...s.schema.value]),
    type: s.type,
    timestamp: s.timestampColumn ?? '',
    statistics: '',
    errorStats: '',
    extended,
    keyFormat: s.keyFormat.info.format,
    valueFormat: s.valueFormat.info.format,
    topic: s.topic,
    partitions: s.partitions,
    replication: s.replicas,
    statement: s.statement,
    queryOffsetSummaries: [],
    sourceConstraints: [],
    clusterStatistics: [],
    clusterErrorStats: [],
  };
}

function runningQuery(q: PersistentQueryInfo): Entity {
  return {
    queryString: q.statement,
    sinks: q.sinks,
    sinkKafkaTopics: q.sinkTopics,
    id: q.id,
    statusCount: q.state === undefined ? {} : { [q.state]: 1 },
    queryType: 'PERSISTENT',
    state: q.state,
  };
}

function queryDescription(q: PersistentQueryInfo, fields: readonly FieldInfoJson[], plan: string, ctx: EntityContext): Entity {
  return {
    id: q.id,
    statementText: q.statement,
    windowType: null,
    fields,
    sources: q.sources,
    sinks: q.sinks,
    topology: plan,
    executionPlan: plan,
    overriddenProperties: {},
    ksqlHostQueryStatus: q.state === undefined ? {} : { [ctx.hostPort]: q.state },
    queryType: q.queryType ?? 'PERSISTENT',
    queryErrors: q.error === undefined ? [] : [{ timestamp: 0, errorMessage: q.error, type: 'UNKNOWN' }],
    tasksMetadata: [],
    state: q.state ?? null,
    consumerGroupId: '',
  };
}

/** KafkaTopicInfo.replicaInfo: the replica count of each partition. */
function replicaInfo(partitions: number, replicas: number): number[] {
  return Array.from({ length: Math.max(0, partitions) }, () => replicas);
}

/** The config "scope" SHOW PROPERTIES reports (ksqlDB's KsqlConfigResolver prefixes). */
function propertyScope(name: string): string {
  if (name.startsWith('ksql.streams.')) return 'KAFKA_STREAMS';
  if (name.startsWith('ksql.')) return 'KSQL';
  // Riffle's own settings and server settings such as `listeners` configure the server, as ksql.* do.
  if (name.startsWith('riffle.') || name === 'listeners') return 'KSQL';
  return 'KAFKA_STREAMS';
}

/** Splits a signature's `name TYPE, name TYPE...` argument text into ArgumentInfo objects. */
function parseArguments(args: string): { name: string; type: string; description: string; isVariadic: boolean }[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of args) {
    if (ch === '<' || ch === '(') depth++;
    if (ch === '>' || ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur.trim() !== '') parts.push(cur);
  return parts.map((p) => {
    const text = p.trim();
    const variadic = text.endsWith('...');
    const bare = variadic ? text.slice(0, -3).trim() : text;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s+(.+)$/.exec(bare);
    const [name, type] = m ? [m[1]!, m[2]!] : ['', bare];
    return { name, type: variadic ? `${type}[]` : type, description: '', isVariadic: variadic };
  });
}
