// Which columns of a stream source's rows the steps above it can read. Rows that only go through
// filters into a projection, or into a GROUP BY re-key, are read by those expressions alone, so the
// source can leave out pseudo columns nobody reads (ROWTIME and ROWOFFSET cost a BigInt each per
// record).

import type { Step } from '../../plan/steps.ts';

/**
 * Columns read above a source, given the steps above it (nearest first); undefined = any column
 * may be read (a step other than Filter/Project/a computing Rekey consumes the row whole).
 */
export function columnsReadAbove(above: readonly Step[]): ReadonlySet<number> | undefined {
  const read = new Set<number>();
  for (const step of above) {
    if (step.kind === 'Filter') {
      collectColumns(step.predicate, read);
      continue;
    }
    if (step.kind === 'Project') {
      for (const e of step.exprs) collectColumns(e, read);
      if (step.rowtime) collectColumns(step.rowtime, read);
      return read;
    }
    // A re-key that keeps the input columns after the new key (PARTITION BY) passes the row on.
    if (step.kind === 'Rekey' && step.layout.length === step.exprs.length) {
      for (const e of step.exprs) collectColumns(e, read);
      return read;
    }
    return undefined;
  }
  return undefined;
}

/**
 * Every `Column` node anywhere inside a bound expression (lambda bodies, struct dereferences,
 * casts...). A generic walk, so a new expression kind can never hide a column reference.
 */
function collectColumns(node: unknown, out: Set<number>, seen = new Set<object>()): void {
  if (node === null || typeof node !== 'object' || seen.has(node)) return;
  seen.add(node);
  if (Array.isArray(node)) {
    for (const x of node) collectColumns(x, out, seen);
    return;
  }
  const o = node as Record<string, unknown>;
  if (o['kind'] === 'Column' && typeof o['index'] === 'number') out.add(o['index']);
  for (const k of Object.keys(o)) collectColumns(o[k], out, seen);
}
