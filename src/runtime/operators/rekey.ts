// Re-keys rows (GROUP BY, PARTITION BY, join keys). On tables the old row is removed from its old
// key and the new row added under the new key, as two changes when the key moved.

import type { Step } from '../../plan/steps.ts';
import type { Change, Emit } from '../change.ts';
import { compileExpr, reportCaughtErrors } from '../expression-compiler.ts';
import type { OperatorContext } from '../operator-context.ts';
import { valuesEqual } from '../value-compare.ts';

export function rekeyOperator(step: Step & { kind: 'Rekey' }, ctx: OperatorContext, emit: Emit): Emit {
  const exprs = step.exprs.map(compileExpr);
  const keyCount = step.keyCount;
  const env: unknown[] = [];
  // PARTITION BY keeps the input columns after the new key; GROUP BY re-keys into computed columns.
  const keepsInput = step.layout.length === exprs.length + step.input.layout.length;
  const compute = (row: unknown[], c: Change): unknown[] => {
    const out: unknown[] = new Array(exprs.length);
    for (let i = 0; i < exprs.length; i++) {
      try {
        out[i] = exprs[i]!(row, env);
      } catch (e) {
        ctx.processingError('RECORD_PROCESSING_ERROR', `Error computing key expression: ${(e as Error).message}`, c);
        out[i] = null;
      }
      reportCaughtErrors(ctx, 'Error computing key expression', c);
    }
    return keepsInput ? [...out, ...row] : out;
  };
  const inputWidth = step.input.layout.length;
  const inputKeyCount = step.input.keyCount;
  if (!step.input.isTable) {
    return (c) => {
      if (c.row === null) {
        // A null value still has a key: compute what can be computed from the key alone.
        const stub = new Array<unknown>(inputWidth).fill(null);
        for (let i = 0; i < inputKeyCount; i++) stub[i] = c.key[i];
        const key = compute(stub, c).slice(0, keyCount);
        emit({ ...c, row: null, key, old: undefined });
        return;
      }
      const row = compute(c.row, c);
      // Written out rather than spread: one object shape for every change, built without a copy loop.
      emit({
        row, key: row.slice(0, keyCount), old: undefined,
        timestamp: c.timestamp, window: c.window, headers: c.headers, partition: c.partition, offset: c.offset,
      });
    };
  }
  return (c) => {
    const oldRow = c.old === undefined || c.old === null ? null : compute(c.old, c);
    const newRow = c.row === null ? null : compute(c.row, c);
    const oldKey = oldRow?.slice(0, keyCount);
    const newKey = newRow?.slice(0, keyCount);
    if (oldRow && newRow && oldKey!.every((k, i) => valuesEqual(k, newKey![i]))) {
      emit({ ...c, row: newRow, key: newKey!, old: oldRow });
      return;
    }
    if (oldRow) emit({ ...c, row: null, key: oldKey!, old: oldRow });
    if (newRow) emit({ ...c, row: newRow, key: newKey!, old: null });
  };
}
