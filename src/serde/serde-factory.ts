// Picks the serde for a key or value format and checks that the format can hold the columns,
// with ksqlDB's messages (the analyzer may call `formatSupportProblem` to reject statements early).

import type { Column } from '../catalog/schema.ts';
import type { SqlType } from '../common/sql-type.ts';
import type { FormatInfo, FormatName, KeyFormat, ValueFormat } from './format.ts';
import { SerdeError, type KeySerde, type RowSerde } from './serde.ts';
import { createJsonSerde } from './json-serde.ts';
import { createDelimitedSerde, parseDelimiter } from './delimited-serde.ts';
import { createKafkaSerde, kafkaFormatProblem } from './kafka-serde.ts';
import { createNoneSerde, noneFormatProblem } from './none-serde.ts';
import { createPlainKeySerde, createWindowedKeySerde } from './windowed-key.ts';

function hasNonStringMapKey(t: SqlType): boolean {
  switch (t.kind) {
    case 'MAP':
      return t.key.kind !== 'STRING' || hasNonStringMapKey(t.value);
    case 'ARRAY':
      return hasNonStringMapKey(t.element);
    case 'STRUCT':
      return t.fields.some((f) => hasNonStringMapKey(f.type));
    default:
      return false;
  }
}

const DELIMITED_TYPES = new Set(['BOOLEAN', 'INTEGER', 'BIGINT', 'DOUBLE', 'DECIMAL', 'STRING', 'BYTES', 'TIMESTAMP', 'DATE', 'TIME']);

/** Why `format` cannot serialize these columns (ksqlDB's wording), or undefined when it can. */
export function formatSupportProblem(format: FormatName, columns: readonly Column[]): string | undefined {
  switch (format) {
    case 'NONE':
      return noneFormatProblem(columns);
    case 'KAFKA':
      return kafkaFormatProblem(columns);
    case 'DELIMITED': {
      const bad = columns.find((c) => !DELIMITED_TYPES.has(c.type.kind));
      return bad ? `The 'DELIMITED' format does not support type '${bad.type.kind}', column: \`${bad.name}\`` : undefined;
    }
    case 'JSON':
      return columns.some((c) => hasNonStringMapKey(c.type)) ? 'JSON only supports MAP types with STRING keys' : undefined;
    default:
      return `Format ${format} is not supported yet`;
  }
}

/** How a value serde may specialise its reading. */
export interface ValueSerdeOptions {
  /**
   * Columns (by index) that no step reads: a format may skip building their values (they read as
   * null), as long as a record it would reject is still rejected.
   */
  readonly unread?: ReadonlySet<number>;
}

function createRowSerde(
  info: FormatInfo, columns: readonly Column[], target: 'key' | 'value', unwrapped: boolean, options: ValueSerdeOptions = {},
): RowSerde {
  const problem = formatSupportProblem(info.format, columns);
  if (problem) throw new SerdeError(problem);
  switch (info.format) {
    case 'JSON':
      return createJsonSerde(columns, { unwrapped, target, ...options });
    case 'DELIMITED': {
      const raw = info.properties['delimiter'];
      // The analyzer passes the resolved character (a tab for 'TAB'); raw settings are parsed here.
      const delimiter = raw === undefined ? ',' : raw.length === 1 ? raw
        : parseDelimiter(raw, target === 'key' ? 'KEY_DELIMITER' : 'VALUE_DELIMITER');
      return createDelimitedSerde(columns, { delimiter, target });
    }
    case 'KAFKA':
      return createKafkaSerde(columns, target);
    case 'NONE':
      return createNoneSerde(columns);
    default:
      throw new SerdeError(`Format ${info.format} is not supported yet`);
  }
}

/** Single-column keys are unwrapped (bare JSON) unless WRAP_SINGLES is set; windowed formats wrap. */
export function createKeySerde(format: KeyFormat, columns: readonly Column[]): KeySerde {
  const unwrapped = !format.features.includes('WRAP_SINGLES');
  const inner = createRowSerde(format.info, columns, 'key', unwrapped);
  return format.window ? createWindowedKeySerde(inner, format.window) : createPlainKeySerde(inner);
}

/** Single-column values are wrapped in an object unless UNWRAP_SINGLES is set. */
export function createValueSerde(format: ValueFormat, columns: readonly Column[], options: ValueSerdeOptions = {}): RowSerde {
  const unwrapped = format.features.includes('UNWRAP_SINGLES');
  return createRowSerde(format.info, columns, 'value', unwrapped, options);
}
