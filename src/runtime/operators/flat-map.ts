// Table functions (EXPLODE, ...): each input row becomes as many rows as the longest function
// result; shorter results are padded with nulls, as ksqlDB does.

import type { Step } from '../../plan/steps.ts';
import type { Emit } from '../change.ts';
import { compileExpr, reportCaughtErrors } from '../expression-compiler.ts';
import type { OperatorContext } from '../operator-context.ts';

export function flatMapOperator(step: Step & { kind: 'FlatMap' }, ctx: OperatorContext, emit: Emit): Emit {
  const calls = step.calls.map((c) => ({ invoke: c.fn.invoke, args: c.args.map(compileExpr) }));
  const env: unknown[] = [];
  return (c) => {
    if (c.row === null) return;
    const results: unknown[][] = [];
    for (const call of calls) {
      try {
        results.push(call.invoke(call.args.map((a) => a(c.row!, env))) ?? []);
      } catch (e) {
        ctx.processingError('RECORD_PROCESSING_ERROR', `Error in table function: ${(e as Error).message}`, c);
        results.push([]);
      }
      reportCaughtErrors(ctx, 'Error in table function', c);
    }
    const n = Math.max(0, ...results.map((r) => r.length));
    for (let i = 0; i < n; i++) {
      emit({ ...c, row: [...c.row, ...results.map((r) => (i < r.length ? r[i] ?? null : null))] });
    }
  };
}
