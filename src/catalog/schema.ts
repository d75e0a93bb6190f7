// Logical schemas of streams and tables: ordered key, value and header columns, as ksqlDB's
// LogicalSchema. Pure data; no knowledge of formats or storage.

import { formatType, quoteName, type SqlType } from '../common/sql-type.ts';

export type ColumnNamespace = 'KEY' | 'VALUE' | 'HEADERS' | 'HEADER';

export interface Column {
  readonly name: string;
  readonly type: SqlType;
  readonly namespace: ColumnNamespace;
  /** For namespace HEADER: the header key the column reads (`HEADER('k')`). */
  readonly headerKey?: string;
}

export interface LogicalSchema {
  /** Key columns in key order. */
  readonly key: readonly Column[];
  /** Value columns in value order; HEADERS/HEADER columns are among them in declaration order. */
  readonly value: readonly Column[];
}

/** ksqlDB's schema string: `` `ID` BIGINT KEY, `NAME` STRING `` (used by DESCRIBE, post conditions, headers). */
export function formatSchema(schema: LogicalSchema): string {
  return [...schema.key, ...schema.value].map(formatColumn).join(', ');
}

export function formatColumn(c: Column): string {
  const base = `${quoteName(c.name)} ${formatType(c.type)}`;
  switch (c.namespace) {
    case 'KEY':
      return `${base} KEY`;
    case 'HEADERS':
      return `${base} HEADERS`;
    case 'HEADER':
      return `${base} HEADER('${c.headerKey ?? ''}')`;
    default:
      return base;
  }
}
