// Plans GROUP BY queries: the pre-aggregation re-key (through a repartition topic when the group
// key is not the source key), the Aggregate step (optionally windowed), HAVING, EMIT FINAL and
// the projection over the aggregate's output, with ksqlDB's checks and messages.

import { statementError } from '../common/errors.ts';
import { formatType } from '../common/sql-type.ts';
import { BIGINT, type SqlType } from '../common/sql-type.ts';
import type { Column } from '../catalog/schema.ts';
import type { SourceInfo } from '../engine/engine-api.ts';
import type { ResolvedAggregate } from '../functions/function-types.ts';
import type { LayoutColumn, Step, WindowSpec } from '../plan/steps.ts';
import type { WindowInfo } from '../serde/format.ts';
import type { Duration, Expr, Query, WindowExpr } from '../sql/ast.ts';
import type { BoundExpr } from './bound-expr.ts';
import { argInfo, bindExpr } from './expression-binder.ts';
import { formatExpr } from './expr-format.ts';
import { walkExpr } from './expr-walk.ts';
import { base, canonicalExpr, joinWords, type PlanContext } from './query-planner.ts';
import type { Scope } from './scope.ts';
import type { NamedExpr } from './select-items.ts';
import { layoutScope } from './source-scope.ts';
import { unitMs } from './with-properties.ts';

export interface AggregationResult {
  readonly root: Step;
  readonly key: readonly Column[];
  readonly value: readonly Column[];
  readonly window: WindowInfo | undefined;
}

const DEFAULT_GRACE_MS = 24 * 3_600_000;

export function durationMs(d: Duration): number {
  return d.value * (unitMs(d.unit) ?? 1);
}

export function windowSpec(w: WindowExpr, defaultGraceMs = DEFAULT_GRACE_MS): WindowSpec {
  const graceMs = w.grace ? durationMs(w.grace) : undefined;
  const retentionMs = w.retention ? durationMs(w.retention) : undefined;
  switch (w.kind) {
    case 'Tumbling': {
      const size = durationMs(w.size);
      return { type: 'TUMBLING', sizeMs: size, advanceMs: size, graceMs: graceMs ?? defaultGraceMs, retentionMs };
    }
    case 'Hopping': {
      const size = durationMs(w.size);
      const advance = durationMs(w.advance);
      if (advance > size) throw statementError(`Window advance must be less than or equal to window size. Got advance ${advance}ms and size ${size}ms`);
      if (advance <= 0) throw statementError('Window advance must be positive.');
      return { type: 'HOPPING', sizeMs: size, advanceMs: advance, graceMs: graceMs ?? defaultGraceMs, retentionMs };
    }
    case 'Session': {
      const gap = durationMs(w.gap);
      return { type: 'SESSION', sizeMs: gap, advanceMs: gap, graceMs: graceMs ?? defaultGraceMs, retentionMs };
    }
  }
}

export function planAggregation(
  query: Query, items: readonly NamedExpr[], input: Step, scope: Scope, ctx: PlanContext,
  internalTopics: string[], stores: string[],
): AggregationResult {
  const groupBy = query.groupBy!;
  const kafkaSources = sourcesOf(input).filter((src) => src.valueFormat.info.format === 'KAFKA').map((src) => src.name);
  if (kafkaSources.length > 0) {
    throw statementError(`Source(s) ${kafkaSources.join(', ')} are using the 'KAFKA' value format. This format does not yet support GROUP BY.`);
  }
  const bind = (e: Expr, clause: string) => bindExpr(e, { scope, functions: ctx.functions, types: ctx.types, clause });
  const groupExprs = groupBy.map((g) => {
    walkExpr(g, (e) => {
      if (e.kind === 'FunctionCall' && ctx.functions.aggregate(e.name.toUpperCase()) && !ctx.functions.scalar(e.name.toUpperCase())) {
        throw statementError(`GROUP BY does not support aggregate functions: ${e.name.toUpperCase()} is an aggregate function.`);
      }
      return true;
    });
    return bind(g, 'GROUP BY');
  });
  const groupCanon = groupBy.map((g) => canonicalExpr(g, scope));

  // Collect aggregate calls from SELECT and HAVING.
  const aggCalls: { expr: Expr; canon: string }[] = [];
  const collect = (x: Expr): void => walkExpr(x, (e) => {
    if (e.kind === 'FunctionCall' && ctx.functions.aggregate(e.name.toUpperCase())) {
      const canon = canonicalExpr(e, scope);
      if (!aggCalls.some((a) => a.canon === canon)) aggCalls.push({ expr: e, canon });
      return false;
    }
    return true;
  });
  items.forEach((it) => collect(it.expr));
  if (query.having) collect(query.having);
  if (aggCalls.length === 0) throw statementError('GROUP BY requires aggregate functions in either the SELECT or HAVING clause.');

  // Resolve aggregates; their per-row arguments are computed by the pre-aggregation re-key.
  const argExprs: BoundExpr[] = [];
  const aggregates: { fn: ResolvedAggregate; argIndexes: number[]; name: string }[] = [];
  const tableOnlyStream: string[] = [];
  for (const call of aggCalls) {
    const e = call.expr as Expr & { kind: 'FunctionCall' };
    const name = e.name.toUpperCase();
    const args = e.star ? [] : e.args.map((a) => {
      walkExpr(a, (x) => {
        if (x.kind === 'FunctionCall' && ctx.functions.aggregate(x.name.toUpperCase()) && !ctx.functions.scalar(x.name.toUpperCase())) {
          throw statementError(`Aggregate functions can not be nested: ${name}(${x.name.toUpperCase()}())`);
        }
        if (x.kind === 'ColumnRef' && (x.name === 'WINDOWSTART' || x.name === 'WINDOWEND')) {
          throw statementError(`Window bounds column ${x.name} can only be used in the SELECT clause of windowed aggregations and can not be passed to aggregate functions.`);
        }
        return true;
      });
      return bind(a, 'SELECT');
    });
    const resolved = ctx.functions.aggregate(name)!.resolve(args.map((a, i) => ({ ...argInfo(a), text: formatExpr(e.args[i]!) })));
    if ('error' in resolved) throw statementError(resolved.error);
    if (input.isTable && !resolved.undo) tableOnlyStream.push(name);
    if (['ARRAY', 'MAP', 'STRUCT'].includes(resolved.accumulatorType.kind) &&
      sourcesOf(input).some((src) => src.valueFormat.info.format === 'DELIMITED')) {
      // The aggregation's state is written in the source's value format, and DELIMITED holds only primitives.
      throw statementError('One of the functions used in the statement has an intermediate type that the value format can not handle. Please remove the function or change the format.');
    }
    const argIndexes: number[] = [];
    for (let i = 0; i < resolved.inputArgCount; i++) {
      argIndexes.push(groupExprs.length + argExprs.length);
      argExprs.push(args[i] ?? { kind: 'Literal', type: BIGINT, value: 1n });
    }
    aggregates.push({ fn: resolved, argIndexes, name: `KSQL_AGG_VARIABLE_${aggregates.length}` });
  }
  if (tableOnlyStream.length > 0) {
    const uniq = [...new Set(tableOnlyStream)];
    throw statementError(`The aggregation function${uniq.length > 1 ? 's' : ''} ${joinWords(uniq, 'and')} cannot be applied to a table source, only to a stream source.`);
  }

  // Re-key by the group expressions (through a topic unless the key is unchanged).
  const sameKey = groupExprs.length === input.keyCount && groupExprs.every((g, i) => g.kind === 'Column' && g.index === i);
  const rowtimeIdx = input.layout.findIndex((c) => c.name === 'ROWTIME');
  const rekeyExprs: BoundExpr[] = [...groupExprs, ...argExprs,
    ...(rowtimeIdx >= 0 ? [{ kind: 'Column', type: BIGINT, index: rowtimeIdx, name: 'ROWTIME' } as BoundExpr] : [])];
  const keyNames = groupBy.map((g, i) => groupKeyName(g, i, items, groupCanon[i]!, scope));
  const rekeyLayout: LayoutColumn[] = [
    ...groupExprs.map((g, i) => ({ name: keyNames[i]!, type: g.type ?? BIGINT })),
    ...argExprs.map((a, i) => ({ name: `$ARG${i}`, type: a.type ?? BIGINT })),
    { name: 'ROWTIME', type: BIGINT },
  ];
  const repartition = sameKey ? undefined : `${ctx.internalTopicPrefix}Aggregate-GroupBy-repartition`;
  if (repartition) internalTopics.push(repartition);
  let step: Step = {
    ...base(input), kind: 'Rekey', input, exprs: rekeyExprs, viaTopic: repartition,
    layout: rekeyLayout, keyCount: groupExprs.length,
  };

  // EMIT FINAL windows without GRACE PERIOD close at their end (ksqlDB's behaviour); other windows
  // keep Kafka Streams' 24-hour default grace.
  const window = query.window ? windowSpec(query.window, query.emit === 'FINAL' ? 0 : DEFAULT_GRACE_MS) : undefined;
  const store = 'Aggregate-Aggregate-Materialize';
  stores.push(store);
  internalTopics.push(`${ctx.internalTopicPrefix}${store}-changelog`);
  const aggLayout: LayoutColumn[] = [
    ...groupExprs.map((g, i) => ({ name: keyNames[i]!, type: g.type ?? BIGINT })),
    ...aggregates.map((a) => ({ name: a.name, type: a.fn.returnType })),
    { name: 'ROWTIME', type: BIGINT },
    ...(window ? [{ name: 'WINDOWSTART', type: BIGINT }, { name: 'WINDOWEND', type: BIGINT }] : []),
  ];
  step = {
    kind: 'Aggregate', input: step, aggregates, window, store, layout: aggLayout,
    keyCount: groupExprs.length, isTable: true, windowed: window !== undefined,
  };
  if (window && query.emit === 'FINAL') {
    step = { ...base(step), kind: 'Suppress', input: step, window, store: 'Suppress-store' };
    stores.push('Suppress-store');
  } else if (query.emit === 'FINAL') {
    throw statementError('EMIT FINAL is only supported for windowed aggregations.');
  }

  // Expressions after aggregation see: group keys, aggregate results, ROWTIME, window bounds.
  const aggScope = layoutScope(aggLayout, undefined);
  const nonAggregate = new Set<string>();
  const replace = (e: Expr): BoundExpr | undefined => {
    const canon = canonicalExpr(e, scope);
    const g = groupCanon.indexOf(canon);
    if (g >= 0) return { kind: 'Column', type: aggLayout[g]!.type, index: g, name: aggLayout[g]!.name };
    const a = aggCalls.findIndex((c) => c.canon === canon);
    if (a >= 0) {
      const idx = groupExprs.length + a;
      return { kind: 'Column', type: aggLayout[idx]!.type, index: idx, name: aggLayout[idx]!.name };
    }
    if (e.kind === 'ColumnRef') {
      if ((e.name === 'WINDOWSTART' || e.name === 'WINDOWEND') && window && query.from.kind === 'Join') {
        // ksqlDB does not offer the window bounds of an aggregation over a join.
        throw statementError(`SELECT column '${e.name}' cannot be resolved.`);
      }
      if (['ROWTIME', 'WINDOWSTART', 'WINDOWEND'].includes(e.name) && (e.name === 'ROWTIME' || window)) {
        const idx = aggLayout.findIndex((c) => c.name === e.name);
        return { kind: 'Column', type: BIGINT, index: idx, name: e.name };
      }
      nonAggregate.add(formatExpr(e));
      return { kind: 'Literal', type: resolveColumnType(e, scope), value: null };
    }
    return undefined;
  };
  const bindAfter = (e: Expr, clause: string): BoundExpr =>
    bindExpr(e, { scope: aggScope, functions: ctx.functions, types: ctx.types, clause, replace });

  if (query.having) {
    const predicate = bindAfter(query.having, 'HAVING');
    if (nonAggregate.size > 0) {
      throw statementError(`Non-aggregate HAVING expression not part of GROUP BY: ${[...nonAggregate].join(', ')}`);
    }
    step = { ...base(step), kind: 'Filter', input: step, predicate };
  }

  // Projection: items equal to a group expression are the key columns.
  const keyItemOf = new Map<number, number>();
  items.forEach((it, i) => {
    const g = groupCanon.indexOf(canonicalExpr(it.expr, scope));
    if (g < 0) return;
    if (keyItemOf.has(g) && ctx.persistent) {
      const first = items[keyItemOf.get(g)!]!;
      throw statementError(`The projection contains a key column (\`${aggLayout[g]!.name}\`) more than once, aliased as: ${[first.name, it.name].join(' and ')}.`);
    }
    if (!keyItemOf.has(g)) keyItemOf.set(g, i);
  });
  if (ctx.persistent) {
    const keyItems = [...keyItemOf.values()].map((i) => canonicalExpr(items[i]!.expr, scope));
    const dupKeys = keyItems.filter((k, i) => keyItems.indexOf(k) !== i);
    if (dupKeys.length > 0) throw statementError('The projection contains a key column more than once.');
    const missing = groupBy.filter((_, g) => !keyItemOf.has(g)).map(formatExpr);
    if (missing.length > 0) {
      const plural = missing.length > 1;
      throw statementError(`The query used to build \`${ctx.sinkName ?? 'OUTPUT'}\` must include the grouping expression${plural ? 's' : ''} ${joinWords(missing, 'and')} in its projection (eg, SELECT ${missing.join(', ')}...).`);
    }
  }
  const exprs: BoundExpr[] = [];
  const layout: LayoutColumn[] = [];
  const key: Column[] = [];
  const value: Column[] = [];
  const keyItemSet = new Set(keyItemOf.values());
  const seen = new Set<string>();
  const add = (it: NamedExpr, isKey: boolean): void => {
    const b = bindAfter(it.expr, 'SELECT');
    const type: SqlType = b.type ?? { kind: 'STRING' };
    if (seen.has(it.name)) throw statementError(`Duplicate value columns found in schema: \`${it.name}\` ${formatType(type)}`);
    seen.add(it.name);
    exprs.push(b);
    layout.push({ name: it.name, type });
    (isKey ? key : value).push({ name: it.name, type, namespace: isKey ? 'KEY' : 'VALUE' });
  };
  if (ctx.persistent) {
    for (let g = 0; g < groupBy.length; g++) add(items[keyItemOf.get(g)!]!, true);
    items.forEach((it, i) => { if (!keyItemSet.has(i)) add(it, false); });
  } else {
    items.forEach((it) => add(it, false));
  }
  if (nonAggregate.size > 0) {
    throw statementError(`Non-aggregate SELECT expression(s) not part of GROUP BY: ${[...nonAggregate].join(', ')}`);
  }
  if (ctx.persistent && value.length === 0) throw statementError('The projection contains no value columns.');
  const root: Step = {
    kind: 'Project', input: step, exprs, layout, keyCount: ctx.persistent ? key.length : 0,
    rowtime: { kind: 'Column', type: BIGINT, index: aggLayout.findIndex((c) => c.name === 'ROWTIME'), name: 'ROWTIME' },
    isTable: true, windowed: window !== undefined,
  };
  const windowInfo: WindowInfo | undefined = window
    ? { type: window.type, sizeMs: window.type === 'SESSION' ? undefined : window.sizeMs }
    : undefined;
  return { root, key, value, window: windowInfo };
}

function sourcesOf(step: Step): SourceInfo[] {
  if (step.kind === 'Source') return [step.source];
  if (step.kind === 'Join') return [...sourcesOf(step.left), ...sourcesOf(step.right)];
  return sourcesOf(step.input);
}

function resolveColumnType(e: Expr & { kind: 'ColumnRef' }, scope: Scope): SqlType | null {
  try {
    return scope.lookup(e.source, e.name)?.type ?? null;
  } catch {
    return null;
  }
}

/** The key column's name: the alias of the select item equal to the group expression, else its own. */
function groupKeyName(g: Expr, i: number, items: readonly NamedExpr[], canon: string, scope: Scope): string {
  const item = items.find((it) => canonicalExpr(it.expr, scope) === canon);
  if (item) return item.name;
  if (g.kind === 'ColumnRef') return g.name;
  if (g.kind === 'Dereference') return g.field;
  return `KSQL_COL_${i}`;
}
