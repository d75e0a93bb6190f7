// Name resolution over a join's output row: every source's columns qualified by its alias, plus
// the join's own unqualified columns (the synthetic ROWKEY, ROWTIME of the joined record).

import { statementError } from '../common/errors.ts';
import type { LayoutColumn } from '../plan/steps.ts';
import { Scope, type ScopeColumn } from './scope.ts';
import { PSEUDO_COLUMNS, WINDOW_BOUNDS } from './source-scope.ts';

/** Where one source's columns sit in a row. */
export interface SourceSlot {
  readonly alias: string;
  readonly offset: number;
  readonly layout: readonly LayoutColumn[];
  readonly keyCount: number;
  readonly windowed: boolean;
}

const PSEUDO = new Set<string>([...PSEUDO_COLUMNS, ...WINDOW_BOUNDS]);

export class JoinScope extends Scope {
  override lookup(qualifier: string | undefined, name: string): ScopeColumn | undefined {
    if (qualifier !== undefined) return this.columns.find((c) => c.qualifier === qualifier && c.name === name);
    // Unqualified pseudo columns mean the joined record's own (ROWTIME), never a side's.
    const own = this.columns.find((c) => c.qualifier === undefined && c.name === name);
    if (own && (PSEUDO.has(name) || name.startsWith('ROWKEY'))) {
      const sourced = this.columns.filter((c) => c.qualifier !== undefined && c.name === name);
      if (PSEUDO.has(name) || sourced.length === 0) return own;
    }
    const matches = this.columns.filter((c) => c.qualifier !== undefined && c.name === name);
    if (matches.length > 1) {
      const q = matches.map((m) => `${m.qualifier}.${m.name}`);
      throw statementError(`Column '${name}' is ambiguous. Could be ${q.slice(0, -1).join(', ')} or ${q[q.length - 1]}.`);
    }
    return matches[0] ?? own;
  }

  override withOffset(by: number): Scope {
    return new JoinScope(this.columns.map((c) => ({ ...c, index: c.index + by })));
  }
}

/** The scope of a row holding `slots`, plus unqualified extra columns at the given positions. */
export function joinScope(slots: readonly SourceSlot[], extra: readonly { name: string; index: number; type: LayoutColumn['type'] }[]): JoinScope {
  const cols: ScopeColumn[] = [];
  for (const s of slots) {
    s.layout.forEach((c, i) => cols.push({ name: c.name, qualifier: s.alias, type: c.type, index: s.offset + i }));
  }
  for (const e of extra) cols.push({ name: e.name, qualifier: undefined, type: e.type, index: e.index });
  return new JoinScope(cols);
}
