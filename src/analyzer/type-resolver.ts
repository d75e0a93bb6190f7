// Resolves TypeNodes written in SQL to SqlTypes (custom types from CREATE TYPE included), and the
// implicit widening rules shared by arithmetic, comparisons and CASE/IN/constructors.

import { statementError } from '../common/errors.ts';
import {
  arrayType, BIGINT, BOOLEAN, BYTES, DATE, decimalType, DOUBLE, formatType, INTEGER, mapType, STRING,
  structType, TIME, TIMESTAMP, typesEqual, type SqlType,
} from '../common/sql-type.ts';
import type { TypeNode } from '../sql/ast.ts';

export type TypeLookup = (name: string) => SqlType | undefined;

export function resolveType(node: TypeNode, customTypes: TypeLookup): SqlType {
  switch (node.kind) {
    case 'PrimitiveType':
      switch (node.name) {
        case 'BOOLEAN': return BOOLEAN;
        case 'INTEGER': return INTEGER;
        case 'BIGINT': return BIGINT;
        case 'DOUBLE': return DOUBLE;
        case 'STRING': return STRING;
        case 'BYTES': return BYTES;
        case 'TIMESTAMP': return TIMESTAMP;
        case 'DATE': return DATE;
        case 'TIME': return TIME;
      }
      break;
    case 'DecimalType':
      if (node.precision < 1) throw statementError(`DECIMAL precision must be >= 1: DECIMAL(${node.precision}, ${node.scale})`);
      if (node.scale < 0 || node.scale > node.precision) {
        throw statementError(`DECIMAL scale must be between 0 and precision ${node.precision}: DECIMAL(${node.precision}, ${node.scale})`);
      }
      return decimalType(node.precision, node.scale);
    case 'ArrayType':
      return arrayType(resolveType(node.element, customTypes));
    case 'MapType':
      return mapType(resolveType(node.key, customTypes), resolveType(node.value, customTypes));
    case 'StructType':
      return structType(node.fields.map((f) => ({ name: f.name, type: resolveType(f.type, customTypes) })));
    case 'CustomType': {
      const t = customTypes(node.name);
      if (!t) throw statementError(`Unknown type: ${node.name}`);
      return t;
    }
  }
  throw statementError('Unknown type');
}

/** The DECIMAL that an integral type widens to (INT -> DECIMAL(10,0), BIGINT -> DECIMAL(19,0)). */
export function asDecimalType(t: SqlType): SqlType & { kind: 'DECIMAL' } {
  if (t.kind === 'DECIMAL') return t;
  if (t.kind === 'INTEGER') return decimalType(10, 0) as SqlType & { kind: 'DECIMAL' };
  if (t.kind === 'BIGINT') return decimalType(19, 0) as SqlType & { kind: 'DECIMAL' };
  throw statementError(`Cannot convert ${formatType(t)} to DECIMAL`);
}

const NUMERIC_RANK: Record<string, number> = { INTEGER: 1, BIGINT: 2, DECIMAL: 3, DOUBLE: 4 };

/**
 * The common type two values widen to for comparison, CASE branches, IN lists and collection
 * constructors; undefined when they are not compatible.
 */
export function commonType(a: SqlType | null, b: SqlType | null): SqlType | null | undefined {
  if (a === null) return b;
  if (b === null) return a;
  if (typesEqual(a, b)) return a;
  const ra = NUMERIC_RANK[a.kind];
  const rb = NUMERIC_RANK[b.kind];
  if (ra !== undefined && rb !== undefined) {
    if (a.kind === 'DOUBLE' || b.kind === 'DOUBLE') return DOUBLE;
    if (a.kind === 'DECIMAL' || b.kind === 'DECIMAL') {
      const da = asDecimalType(a);
      const db = asDecimalType(b);
      const scale = Math.max(da.scale, db.scale);
      const intDigits = Math.max(da.precision - da.scale, db.precision - db.scale);
      return decimalType(Math.min(38, intDigits + scale), scale);
    }
    return ra > rb ? a : b;
  }
  if (a.kind === 'ARRAY' && b.kind === 'ARRAY') {
    const e = commonType(a.element, b.element);
    return e ? arrayType(e) : undefined;
  }
  if (a.kind === 'MAP' && b.kind === 'MAP') {
    const k = commonType(a.key, b.key);
    const v = commonType(a.value, b.value);
    return k && v ? mapType(k, v) : undefined;
  }
  if (a.kind === 'STRUCT' && b.kind === 'STRUCT' && a.fields.length === b.fields.length &&
    a.fields.every((f, i) => f.name === b.fields[i]!.name)) {
    const fields = a.fields.map((f, i) => ({ name: f.name, type: commonType(f.type, b.fields[i]!.type) }));
    if (fields.some((f) => !f.type)) return undefined;
    return structType(fields.map((f) => ({ name: f.name, type: f.type! })));
  }
  return undefined;
}
