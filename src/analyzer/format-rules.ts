// Which formats a source may use for its key and value, picked from WITH properties and session
// defaults, and whether its columns fit them. ksqlDB's messages where the corpus checks them.

import { statementError } from '../common/errors.ts';
import { formatType, quoteName, type SqlType } from '../common/sql-type.ts';
import type { Column } from '../catalog/schema.ts';
import { formatColumn } from '../catalog/schema.ts';
import type { FormatInfo, FormatName, KeyFormat, SerdeFeature, ValueFormat, WindowInfo } from '../serde/format.ts';
import type { WithProperties } from './with-properties.ts';

const KNOWN_FORMATS: ReadonlySet<string> = new Set(['JSON', 'KAFKA', 'DELIMITED', 'NONE', 'AVRO', 'PROTOBUF', 'PROTOBUF_NOSR', 'JSON_SR']);

export function formatName(text: string): FormatName {
  const f = text.toUpperCase();
  if (!KNOWN_FORMATS.has(f)) throw statementError(`Unknown format: ${f}`);
  return f as FormatName;
}

export interface FormatDefaults {
  readonly key: string | undefined;
  readonly value: string | undefined;
  readonly wrapSingleValues: boolean | undefined;
}

function delimiterProperty(props: WithProperties, name: string): Record<string, string> {
  const d = props.string(name);
  if (d === undefined) return {};
  if (d === '') {
    throw statementError(`Failed to prepare statement: Configuration ${name} is invalid: Delimiter cannot be empty, if you meant to have a tab or space for delimiter, please use the special values 'TAB' or 'SPACE'\nExample valid value: ';'`);
  }
  const upper = d.toUpperCase();
  const delimiter = upper === 'TAB' ? '\t' : upper === 'SPACE' ? ' ' : d;
  if (delimiter.length !== 1) {
    throw statementError(`Failed to prepare statement: Configuration ${name} is invalid: Invalid delimiter value: '${d}'. Delimiter must be a single character or TAB or SPACE\nExample valid value: ';'`);
  }
  return { delimiter };
}

/** Resolves KEY_FORMAT / VALUE_FORMAT / FORMAT with defaults (explicit `inherit` for CSAS sinks). */
export function resolveFormats(
  props: WithProperties,
  defaults: FormatDefaults,
  inherit: { key: FormatInfo; value: FormatInfo } | undefined,
): { key: FormatInfo; value: FormatInfo } {
  const both = props.string('FORMAT');
  const keyText = props.string('KEY_FORMAT');
  const valueText = props.string('VALUE_FORMAT');
  if (both !== undefined && (keyText !== undefined || valueText !== undefined)) {
    throw statementError(`Cannot supply both 'FORMAT' and '${keyText !== undefined ? 'KEY_FORMAT' : 'VALUE_FORMAT'}' properties, as 'FORMAT' sets both key and value formats. Either use just 'FORMAT', or use 'KEY_FORMAT' and 'VALUE_FORMAT'.`);
  }
  const keyName = both ?? keyText ?? (inherit ? undefined : defaults.key) ;
  const valueName = both ?? valueText ?? (inherit ? undefined : defaults.value);
  let key: FormatInfo;
  if (keyName !== undefined) key = { format: formatName(keyName), properties: delimiterProperty(props, 'KEY_DELIMITER') };
  else if (inherit) key = inherit.key;
  else key = { format: 'KAFKA', properties: {} };
  let value: FormatInfo;
  if (valueName !== undefined) value = { format: formatName(valueName), properties: delimiterProperty(props, 'VALUE_DELIMITER') };
  else if (inherit) value = props.has('VALUE_DELIMITER') ? { format: inherit.value.format, properties: delimiterProperty(props, 'VALUE_DELIMITER') } : inherit.value;
  else {
    throw statementError("Statement is missing the 'VALUE_FORMAT' property from the WITH clause. Either provide one or set a default via the 'ksql.persistence.default.format.value' config.");
  }
  if (props.has('VALUE_DELIMITER') && value.format !== 'DELIMITED') {
    throw statementError(`Failed to prepare statement: Property VALUE_DELIMITER can only be used with VALUE_FORMAT='DELIMITED'`);
  }
  if (props.has('KEY_DELIMITER') && key.format !== 'DELIMITED') {
    throw statementError(`Failed to prepare statement: Property KEY_DELIMITER can only be used with KEY_FORMAT='DELIMITED'`);
  }
  const schemaFormats = ['AVRO', 'PROTOBUF', 'PROTOBUF_NOSR', 'JSON_SR'];
  if ((props.has('VALUE_SCHEMA_FULL_NAME') || props.has('VALUE_AVRO_SCHEMA_FULL_NAME')) && !schemaFormats.includes(value.format)) {
    throw statementError(`${value.format} does not support the following configs: [fullSchemaName]`);
  }
  if (props.has('KEY_SCHEMA_FULL_NAME') && !schemaFormats.includes(key.format)) {
    throw statementError(`${key.format} does not support the following configs: [fullSchemaName]`);
  }
  return { key, value };
}

export function buildKeyFormat(info: FormatInfo, keyColumns: readonly Column[], window: WindowInfo | undefined): KeyFormat {
  const features: SerdeFeature[] = [];
  if (keyColumns.length === 1 && (info.format === 'JSON' || info.format === 'AVRO' || info.format === 'JSON_SR' || info.format === 'PROTOBUF' || info.format === 'PROTOBUF_NOSR')) {
    features.push('UNWRAP_SINGLES');
  }
  return { info, features, window };
}

export function buildValueFormat(info: FormatInfo, valueColumns: readonly Column[], wrapSingleValue: boolean | undefined, defaultWrap: boolean | undefined): ValueFormat {
  const features: SerdeFeature[] = [];
  const single = valueColumns.filter((c) => c.namespace === 'VALUE').length === 1;
  if (wrapSingleValue !== undefined) {
    if (!single) throw statementError("'WRAP_SINGLE_VALUE' is only valid for single-field value schemas");
    if (info.format === 'KAFKA' || info.format === 'DELIMITED' || info.format === 'NONE') {
      if (wrapSingleValue) throw statementError(`Format '${info.format}' does not support 'WRAP_SINGLE_VALUE' set to 'true'.`);
    } else {
      features.push(wrapSingleValue ? 'WRAP_SINGLES' : 'UNWRAP_SINGLES');
    }
  } else if (single && defaultWrap === false && info.format !== 'KAFKA' && info.format !== 'DELIMITED' && info.format !== 'NONE') {
    features.push('UNWRAP_SINGLES');
  }
  return { info, features };
}

function containsMap(t: SqlType): boolean {
  switch (t.kind) {
    case 'MAP': return true;
    case 'ARRAY': return containsMap(t.element);
    case 'STRUCT': return t.fields.some((f) => containsMap(f.type));
    default: return false;
  }
}

function checkFormatSupports(format: FormatName, columns: readonly Column[], isKey: boolean): void {
  const cols = columns.filter((c) => c.namespace === 'KEY' || c.namespace === 'VALUE');
  if (format === 'NONE') {
    if (cols.length > 0) throw statementError(`The 'NONE' format can only be used when no columns are defined. Got: [${cols.map(formatColumn).join(', ')}]`);
    return;
  }
  if (format === 'KAFKA') {
    if (cols.length > 1) throw statementError(`The 'KAFKA' format only supports a single field. Got: [${cols.map(formatColumn).join(', ')}]`);
    for (const c of cols) {
      if (['ARRAY', 'MAP', 'STRUCT', 'BOOLEAN', 'DECIMAL', 'TIMESTAMP', 'DATE', 'TIME'].includes(c.type.kind)) {
        throw statementError(`The 'KAFKA' format does not support type '${c.type.kind}'`);
      }
    }
  }
  if (format === 'DELIMITED') {
    for (const c of cols) {
      if (['ARRAY', 'MAP', 'STRUCT'].includes(c.type.kind)) {
        throw statementError(`The 'DELIMITED' format does not support type '${c.type.kind}'${isKey && c.name === 'ROWKEY' ? `, column: ${quoteName(c.name)}` : ''}`);
      }
    }
  }
  if (format === 'JSON' || format === 'JSON_SR') {
    const badMap = (t: SqlType): boolean => t.kind === 'MAP' ? t.key.kind !== 'STRING' || badMap(t.value)
      : t.kind === 'ARRAY' ? badMap(t.element) : t.kind === 'STRUCT' ? t.fields.some((f) => badMap(f.type)) : false;
    if (cols.some((c) => badMap(c.type))) throw statementError('JSON only supports MAP types with STRING keys');
  }
}

export function validateFormats(key: FormatInfo, value: FormatInfo, keyColumns: readonly Column[], valueColumns: readonly Column[]): void {
  for (const c of keyColumns) {
    if (containsMap(c.type)) {
      throw statementError(`Map keys, including types that contain maps, are not supported as they may lead to unexpected behavior due to inconsistent serialization. Key column name: ${quoteName(c.name)}. Column type: ${formatType(c.type)}. See https://github.com/confluentinc/ksql/issues/6621 for more.`);
    }
  }
  checkFormatSupports(key.format, keyColumns, true);
  checkFormatSupports(value.format, valueColumns, false);
}
