// Builds Source steps and the Scope of a step's output: which name resolves to which position.

import { BIGINT, INTEGER } from '../common/sql-type.ts';
import type { SourceInfo } from '../engine/engine-api.ts';
import type { LayoutColumn, Step } from '../plan/steps.ts';
import { Scope, type ScopeColumn } from './scope.ts';

export const PSEUDO_COLUMNS = ['ROWTIME', 'ROWPARTITION', 'ROWOFFSET'] as const;
export const WINDOW_BOUNDS = ['WINDOWSTART', 'WINDOWEND'] as const;

export function sourceStep(source: SourceInfo, alias: string): Step & { kind: 'Source' } {
  const layout: LayoutColumn[] = [
    ...source.schema.key.map((c) => ({ name: c.name, type: c.type })),
    ...source.schema.value.map((c) => ({ name: c.name, type: c.type })),
    { name: 'ROWTIME', type: BIGINT },
    { name: 'ROWPARTITION', type: INTEGER },
    { name: 'ROWOFFSET', type: BIGINT },
  ];
  const windowed = source.keyFormat.window !== undefined;
  if (windowed) layout.push({ name: 'WINDOWSTART', type: BIGINT }, { name: 'WINDOWEND', type: BIGINT });
  return {
    kind: 'Source', source, alias, layout, keyCount: source.schema.key.length,
    valueCount: source.schema.value.length, isTable: source.type === 'TABLE', windowed,
  };
}

/** Scope over a layout; every column qualified with `qualifier` (or the per-column one). */
export function layoutScope(layout: readonly LayoutColumn[], qualifier: string | undefined | ((i: number) => string | undefined)): Scope {
  const cols: ScopeColumn[] = layout.map((c, i) => ({
    name: c.name,
    qualifier: typeof qualifier === 'function' ? qualifier(i) : qualifier,
    type: c.type,
    index: i,
  }));
  return new Scope(cols);
}
