// Joins: stream-stream (windowed), stream-table, table-table and foreign-key.

import type { Step } from '../../plan/steps.ts';
import type { Emit } from '../change.ts';
import type { OperatorContext } from '../operator-context.ts';

export function joinOperator(_step: Step & { kind: 'Join' }, _ctx: OperatorContext, _emit: Emit): { left: Emit; right: Emit } {
  throw new Error('Joins are not supported yet.');
}
