// Renders /ksql entities (by `@type`) the way ksqlDB's CLI prints them: listings as tables, command
// results as a "Message" box, DESCRIBE / EXPLAIN as labelled blocks. Unknown types print as JSON.

import { labelled, listTable, messageBox } from './render.ts';

type Json = Record<string, unknown>;

/** ksqlDB formats its DESCRIBE / EXPLAIN labels with `%-20s : %s`. */
const LABEL_WIDTH = 20;

export function renderEntity(entity: unknown): string {
  if (!isObject(entity)) return JSON.stringify(entity, null, 2) + '\n';
  return renderBody(entity) + renderWarnings(entity);
}

function renderBody(e: Json): string {
  switch (e['@type']) {
    case 'currentStatus':
      return messageBox(str(obj(e.commandStatus).message));
    case 'warning_entity':
      return messageBox(str(e.message));
    case 'terminate_query':
      return messageBox('Query terminated.');
    case 'streams':
      return listTable(['Stream Name', 'Kafka Topic', 'Key Format', 'Value Format', 'Windowed'], sourceRows(list(e.streams)));
    case 'tables':
      return listTable(['Table Name', 'Kafka Topic', 'Key Format', 'Value Format', 'Windowed'], sourceRows(list(e.tables)));
    case 'queries':
      return listTable(
        ['Query ID', 'Query Type', 'Status', 'Sink Name', 'Sink Kafka Topic', 'Query String'],
        list(e.queries).map(obj).map((q) => [
          str(q.id), str(q.queryType), queryStatus(q), strs(q.sinks).join(','), strs(q.sinkKafkaTopics).join(','), oneLine(str(q.queryString)),
        ]),
      ) + 'For detailed information on a Query run: EXPLAIN <Query ID>;\n';
    case 'properties':
      return listTable(
        ['Property', 'Scope', 'Level', 'Value'],
        list(e.properties).map(obj).map((p) => [str(p.name), str(p.scope), str(p.level), str(p.value)]),
      );
    case 'kafka_topics':
    case 'kafka_topics_extended':
      return listTable(
        ['Kafka Topic', 'Partitions', 'Partition Replicas'],
        list(e.topics).map(obj).map((t) => {
          const replicas = list(t.replicaInfo);
          return [str(t.name), String(replicas.length), replicas.length > 0 ? str(replicas[0]) : '0'];
        }),
      );
    case 'function_names':
      return listTable(
        ['Function Name', 'Category'],
        list(e.functions).map(obj).map((f) => [str(f.name), str(f.category)]).sort((a, b) => a[0]!.localeCompare(b[0]!)),
      ) + 'For detailed information on a function run: DESCRIBE FUNCTION <Function Name>;\n';
    case 'describe_function':
      return describeFunction(e);
    case 'type_list':
      return listTable(['Type Name', 'Schema'], Object.entries(obj(e.types)).map(([name, schema]) => [name, schemaType(schema)]));
    case 'variables':
      return listTable(['Variable Name', 'Value'], list(e.variables).map(obj).map((v) => [str(v.name), str(v.value)]));
    case 'sourceDescription':
      return describeSource(obj(e.sourceDescription));
    case 'source_descriptions':
      return list(e.sourceDescriptions).map((d) => describeSource(obj(d))).join('\n');
    case 'queryDescription':
      return explainQuery(obj(e.queryDescription));
    default:
      return JSON.stringify(e, null, 2) + '\n';
  }
}

function renderWarnings(e: Json): string {
  return list(e.warnings).map((w) => `WARNING: ${str(obj(w).message)}\n`).join('');
}

function sourceRows(sources: readonly unknown[]): string[][] {
  return sources.map(obj).map((s) => [str(s.name), str(s.topic), str(s.keyFormat), str(s.valueFormat), str(s.isWindowed)]);
}

function queryStatus(q: Json): string {
  const counts = Object.entries(obj(q.statusCount));
  if (counts.length > 0) return counts.map(([state, n]) => `${state}:${str(n)}`).join(',');
  return str(q.state);
}

/** ksqlDB's DESCRIBE: name, the columns with key/header markers, and with EXTENDED the rest. */
function describeSource(d: Json): string {
  const extended = d.extended === true;
  let out = '\n';
  if (!extended) {
    out += labelled([['Name', str(d.name)]], LABEL_WIDTH);
  } else {
    const pairs: [string, string][] = [
      ['Name', str(d.name)],
      ['Type', str(d.type)],
      ['Timestamp field', str(d.timestamp) === '' ? 'Not set - using <ROWTIME>' : str(d.timestamp)],
      ['Key format', str(d.keyFormat)],
      ['Value format', str(d.valueFormat)],
      ['Kafka topic', `${str(d.topic)} (partitions: ${str(d.partitions)}, replication: ${str(d.replication)})`],
    ];
    if (typeof d.windowType === 'string') pairs.push(['Window type', d.windowType]);
    pairs.push(['Statement', str(d.statement)]);
    out += labelled(pairs, LABEL_WIDTH);
    out += '\n';
  }
  out += fieldTable(list(d.fields));
  if (!extended) return out + 'For runtime statistics and query details run: DESCRIBE <Stream,Table> EXTENDED;\n';
  const kind = str(d.type);
  out += queryList(`Queries that read from this ${kind}`, list(d.readQueries));
  out += queryList(`Queries that write from this ${kind}`, list(d.writeQueries));
  out += 'For query topology and execution plan please run: EXPLAIN <QueryId>\n';
  const stats = str(d.statistics);
  const errors = str(d.errorStats);
  if (stats !== '' || errors !== '') out += `\nLocal runtime statistics\n------------------------\n${stats}\n${errors}\n`;
  return out;
}

function fieldTable(fields: readonly unknown[]): string {
  return listTable(['Field', 'Type'], fields.map(obj).map((f) => [str(f.name), fieldType(f)]));
}

function fieldType(f: Json): string {
  const type = schemaType(f.schema);
  if (f.type === 'KEY') return `${type.padEnd(16)} (key)`;
  if (f.type === 'HEADER') return `${type.padEnd(16)} (${f.headerKey === undefined ? 'headers' : `header('${str(f.headerKey)}')`})`;
  return type;
}

/** A SchemaInfo as ksqlDB's CLI spells it (STRING is shown as VARCHAR(STRING), as ksqlDB does). */
export function schemaType(schema: unknown): string {
  const s = obj(schema);
  const type = str(s.type);
  switch (type) {
    case 'STRING':
      return 'VARCHAR(STRING)';
    case 'ARRAY':
      return `ARRAY<${schemaType(s.memberSchema)}>`;
    case 'MAP':
      return `MAP<STRING, ${schemaType(s.memberSchema)}>`;
    case 'STRUCT':
      return `STRUCT<${list(s.fields).map(obj).map((f) => `${str(f.name)} ${schemaType(f.schema)}`).join(', ')}>`;
    case 'DECIMAL': {
      const p = obj(s.parameters);
      return `DECIMAL(${str(p.precision)}, ${str(p.scale)})`;
    }
    default:
      return type;
  }
}

function queryList(title: string, queries: readonly unknown[]): string {
  const rule = '-'.repeat(title.length);
  const lines = queries.map(obj).map((q) => `${str(q.id)} (${str(q.state) || queryStatus(q) || 'RUNNING'}) : ${oneLine(str(q.queryString))}\n`);
  return `\n${title}\n${rule}\n${lines.join('')}\n`;
}

function explainQuery(q: Json): string {
  const hosts = Object.entries(obj(q.ksqlHostQueryStatus)).map(([h, s]) => `${h}=${str(s)}`).join(', ');
  let out = '\n' + labelled([
    ['ID', str(q.id)],
    ['Query Type', str(q.queryType)],
    ['SQL', str(q.statementText)],
    ['Host Query Status', `{${hosts}}`],
  ], LABEL_WIDTH);
  out += '\n' + fieldTable(list(q.fields));
  out += `\nSources that this query reads from: \n-----------------------------------\n${strs(q.sources).join('\n')}\n`;
  out += '\nFor source description please run: DESCRIBE [EXTENDED] <SourceId>\n';
  out += `\nSinks that this query writes to: \n-----------------------------------\n${strs(q.sinks).join('\n')}\n`;
  out += '\nFor sink description please run: DESCRIBE [EXTENDED] <SinkId>\n';
  if (str(q.executionPlan) !== '') out += `\nExecution plan      \n--------------      \n${str(q.executionPlan)}\n`;
  if (str(q.topology) !== '') out += `\nProcessing topology \n------------------- \n${str(q.topology)}\n`;
  return out;
}

function describeFunction(f: Json): string {
  let out = '\n' + labelled([
    ['Name', str(f.name)],
    ['Author', str(f.author)],
    ['Version', str(f.version)],
    ['Overview', str(f.description)],
    ['Type', str(f.type)],
    ['Jar', str(f.path)],
    ['Variations', ''],
  ]);
  for (const v of list(f.functions).map(obj)) {
    const args = list(v.arguments).map(obj).map((a) => `${str(a.name)} ${str(a.type)}`.trim()).join(', ');
    out += '\n' + labelled([
      ['\tVariation', `${str(f.name)}(${args})`],
      ['\tReturns', str(v.returnType)],
      ['\tDescription', str(v.description)],
    ]);
  }
  return out;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function obj(v: unknown): Json {
  return isObject(v) ? v : {};
}

function list(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : [];
}

function str(v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v as number | boolean);
}

function strs(v: unknown): string[] {
  return list(v).map(str);
}
