// Plans the FROM clause of joins (stream-stream, stream-table, table-table, foreign-key).

import { statementError } from '../common/errors.ts';
import type { Expr, Query } from '../sql/ast.ts';
import type { FromPlan, PlanContext } from './query-planner.ts';

export interface JoinPlan {
  /** The expressions the output key equals (for the key-in-projection rule). */
  readonly keyExprs: Expr[];
  /** Canonical forms of equivalent key expressions (either side of the join condition). */
  readonly keyAlternatives: string[][];
  /** How the key expressions are shown in messages (`L.A`, `R.A`). */
  readonly keyDisplay: string[];
  /** True when the join key matches no source column and ROWKEY was synthesized. */
  readonly syntheticKey: boolean;
}

export function planJoin(_query: Query, _ctx: PlanContext, _internalTopics: string[], _stores: string[]): FromPlan {
  throw statementError('Joins are not supported yet.');
}
