// The physical plan: the steps a persistent or transient query runs, as plain data. Built by the
// analyzer (src/analyzer/query-planner.ts), turned into operators by src/runtime/pipeline-builder.ts.
// Each step states its output `layout`: the columns of the rows it emits, keys first.

import type { BoundExpr } from '../analyzer/bound-expr.ts';
import type { SqlType } from '../common/sql-type.ts';
import type { SourceInfo } from '../engine/engine-api.ts';
import type { ResolvedAggregate, ResolvedTableFunction } from '../functions/function-types.ts';
import type { KeyFormat, ValueFormat } from '../serde/format.ts';
import type { JoinType } from '../sql/ast.ts';

export interface LayoutColumn {
  readonly name: string;
  readonly type: SqlType;
}

/**
 * Output rows of every step are arrays: the first `keyCount` entries are the key columns, then
 * the value columns. Sources add ROWTIME, ROWPARTITION, ROWOFFSET (and WINDOWSTART/WINDOWEND for
 * windowed sources) after the value columns.
 */
export interface StepBase {
  readonly layout: readonly LayoutColumn[];
  readonly keyCount: number;
  /** True when the step's output is a changelog (table semantics: upserts and tombstones). */
  readonly isTable: boolean;
  /** Window of the key, when the rows are windowed. */
  readonly windowed: boolean;
}

export interface WindowSpec {
  readonly type: 'TUMBLING' | 'HOPPING' | 'SESSION';
  readonly sizeMs: number;
  /** HOPPING advance; equals size for TUMBLING; the inactivity gap for SESSION (in sizeMs). */
  readonly advanceMs: number;
  readonly graceMs: number;
  readonly retentionMs: number | undefined;
}

export type Step =
  | (StepBase & { readonly kind: 'Source'; readonly source: SourceInfo; readonly alias: string; readonly valueCount: number })
  | (StepBase & { readonly kind: 'Filter'; readonly input: Step; readonly predicate: BoundExpr })
  /** Computes new rows: `exprs[0..keyCount)` are the new key, the rest the value. */
  | (StepBase & { readonly kind: 'Project'; readonly input: Step; readonly exprs: readonly BoundExpr[]; readonly rowtime: BoundExpr | undefined })
  /** Table functions: one output row per element; appends one column per call to the input layout. */
  | (StepBase & { readonly kind: 'FlatMap'; readonly input: Step; readonly calls: readonly { readonly fn: ResolvedTableFunction; readonly args: readonly BoundExpr[] }[] })
  /**
   * Re-keys rows (PARTITION BY, GROUP BY, join keys). With `viaTopic` the rows go through the
   * named repartition topic so each new key lands on the partition that owns it.
   */
  | (StepBase & { readonly kind: 'Rekey'; readonly input: Step; readonly exprs: readonly BoundExpr[]; readonly viaTopic: string | undefined })
  | (StepBase & {
      readonly kind: 'Aggregate';
      readonly input: Step;
      /** Per aggregate: the resolved function and the input columns of its per-row arguments. */
      readonly aggregates: readonly { readonly fn: ResolvedAggregate; readonly argIndexes: readonly number[]; readonly name: string }[];
      readonly window: WindowSpec | undefined;
      readonly store: string;
    })
  /** EMIT FINAL: holds windowed results until their window closes. */
  | (StepBase & { readonly kind: 'Suppress'; readonly input: Step; readonly window: WindowSpec; readonly store: string })
  | (StepBase & {
      readonly kind: 'Join';
      readonly left: Step;
      readonly right: Step;
      readonly joinType: JoinType;
      /** 'SS' stream-stream, 'ST' stream-table, 'TT' table-table, 'FK' table-table on a foreign key. */
      readonly variant: 'SS' | 'ST' | 'TT' | 'FK';
      /** For FK joins: evaluates the foreign key from a left row. */
      readonly foreignKey: BoundExpr | undefined;
      readonly within: { readonly beforeMs: number; readonly afterMs: number; readonly graceMs: number | undefined } | undefined;
      readonly leftStore: string;
      readonly rightStore: string;
      /** Output key: take it from the left or the right row (for RIGHT/FULL joins with a null side, the other). */
      readonly keyFrom: 'LEFT' | 'RIGHT' | 'ANY';
      /** A third store: the outer-join buffer (SS with GRACE) or the FK subscriptions (FK). */
      readonly auxStore?: string;
    })
  | (StepBase & {
      readonly kind: 'Sink';
      readonly input: Step;
      readonly topic: string;
      readonly keyFormat: KeyFormat;
      readonly valueFormat: ValueFormat;
      /** Columns serialized into the value, by input position. */
      readonly valueIndexes: readonly number[];
      /** Input position of the column that sets the record timestamp (WITH TIMESTAMP=...). */
      readonly timestampIndex: number | undefined;
      readonly timestampFormat: string | undefined;
      /** False when the sink only materializes (CREATE SOURCE TABLE): nothing is written to the topic. */
      readonly writes?: boolean;
    });

export type StepKind = Step['kind'];

export function layoutIndex(layout: readonly LayoutColumn[], name: string): number {
  return layout.findIndex((c) => c.name === name);
}
