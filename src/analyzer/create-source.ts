// CREATE [OR REPLACE] [SOURCE] STREAM|TABLE name (columns) WITH (...): checks the columns and
// properties and builds the SourceInfo the catalog will hold. Does not touch the log.

import { statementError } from '../common/errors.ts';
import { BIGINT, formatType, quoteName, STRING, type SqlType } from '../common/sql-type.ts';
import type { Column } from '../catalog/schema.ts';
import type { SourceInfo } from '../engine/engine-api.ts';
import type { WindowInfo, WindowType } from '../serde/format.ts';
import type { Statement } from '../sql/ast.ts';
import { buildKeyFormat, buildValueFormat, resolveFormats, validateFormats, type FormatDefaults } from './format-rules.ts';
import { resolveType, type TypeLookup } from './type-resolver.ts';
import { parseDurationText, WithProperties } from './with-properties.ts';

export const RESERVED_COLUMN_NAMES: ReadonlySet<string> = new Set(['ROWTIME', 'ROWPARTITION', 'ROWOFFSET', 'WINDOWSTART', 'WINDOWEND']);

const CREATE_PROPERTIES = new Set([
  'KAFKA_TOPIC', 'PARTITIONS', 'REPLICAS', 'RETENTION_MS', 'CLEANUP_POLICY', 'TIMESTAMP', 'TIMESTAMP_FORMAT',
  'VALUE_FORMAT', 'KEY_FORMAT', 'FORMAT', 'WRAP_SINGLE_VALUE', 'VALUE_DELIMITER', 'KEY_DELIMITER', 'KEY_SCHEMA_ID',
  'VALUE_SCHEMA_ID', 'KEY_SCHEMA_FULL_NAME', 'VALUE_SCHEMA_FULL_NAME', 'VALUE_AVRO_SCHEMA_FULL_NAME', 'WINDOW_TYPE',
  'WINDOW_SIZE', 'SOURCE_CONNECTOR', 'SOURCED_BY_CONNECTOR', 'QUERY_ID',
]);

export interface CreateSourcePlan {
  readonly source: SourceInfo;
  /** Partitions/replicas to create the topic with when it does not exist (PARTITIONS given). */
  readonly createTopic: { partitions: number; replicas: number } | undefined;
}

export interface CreateSourceContext {
  readonly types: TypeLookup;
  readonly defaults: FormatDefaults;
  readonly defaultReplicas: number;
}

export function analyzeCreateSource(
  stmt: Statement & { kind: 'CreateSource' },
  text: string,
  ctx: CreateSourceContext,
): CreateSourcePlan {
  const props = new WithProperties(stmt.properties, CREATE_PROPERTIES);
  const isTable = stmt.sourceType === 'TABLE';
  const key: Column[] = [];
  const value: Column[] = [];
  const seen = new Set<string>();
  for (const el of stmt.elements) {
    if (RESERVED_COLUMN_NAMES.has(el.name)) {
      throw statementError(`'${el.name}' is a reserved column name. You cannot use it as a name for a column.`);
    }
    if (seen.has(el.name)) throw statementError(`Duplicate column names: ${el.name}`);
    seen.add(el.name);
    const type = resolveType(el.type, ctx.types);
    const c = el.constraint;
    if (c === 'KEY' || c === 'PRIMARY KEY') {
      if (isTable && c === 'KEY') {
        throw statementError(`Line: ${el.pos.line}, Col: ${el.pos.column}: Column ${quoteName(el.name)} is a 'KEY' column: please use 'PRIMARY KEY' for tables.\nTables have PRIMARY KEYs, which are unique and NON NULL.\nStreams have KEYs, which have no uniqueness or NON NULL constraints.`);
      }
      if (!isTable && c === 'PRIMARY KEY') {
        throw statementError(`Line: ${el.pos.line}, Col: ${el.pos.column}: Column ${quoteName(el.name)} is a 'PRIMARY KEY' column: please use 'KEY' for streams.\nTables have PRIMARY KEYs, which are unique and NON NULL.\nStreams have KEYs, which have no uniqueness or NON NULL constraints.`);
      }
      key.push({ name: el.name, type, namespace: 'KEY' });
    } else if (c === 'HEADERS') {
      if (formatType(type) !== 'ARRAY<STRUCT<`KEY` STRING, `VALUE` BYTES>>') {
        throw statementError(`Invalid type for HEADERS column: expected ARRAY<STRUCT<\`KEY\` STRING, \`VALUE\` BYTES>>, got ${formatType(type)}`);
      }
      value.push({ name: el.name, type, namespace: 'HEADERS' });
    } else if (c !== undefined && typeof c === 'object') {
      if (type.kind !== 'BYTES') throw statementError(`Invalid type for HEADER('${c.header}') column: expected BYTES, got ${formatType(type)}`);
      value.push({ name: el.name, type, namespace: 'HEADER', headerKey: c.header });
    } else {
      value.push({ name: el.name, type, namespace: 'VALUE' });
    }
  }
  if (value.filter((c) => c.namespace === 'HEADERS').length > 1) throw statementError('Schema already contains a HEADERS column.');
  if (isTable && key.length === 0 && stmt.elements.length > 0) {
    throw statementError('Tables require a PRIMARY KEY. Please define the PRIMARY KEY.');
  }
  if (props.has('KEY_SCHEMA_ID') && stmt.elements.some((e) => e.constraint === 'KEY' || e.constraint === 'PRIMARY KEY')) {
    throw statementError('Table elements and KEY_SCHEMA_ID cannot both exist for create statement.');
  }
  if (props.has('VALUE_SCHEMA_ID') && stmt.elements.some((e) => e.constraint === undefined)) {
    throw statementError('Table elements and VALUE_SCHEMA_ID cannot both exist for create statement.');
  }

  const formats = resolveFormats(props, ctx.defaults, undefined);
  if (props.has('VALUE_SCHEMA_ID') && !['AVRO', 'PROTOBUF', 'JSON_SR'].includes(formats.value.format)) {
    throw statementError(`VALUE_FORMAT should support schema inference when VALUE_SCHEMA_ID is provided. Current format is ${formats.value.format}.`);
  }
  if (stmt.elements.length === 0 && !['AVRO', 'PROTOBUF', 'JSON_SR', 'PROTOBUF_NOSR'].includes(formats.value.format)) {
    throw statementError(`The statement does not define any columns.`);
  }

  let window: WindowInfo | undefined;
  const windowTypeText = props.string('WINDOW_TYPE');
  if (windowTypeText !== undefined) {
    const wt = windowTypeText.toUpperCase();
    if (wt !== 'TUMBLING' && wt !== 'HOPPING' && wt !== 'SESSION') {
      throw statementError(`Configuration WINDOW_TYPE is invalid: Invalid value ${windowTypeText} for property WINDOW_TYPE: String must be one of: SESSION, HOPPING, TUMBLING, null`);
    }
    const sizeText = props.string('WINDOW_SIZE');
    if (wt === 'SESSION') {
      if (sizeText !== undefined) throw statementError("'WINDOW_SIZE' should not be set for SESSION windows.");
      window = { type: 'SESSION', sizeMs: undefined };
    } else {
      if (sizeText === undefined) throw statementError(`'WINDOW_SIZE' is required for ${wt} windows.`);
      window = { type: wt as WindowType, sizeMs: parseDurationText(sizeText, 'WINDOW_SIZE') };
    }
    if (key.length === 0) throw statementError('Windowed sources require a key column.');
  } else if (props.has('WINDOW_SIZE')) {
    throw statementError("'WINDOW_SIZE' should be set only for windowed sources (when 'WINDOW_TYPE' is set).");
  }

  validateFormats(formats.key, formats.value, key, value);
  const keyFormat = buildKeyFormat(formats.key, key, window);
  const valueFormat = buildValueFormat(formats.value, value, props.boolean('WRAP_SINGLE_VALUE'), ctx.defaults.wrapSingleValues);

  const timestampColumn = props.string('TIMESTAMP');
  const timestampFormat = props.string('TIMESTAMP_FORMAT');
  if (timestampColumn !== undefined) {
    const tsName = normalizeColumnName(timestampColumn);
    const col = [...key, ...value].find((c) => c.name === tsName);
    if (!col) throw statementError(`The TIMESTAMP column set in the WITH clause does not exist in the schema: '${tsName}'`);
    checkTimestampColumn(col.name, col.type, timestampFormat);
  }

  const topic = props.string('KAFKA_TOPIC') ?? stmt.name;
  const partitions = props.int('PARTITIONS');
  const replicas = props.int('REPLICAS');
  const source: SourceInfo = {
    name: stmt.name,
    type: stmt.sourceType,
    topic,
    schema: { key, value },
    keyFormat,
    valueFormat,
    timestampColumn: timestampColumn === undefined ? undefined : normalizeColumnName(timestampColumn),
    timestampFormat,
    isSource: stmt.isSource,
    statement: text,
    partitions: partitions ?? 1,
    replicas: replicas ?? ctx.defaultReplicas,
  };
  return { source, createTopic: partitions === undefined ? undefined : { partitions, replicas: replicas ?? ctx.defaultReplicas } };
}

/** WITH (TIMESTAMP='col'): unquoted names are upper-cased, back-quoted ones kept. */
export function normalizeColumnName(text: string): string {
  if (text.startsWith('`') && text.endsWith('`')) return text.slice(1, -1);
  return text.toUpperCase();
}

export function checkTimestampColumn(name: string, type: SqlType, format: string | undefined): void {
  const ok = type.kind === 'BIGINT' || type.kind === 'TIMESTAMP' || (type.kind === 'STRING' && format !== undefined);
  if (!ok) {
    throw statementError(`Timestamp column, ${quoteName(name)}, should be LONG(INT64), TIMESTAMP, or a String with a timestamp_format specified`);
  }
}

export const PSEUDO_COLUMN_TYPES: ReadonlyMap<string, SqlType> = new Map([
  ['ROWTIME', BIGINT], ['ROWPARTITION', { kind: 'INTEGER' } as SqlType], ['ROWOFFSET', BIGINT],
  ['WINDOWSTART', BIGINT], ['WINDOWEND', BIGINT],
]);

export { STRING };
