// Joins: stream-stream (windowed), stream-table, table-table and foreign-key. Returns one input
// per side; each variant lives in its own join-*.ts file.

import type { Step } from '../../plan/steps.ts';
import type { Emit } from '../change.ts';
import type { OperatorContext } from '../operator-context.ts';
import { foreignKeyJoin } from './join-foreign-key.ts';
import { streamStreamJoin } from './join-stream-stream.ts';
import { streamTableJoin } from './join-stream-table.ts';
import { tableTableJoin } from './join-table-table.ts';

export function joinOperator(step: Step & { kind: 'Join' }, ctx: OperatorContext, emit: Emit): { left: Emit; right: Emit } {
  switch (step.variant) {
    case 'SS': return streamStreamJoin(step, ctx, emit);
    case 'ST': return streamTableJoin(step, ctx, emit);
    case 'TT': return tableTableJoin(step, ctx, emit);
    case 'FK': return foreignKeyJoin(step, ctx, emit);
  }
}
