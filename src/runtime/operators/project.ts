// SELECT: computes the output row (new key columns first) from each input row. An expression that
// fails gives null for that column and a processing-log entry, never a lost record.

import type { Step } from '../../plan/steps.ts';
import type { Change, Emit } from '../change.ts';
import { compileExpr, drainCaughtErrors } from '../expression-compiler.ts';
import type { OperatorContext } from '../operator-context.ts';

/** The key of every row of a keyless result: shared, frozen so that nobody changes it. */
const NO_KEY: readonly unknown[] = Object.freeze([]);

export function projectOperator(step: Step & { kind: 'Project' }, ctx: OperatorContext, emit: Emit): Emit {
  const exprs = step.exprs.map(compileExpr);
  const names = step.layout.map((c) => c.name);
  const keyCount = step.keyCount;
  const inputKeyCount = step.input.keyCount;
  const inputWidth = step.input.layout.length;
  const wsIdx = step.input.layout.findIndex((c) => c.name === 'WINDOWSTART');
  const weIdx = step.input.layout.findIndex((c) => c.name === 'WINDOWEND');
  const env: unknown[] = [];
  const compute = (row: unknown[], c: Change): unknown[] => {
    const out = new Array<unknown>(exprs.length);
    for (let i = 0; i < exprs.length; i++) {
      try {
        out[i] = exprs[i]!(row, env);
      } catch (e) {
        ctx.processingError('RECORD_PROCESSING_ERROR', `Error computing expression ${names[i]}: ${(e as Error).message}`, c);
        out[i] = null;
      }
      const caught = drainCaughtErrors();
      for (let j = 0; j < caught.length; j++) {
        ctx.processingError('RECORD_PROCESSING_ERROR', `Error computing expression ${names[i]}: ${caught[j]!.message}`, c);
      }
    }
    return out;
  };
  return (c) => {
    if (c.row === null) {
      // A delete: only the key can be computed, from a row that holds nothing but the key.
      const stub = new Array<unknown>(inputWidth).fill(null);
      for (let i = 0; i < inputKeyCount; i++) stub[i] = c.key[i];
      if (c.window && wsIdx >= 0) stub[wsIdx] = BigInt(c.window.start);
      if (c.window && weIdx >= 0) stub[weIdx] = BigInt(c.window.end);
      const full = compute(stub, c);
      // Transient queries (no key columns) keep the whole key-only row: tombstones show the key.
      const key = keyCount === 0 ? full : full.slice(0, keyCount);
      emit({ ...c, row: null, key, old: c.old === undefined || c.old === null ? c.old : compute(c.old, c) });
      return;
    }
    const row = compute(c.row, c);
    // Written out rather than spread: one object shape for every change, built without a copy loop.
    emit({
      row, key: keyCount === 0 ? NO_KEY : row.slice(0, keyCount),
      old: c.old === undefined || c.old === null ? c.old : compute(c.old, c),
      timestamp: c.timestamp, window: c.window, headers: c.headers, partition: c.partition, offset: c.offset,
    });
  };
}
