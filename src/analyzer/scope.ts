// Name resolution: the columns an expression may reference at one point of a query, with the
// source alias that qualifies them. Knows nothing about types beyond carrying them.

import type { SqlType } from '../common/sql-type.ts';
import { statementError } from '../common/errors.ts';

export interface ScopeColumn {
  readonly name: string;
  /** The source alias (`L` in `L.ID`), if the column belongs to one. */
  readonly qualifier: string | undefined;
  readonly type: SqlType;
  /** Position of the column in the row the expression is evaluated against. */
  readonly index: number;
  /** Resolved by an unqualified name only when no other column has that name. */
  readonly fallback?: boolean;
}

export class Scope {
  readonly columns: readonly ScopeColumn[];
  /** Aliases of the sources in scope; a qualifier not in this set is an unknown source. */
  readonly qualifiers: ReadonlySet<string>;

  constructor(columns: readonly ScopeColumn[]) {
    this.columns = columns;
    this.qualifiers = new Set(columns.map((c) => c.qualifier).filter((q): q is string => q !== undefined));
  }

  /** The same names, pointing `by` positions further (the layout gained `by` leading columns). */
  withOffset(by: number): Scope {
    return new Scope(this.columns.map((c) => ({ ...c, index: c.index + by })));
  }

  /** Resolves `qualifier.name` or `name`; undefined when nothing matches; throws when ambiguous. */
  lookup(qualifier: string | undefined, name: string): ScopeColumn | undefined {
    if (qualifier !== undefined) {
      return this.columns.find((c) => c.qualifier === qualifier && c.name === name);
    }
    let matches = this.columns.filter((c) => c.name === name && !c.fallback);
    if (matches.length === 0) matches = this.columns.filter((c) => c.name === name);
    if (matches.length > 1) {
      const q = matches.map((m) => (m.qualifier ? `${m.qualifier}.${m.name}` : m.name));
      throw statementError(`Column '${name}' is ambiguous. Could be any of: ${q.join(', ')}`);
    }
    return matches[0];
  }
}
