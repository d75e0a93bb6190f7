// Starts persistent queries (CSAS, CTAS, INSERT INTO ... SELECT, CREATE SOURCE TABLE): plans the
// query, decides the sink's topic and formats, creates internal topics, registers the sink and
// the query in the catalog, and runs it.

import { statementError } from '../common/errors.ts';
import type { Column } from '../catalog/schema.ts';
import { formatSchema } from '../catalog/schema.ts';
import { planQuery, type PlannedQuery } from '../analyzer/query-planner.ts';
import { buildKeyFormat, buildValueFormat, resolveFormats, validateFormats } from '../analyzer/format-rules.ts';
import { checkTimestampColumn, normalizeColumnName } from '../analyzer/create-source.ts';
import { WithProperties } from '../analyzer/with-properties.ts';
import type { Step } from '../plan/steps.ts';
import type { Statement } from '../sql/ast.ts';
import type { KeyFormat, ValueFormat } from '../serde/format.ts';
import type { Session, SourceInfo } from './engine-api.ts';
import { QueryRunner } from './query-runner.ts';
import { formatDefaults, type ExecutorHost } from './statement-executor.ts';

const CSAS_PROPERTIES = new Set([
  'KAFKA_TOPIC', 'PARTITIONS', 'REPLICAS', 'RETENTION_MS', 'TIMESTAMP', 'TIMESTAMP_FORMAT', 'VALUE_FORMAT', 'KEY_FORMAT', 'FORMAT',
  'WRAP_SINGLE_VALUE', 'VALUE_DELIMITER', 'KEY_DELIMITER', 'KEY_SCHEMA_ID', 'VALUE_SCHEMA_ID', 'KEY_SCHEMA_FULL_NAME',
  'VALUE_SCHEMA_FULL_NAME', 'VALUE_AVRO_SCHEMA_FULL_NAME', 'QUERY_ID',
]);

type PersistentStatement = Statement & ({ kind: 'CreateAsSelect' } | { kind: 'InsertInto' });

/** CREATE OR REPLACE: stops the query writing the sink so the new one can take its place. */
export function replaceOrCheckSink(host: ExecutorHost, s: Statement & { kind: 'CreateAsSelect' }): void {
  const existing = host.catalog.source(s.name);
  if (!existing || !s.orReplace) return;
  if (existing.type !== s.sourceType) {
    throw statementError(`Cannot add ${s.sourceType === 'STREAM' ? 'stream' : 'table'} '${s.name}': A ${existing.type === 'STREAM' ? 'stream' : 'table'} with the same name already exists`);
  }
}

export function internalTopicPrefix(serviceId: string, queryId: string): string {
  return `_confluent-ksql-${serviceId}query_${queryId}-`;
}

export async function startPersistentQuery(
  host: ExecutorHost, session: Session, s: PersistentStatement, text: string, opts: { materializeOnly?: boolean },
): Promise<string> {
  if (s.query.limit !== undefined) {
    throw statementError(`${s.kind === 'CreateAsSelect' ? `CREATE ${s.sourceType} AS SELECT` : 'INSERT INTO'} statements don't support LIMIT clause.`, text);
  }
  if (s.query.limit !== undefined && !opts.materializeOnly) {
    const what = s.kind === 'InsertInto' ? 'INSERT INTO' : `CREATE ${s.sourceType} AS SELECT`;
    throw statementError(`${what} statements don't support LIMIT clause.`, text);
  }
  const props = new WithProperties(s.properties, CSAS_PROPERTIES);
  const sinkName = s.kind === 'CreateAsSelect' ? s.name : s.target;
  const existingSink = host.catalog.source(sinkName);
  const replacing = s.kind === 'CreateAsSelect' && s.orReplace && existingSink
    ? host.catalog.writersOf(sinkName)[0] : undefined;
  const forced = host.takeForcedQueryId?.();
  const n = host.nextQueryNumber();
  const explicitId = props.string('QUERY_ID');
  const queryId = forced ?? replacing?.id ?? (explicitId ? explicitId.toUpperCase()
    : opts.materializeOnly ? `CST_${sinkName}_${n}`
    : s.kind === 'InsertInto' ? `INSERTQUERY_${n}`
    : `${s.sourceType === 'STREAM' ? 'CSAS' : 'CTAS'}_${sinkName}_${n}`);
  if (explicitId && host.catalog.query(queryId) && !replacing) {
    throw statementError(`Query ID '${queryId}' already exists.`, text);
  }
  const prefix = internalTopicPrefix(host.serviceId, queryId);
  const plan = planQuery(s.query, {
    source: (name) => host.catalog.source(name), functions: host.functions, types: (t) => host.catalog.type(t),
    queryId, internalTopicPrefix: prefix, persistent: true, sinkName,
    newQueryPlanner: host.property(session, 'ksql.new.query.planner.enabled') === 'true',
  });
  if (s.kind === 'CreateAsSelect' && !opts.materializeOnly) {
    if (s.sourceType === 'STREAM' && plan.isTable) {
      throw statementError('Invalid result type. Your SELECT query produces a TABLE. Please use CREATE TABLE AS SELECT statement instead.', text);
    }
    if (s.sourceType === 'TABLE' && !plan.isTable) {
      throw statementError('Invalid result type. Your SELECT query produces a STREAM. Please use CREATE STREAM AS SELECT statement instead.', text);
    }
  }
  const sources = plan.sourceNames.map((nm) => host.catalog.source(nm)!);
  const leftmost = sources[0]!;
  for (const src of sources) {
    if (existingSink && src.name === sinkName && s.kind === 'InsertInto') {
      throw statementError(`Cannot insert into ${sinkName} because it is also a source of the query.`, text);
    }
  }

  let sink: SourceInfo;
  if (s.kind === 'InsertInto' || opts.materializeOnly) {
    sink = existingSink!;
    if (!opts.materializeOnly) checkInsertCompatible(sink, plan, text);
  } else {
    sink = buildSinkSource(host, session, s, props, plan, leftmost, text);
  }

  // Topics: the sink, then internal repartition and changelog topics.
  const sourcePartitions = Math.max(1, ...sources.map((x) => x.partitions));
  if (!(await host.log.describeTopic(sink.topic))) {
    await host.log.createTopic(sink.topic, { partitions: sink.partitions, replicas: sink.replicas });
  }
  for (const t of plan.internalTopics) {
    if (!(await host.log.describeTopic(t))) {
      await host.log.createTopic(t, { partitions: sourcePartitions, cleanupPolicy: t.endsWith('-changelog') ? 'compact' : 'delete' });
    }
  }
  const valueIndexes = plan.value.map((_, i) => plan.key.length + i);
  const tsName = props.string('TIMESTAMP');
  let timestampIndex: number | undefined;
  if (tsName !== undefined && s.kind === 'CreateAsSelect') {
    const name = normalizeColumnName(tsName);
    timestampIndex = plan.root.layout.findIndex((c) => c.name === name);
    if (timestampIndex < 0) throw statementError(`The TIMESTAMP column set in the WITH clause does not exist in the schema: '${name}'`, text);
    checkTimestampColumn(name, plan.root.layout[timestampIndex]!.type, props.string('TIMESTAMP_FORMAT'));
  }
  const sinkStep: Step & { kind: 'Sink' } = {
    kind: 'Sink', input: plan.root, topic: sink.topic, keyFormat: sink.keyFormat, valueFormat: sink.valueFormat,
    valueIndexes, timestampIndex, timestampFormat: props.string('TIMESTAMP_FORMAT'),
    // CREATE SOURCE TABLE materializes its own topic: it must not write back into it.
    writes: !opts.materializeOnly,
    layout: plan.root.layout, keyCount: plan.root.keyCount, isTable: plan.isTable, windowed: plan.root.windowed,
  };
  if (sink.type === 'TABLE') {
    const mt = `${prefix}Materialize-changelog`;
    if (!(await host.log.describeTopic(mt))) await host.log.createTopic(mt, { partitions: sourcePartitions, cleanupPolicy: 'compact' });
  }

  if (replacing) {
    const old = host.runners.get(replacing.id);
    await old?.stop();
    host.runners.delete(replacing.id);
  }
  if (s.kind === 'CreateAsSelect' && !opts.materializeOnly) host.catalog.putSource(sink);
  const reset = host.property(session, 'ksql.streams.auto.offset.reset') ?? host.property(session, 'auto.offset.reset');
  const runner = new QueryRunner({
    queryId, sink: sinkStep, internalTopicPrefix: prefix, log: host.log, stores: host.stores,
    sequenceOf: (t, p, o) => host.sequenceOf(t, p, o),
    processingError: (e) => host.recordProcessingError(e),
    startFrom: reset === 'earliest' ? 'earliest' : 'latest',
    commitIntervalMs: Number(host.property(session, 'ksql.streams.commit.interval.ms') ?? 2000),
    cacheMaxBytes: Number(host.property(session, 'ksql.streams.cache.max.bytes.buffering') ?? 10_000_000),
    throwOnInvalidTimestamp: String(host.property(session, 'ksql.timestamp.throw.on.invalid')).toLowerCase() === 'true',
    group: `_confluent-ksql-${host.serviceId}query_${queryId}`,
    ...(host.taskRoles ? { roleOf: host.taskRoles } : {}),
  });
  await runner.init();
  host.runners.set(queryId, runner);
  host.catalog.putQuery({
    id: queryId, statement: text, sinks: opts.materializeOnly ? [] : [sinkName], sinkTopics: opts.materializeOnly ? [] : [sink.topic],
    sources: plan.sourceNames, state: 'RUNNING', error: undefined,
  });
  if (host.scheduling === 'background') runner.start();
  return queryId;
}

function buildSinkSource(
  host: ExecutorHost, session: Session, s: Statement & { kind: 'CreateAsSelect' }, props: WithProperties,
  plan: PlannedQuery, leftmost: SourceInfo, text: string,
): SourceInfo {
  const defaults = formatDefaults(host, session);
  const formats = resolveFormats(props, defaults, { key: leftmost.keyFormat.info, value: leftmost.valueFormat.info });
  let keyInfo = formats.key;
  const keyColumns: Column[] = plan.key.map((c) => ({ ...c }));
  const valueColumns: Column[] = plan.value.map((c) => ({ ...c }));
  if (keyColumns.length === 0 && props.has('KEY_FORMAT') && formats.key.format !== 'NONE') {
    throw statementError('Key format specified for stream without key columns.', text);
  }
  if (keyColumns.length === 0 && !props.has('KEY_FORMAT') && !props.has('FORMAT')) keyInfo = { format: 'NONE', properties: {} };
  if (keyColumns.length > 0 && keyInfo.format === 'NONE' && !props.has('KEY_FORMAT') && !props.has('FORMAT')) {
    keyInfo = { format: defaults.key ? (defaults.key.toUpperCase() as typeof keyInfo.format) : 'KAFKA', properties: {} };
  }
  validateFormats(keyInfo, formats.value, keyColumns, valueColumns);
  const keyFormat: KeyFormat = buildKeyFormat(keyInfo, keyColumns, plan.window);
  const valueFormat: ValueFormat = buildValueFormat(formats.value, valueColumns, props.boolean('WRAP_SINGLE_VALUE'), defaults.wrapSingleValues);
  const partitions = props.int('PARTITIONS') ?? leftmost.partitions;
  const replicas = props.int('REPLICAS') ?? Number(host.property(session, 'ksql.sink.replicas') ?? 1);
  void text;
  return {
    name: s.name, type: s.sourceType,
    // ksql.output.topic.name.prefix applies only to the default (derived) sink topic name.
    topic: props.string('KAFKA_TOPIC') ?? `${host.property(session, 'ksql.output.topic.name.prefix') ?? ''}${s.name}`,
    schema: { key: keyColumns, value: valueColumns }, keyFormat, valueFormat,
    timestampColumn: props.has('TIMESTAMP') ? normalizeColumnName(props.string('TIMESTAMP')!) : undefined,
    timestampFormat: props.string('TIMESTAMP_FORMAT'), isSource: false, statement: text, partitions, replicas,
  };
}

function checkInsertCompatible(sink: SourceInfo, plan: PlannedQuery, text: string): void {
  if (sink.type === 'TABLE') throw statementError(`INSERT INTO can only be used to insert into a stream. ${sink.name} is a table.`, text);
  if (plan.isTable) throw statementError(`INSERT INTO can only be used to insert from a stream. The query produces a table.`, text);
  const want = formatSchema({ key: sink.schema.key, value: sink.schema.value.filter((c) => c.namespace === 'VALUE') });
  const got = formatSchema({ key: plan.key, value: plan.value });
  if (want !== got) {
    throw statementError(`Incompatible schema between results and sink.\nResult schema is ${got}\nSink schema is ${want}`, text);
  }
}
