// WHERE / HAVING: passes rows whose predicate is true. On tables a row that stops matching
// becomes a delete of its key, as in ksqlDB; a failing predicate counts as false.

import type { Step } from '../../plan/steps.ts';
import type { Change, Emit } from '../change.ts';
import { compileExpr, reportCaughtErrors } from '../expression-compiler.ts';
import type { OperatorContext } from '../operator-context.ts';

export function filterOperator(step: Step & { kind: 'Filter' }, ctx: OperatorContext, emit: Emit): Emit {
  const pred = compileExpr(step.predicate);
  const env: unknown[] = [];
  const test = (row: unknown[], c: Change): boolean => {
    try {
      return pred(row, env) === true;
    } catch (e) {
      ctx.processingError('RECORD_PROCESSING_ERROR', `Error in WHERE expression: ${(e as Error).message}`, c);
      return false;
    } finally {
      reportCaughtErrors(ctx, 'Error in WHERE expression', c);
    }
  };
  if (!step.isTable) {
    return (c) => {
      if (c.row !== null && test(c.row, c)) emit(c);
    };
  }
  return (c) => {
    const oldPassed = c.old === undefined ? undefined : c.old !== null && test(c.old, c);
    if (c.row !== null && test(c.row, c)) {
      emit({ ...c, old: oldPassed === undefined ? undefined : oldPassed ? c.old : null });
      return;
    }
    if (oldPassed === false) return;
    emit({ ...c, row: null, old: oldPassed === undefined ? undefined : c.old });
  };
}
