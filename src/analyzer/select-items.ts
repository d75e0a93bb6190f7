// Expands SELECT items (`*`, `src.*`, `struct->*`, expressions) into named output expressions,
// generating ksqlDB's implicit names (KSQL_COL_n) and checking reserved aliases.

import { statementError } from '../common/errors.ts';
import type { Expr, SelectItem } from '../sql/ast.ts';
import { RESERVED_COLUMN_NAMES } from './create-source.ts';

export interface NamedExpr {
  readonly name: string;
  readonly expr: Expr;
  /** True when the name was written with AS. */
  readonly aliased: boolean;
}

export interface StarColumn {
  readonly name: string;
  readonly qualifier: string | undefined;
  /** Name the column gets in the output (joins prefix with the alias: L_ID). */
  readonly outputName: string;
}

export function expandSelectItems(
  items: readonly SelectItem[],
  starColumns: (qualifier: string | undefined) => readonly StarColumn[],
  structFields: (base: Expr) => readonly string[],
  refName: (ref: Expr & { kind: 'ColumnRef' }) => string = (ref) => ref.name,
): NamedExpr[] {
  const out: NamedExpr[] = [];
  let generated = 0;
  const used = new Set<string>();
  // Names given explicitly are reserved before generating KSQL_COL_n.
  for (const item of items) {
    if (item.kind === 'SingleColumn' && item.alias) used.add(item.alias);
    if (item.kind === 'SingleColumn' && !item.alias && item.expr.kind === 'ColumnRef') used.add(refName(item.expr));
    if (item.kind === 'AllColumns') for (const c of starColumns(item.source)) used.add(c.outputName);
  }
  const nextGenerated = (): string => {
    let name: string;
    do {
      name = `KSQL_COL_${generated++}`;
    } while (used.has(name));
    used.add(name);
    return name;
  };
  for (const item of items) {
    switch (item.kind) {
      case 'AllColumns':
        for (const c of starColumns(item.source)) {
          out.push({ name: c.outputName, expr: { kind: 'ColumnRef', source: c.qualifier, name: c.name, pos: item.pos }, aliased: false });
        }
        break;
      case 'StructAll':
        for (const f of structFields(item.base)) {
          out.push({ name: f, expr: { kind: 'Dereference', base: item.base, field: f, pos: item.pos }, aliased: false });
        }
        break;
      case 'SingleColumn': {
        if (item.alias !== undefined) {
          if (RESERVED_COLUMN_NAMES.has(item.alias)) {
            throw statementError(`\`${item.alias}\` is a reserved column name. You cannot use it as an alias for a column.`);
          }
          out.push({ name: item.alias, expr: item.expr, aliased: true });
        } else if (item.expr.kind === 'ColumnRef') {
          out.push({ name: refName(item.expr), expr: item.expr, aliased: false });
        } else if (item.expr.kind === 'Dereference') {
          out.push({ name: uniqueFieldName(item.expr.field, used), expr: item.expr, aliased: false });
        } else {
          out.push({ name: nextGenerated(), expr: item.expr, aliased: false });
        }
        break;
      }
    }
  }
  return out;
}

/** A struct field selected without alias is named after the field; a clash gets `_1`, `_2`... as in ksqlDB. */
function uniqueFieldName(field: string, used: Set<string>): string {
  let name = field;
  for (let i = 1; used.has(name); i++) name = `${field}_${i}`;
  used.add(name);
  return name;
}
