// SQL types as frozen, kind-tagged values, and their ksqlDB spellings.
// Knows nothing about parsing, serialization or evaluation.

export type SqlType =
  | { readonly kind: 'BOOLEAN' }
  | { readonly kind: 'INTEGER' }
  | { readonly kind: 'BIGINT' }
  | { readonly kind: 'DOUBLE' }
  | { readonly kind: 'DECIMAL'; readonly precision: number; readonly scale: number }
  | { readonly kind: 'STRING' }
  | { readonly kind: 'BYTES' }
  | { readonly kind: 'TIMESTAMP' }
  | { readonly kind: 'DATE' }
  | { readonly kind: 'TIME' }
  | { readonly kind: 'ARRAY'; readonly element: SqlType }
  | { readonly kind: 'MAP'; readonly key: SqlType; readonly value: SqlType }
  | { readonly kind: 'STRUCT'; readonly fields: readonly StructField[] };

export interface StructField {
  readonly name: string;
  readonly type: SqlType;
}

export type SqlTypeKind = SqlType['kind'];

export const BOOLEAN: SqlType = Object.freeze({ kind: 'BOOLEAN' });
export const INTEGER: SqlType = Object.freeze({ kind: 'INTEGER' });
export const BIGINT: SqlType = Object.freeze({ kind: 'BIGINT' });
export const DOUBLE: SqlType = Object.freeze({ kind: 'DOUBLE' });
export const STRING: SqlType = Object.freeze({ kind: 'STRING' });
export const BYTES: SqlType = Object.freeze({ kind: 'BYTES' });
export const TIMESTAMP: SqlType = Object.freeze({ kind: 'TIMESTAMP' });
export const DATE: SqlType = Object.freeze({ kind: 'DATE' });
export const TIME: SqlType = Object.freeze({ kind: 'TIME' });

export function decimalType(precision: number, scale: number): SqlType {
  return Object.freeze({ kind: 'DECIMAL', precision, scale });
}
export function arrayType(element: SqlType): SqlType {
  return Object.freeze({ kind: 'ARRAY', element });
}
export function mapType(key: SqlType, value: SqlType): SqlType {
  return Object.freeze({ kind: 'MAP', key, value });
}
export function structType(fields: readonly StructField[]): SqlType {
  return Object.freeze({ kind: 'STRUCT', fields: Object.freeze(fields.map((f) => Object.freeze({ ...f }))) });
}

export function typesEqual(a: SqlType, b: SqlType): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'DECIMAL': {
      const d = b as typeof a;
      return a.precision === d.precision && a.scale === d.scale;
    }
    case 'ARRAY':
      return typesEqual(a.element, (b as typeof a).element);
    case 'MAP': {
      const m = b as typeof a;
      return typesEqual(a.key, m.key) && typesEqual(a.value, m.value);
    }
    case 'STRUCT': {
      const s = b as typeof a;
      return (
        a.fields.length === s.fields.length &&
        a.fields.every((f, i) => f.name === s.fields[i]!.name && typesEqual(f.type, s.fields[i]!.type))
      );
    }
    default:
      return true;
  }
}

export function isNumeric(t: SqlType): boolean {
  return t.kind === 'INTEGER' || t.kind === 'BIGINT' || t.kind === 'DOUBLE' || t.kind === 'DECIMAL';
}

/** Backquotes a name the way ksqlDB's FormatOptions do in schema strings. */
export function quoteName(name: string): string {
  return '`' + name.replace(/`/g, '``') + '`';
}

/**
 * ksqlDB's `SqlType.toString()`: `INTEGER`, `DECIMAL(4, 2)`, `ARRAY<STRING>`, `MAP<STRING, INTEGER>`,
 * ``STRUCT<`F1` STRING>``. Used in schema strings, DESCRIBE and /query-stream columnTypes.
 */
export function formatType(t: SqlType): string {
  switch (t.kind) {
    case 'DECIMAL':
      return `DECIMAL(${t.precision}, ${t.scale})`;
    case 'ARRAY':
      return `ARRAY<${formatType(t.element)}>`;
    case 'MAP':
      return `MAP<${formatType(t.key)}, ${formatType(t.value)}>`;
    case 'STRUCT':
      return `STRUCT<${t.fields.map((f) => `${quoteName(f.name)} ${formatType(f.type)}`).join(', ')}>`;
    default:
      return t.kind;
  }
}
