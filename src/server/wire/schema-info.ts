// ksqlDB's FieldInfo / SchemaInfo JSON (DESCRIBE fields, SHOW TYPES, the /ws/query schema message)
// and the schema strings of StreamedRow headers, built from our SqlType and Column values.

import type { Column } from '../../catalog/schema.ts';
import { formatType, quoteName, type SqlType } from '../../common/sql-type.ts';
import type { QueryColumn } from '../../engine/engine-api.ts';

export interface SchemaInfoJson {
  readonly type: string;
  readonly fields: readonly FieldInfoJson[] | null;
  readonly memberSchema: SchemaInfoJson | null;
  readonly parameters?: Readonly<Record<string, number>>;
}

export interface FieldInfoJson {
  readonly name: string;
  readonly schema: SchemaInfoJson;
  /** Absent for value columns (Jackson NON_ABSENT). */
  readonly type?: 'KEY' | 'HEADER';
  readonly headerKey?: string;
}

/** SchemaInfo: `fields` and `memberSchema` are written as null when absent; `parameters` only for DECIMAL. */
export function schemaInfo(t: SqlType): SchemaInfoJson {
  switch (t.kind) {
    case 'ARRAY':
      return { type: 'ARRAY', fields: null, memberSchema: schemaInfo(t.element) };
    case 'MAP':
      return { type: 'MAP', fields: null, memberSchema: schemaInfo(t.value) };
    case 'STRUCT':
      return { type: 'STRUCT', fields: t.fields.map((f) => ({ name: f.name, schema: schemaInfo(f.type) })), memberSchema: null };
    case 'DECIMAL':
      return { type: 'DECIMAL', fields: null, memberSchema: null, parameters: { precision: t.precision, scale: t.scale } };
    default:
      return { type: t.kind, fields: null, memberSchema: null };
  }
}

/** One FieldInfo per column of a source: key columns first, `type` set for KEY and HEADER(S) columns. */
export function fieldInfos(columns: readonly Column[]): FieldInfoJson[] {
  return columns.map((c) => {
    const schema = schemaInfo(c.type);
    if (c.namespace === 'KEY') return { name: c.name, schema, type: 'KEY' };
    if (c.namespace === 'HEADERS') return { name: c.name, schema, type: 'HEADER' };
    if (c.namespace === 'HEADER') return { name: c.name, schema, type: 'HEADER', headerKey: c.headerKey ?? '' };
    return { name: c.name, schema };
  });
}

export function queryFieldInfos(columns: readonly QueryColumn[]): FieldInfoJson[] {
  return columns.map((c) => (c.isKey ? { name: c.name, schema: schemaInfo(c.type), type: 'KEY' } : { name: c.name, schema: schemaInfo(c.type) }));
}

/** The StreamedRow header schema: `` `ID` STRING KEY, `COUNT` BIGINT `` (KEY only where the engine marks it). */
export function headerSchema(columns: readonly QueryColumn[]): string {
  return columns.map((c) => `${quoteName(c.name)} ${formatType(c.type)}${c.isKey ? ' KEY' : ''}`).join(', ');
}
