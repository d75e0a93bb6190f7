// Plans a SELECT: FROM -> WHERE -> table functions -> GROUP BY/aggregates -> HAVING -> PARTITION BY
// -> projection, as a tree of Steps, and derives the output schema with ksqlDB's key rules.
// Used for persistent queries (CSAS/CTAS/INSERT INTO) and transient (push/pull) queries.

import { statementError } from '../common/errors.ts';
import { formatType } from '../common/sql-type.ts';
import type { SqlType } from '../common/sql-type.ts';
import type { Column } from '../catalog/schema.ts';
import type { SourceInfo } from '../engine/engine-api.ts';
import type { FunctionRegistry, ResolvedTableFunction } from '../functions/function-types.ts';
import type { LayoutColumn, Step, WindowSpec } from '../plan/steps.ts';
import type { WindowInfo } from '../serde/format.ts';
import type { Expr, Query } from '../sql/ast.ts';
import { planAggregation } from './aggregation-planner.ts';
import type { BoundExpr } from './bound-expr.ts';
import { argInfo, bindExpr, type BindContext } from './expression-binder.ts';
import { formatExpr } from './expr-format.ts';
import { planJoin, type JoinPlan } from './join-planner.ts';
import type { Scope } from './scope.ts';
import { expandSelectItems, type NamedExpr } from './select-items.ts';
import { layoutScope, sourceStep } from './source-scope.ts';
import type { TypeLookup } from './type-resolver.ts';
import { walkExpr } from './expr-walk.ts';
import { planPartitionBy } from './partition-by-planner.ts';

export interface PlanContext {
  readonly source: (name: string) => SourceInfo | undefined;
  readonly functions: FunctionRegistry;
  readonly types: TypeLookup;
  readonly queryId: string;
  /** `_confluent-ksql-<service id>query_<query id>-`: prefix of internal topics. */
  readonly internalTopicPrefix: string;
  readonly persistent: boolean;
  /** Name of the sink, for messages ("The query used to build `OUTPUT` ..."). */
  readonly sinkName: string | undefined;
  /** ksql.new.query.planner.enabled: key columns keep the SELECT's order instead of the source's. */
  readonly newQueryPlanner?: boolean;
}

export interface PlannedQuery {
  /** The last step; its layout is the output: key columns first, then value columns. */
  readonly root: Step;
  readonly key: readonly Column[];
  readonly value: readonly Column[];
  readonly window: WindowInfo | undefined;
  readonly isTable: boolean;
  readonly sourceNames: readonly string[];
  readonly internalTopics: readonly string[];
  readonly stores: readonly string[];
}

/** What the FROM clause produced: the step, its scope, and how `*` expands. */
export interface FromPlan {
  readonly step: Step;
  readonly scope: Scope;
  readonly star: (qualifier: string | undefined) => { name: string; qualifier: string | undefined; outputName: string }[];
  readonly sourceNames: string[];
  /** Unaliased `src.col` in a join is named `SRC_COL`. */
  readonly refName: (ref: Expr & { kind: 'ColumnRef' }) => string;
  /** For joins: the key expressions the output key comes from (for key-in-projection checks). */
  readonly join: JoinPlan | undefined;
}

export function planQuery(query: Query, ctx: PlanContext): PlannedQuery {
  const internalTopics: string[] = [];
  const stores: string[] = [];
  const from = planFrom(query, ctx, internalTopics, stores);
  let step = from.step;
  let scope = from.scope;

  if (query.window && !query.groupBy) throw statementError('WINDOW clause requires a GROUP BY clause.');
  checkWindowBoundsUse(query, step.windowed);

  const bindIn = (e: Expr, s: Scope, clause: string, replace?: BindContext['replace']): BoundExpr =>
    bindExpr(e, { scope: s, functions: ctx.functions, types: ctx.types, clause, ...(replace ? { replace } : {}) });

  if (query.where) {
    const predicate = bindIn(query.where, scope, 'WHERE');
    if (predicate.type !== null && predicate.type.kind !== 'BOOLEAN') {
      throw statementError(`Type error in WHERE expression: Should evaluate to boolean but is ${formatExpr(query.where)} (${predicate.type.kind}) instead.`);
    }
    step = { ...base(step), kind: 'Filter', input: step, predicate };
  }

  const items = expandSelectItems(
    query.select,
    (q) => from.star(q),
    (b) => {
      const t = bindIn(b, scope, 'SELECT').type;
      if (t?.kind !== 'STRUCT') throw statementError(`Can't use ->* on a non-struct: ${formatExpr(b)}`);
      return t.fields.map((f) => f.name);
    },
    from.refName,
  );
  if (ctx.persistent) {
    for (const it of items) {
      if (!it.aliased && it.expr.kind === 'ColumnRef' && it.name === it.expr.name && ['ROWTIME', 'ROWPARTITION', 'ROWOFFSET', 'WINDOWSTART', 'WINDOWEND'].includes(it.expr.name)) {
        throw statementError(`Reserved column name in select: \`${it.expr.name}\`. Please remove or alias the column.`);
      }
    }
  }

  // Table functions: one FlatMap step, their results become extra columns.
  const tfCalls: { expr: Expr; fn: ResolvedTableFunction; args: BoundExpr[] }[] = [];
  for (const it of items) {
    walkExpr(it.expr, (e) => {
      if (e.kind === 'FunctionCall' && ctx.functions.table(e.name.toUpperCase()) && !tfCalls.some((c) => formatExpr(c.expr) === formatExpr(e))) {
        const args = e.args.map((a) => bindIn(a, scope, 'SELECT'));
        const resolved = ctx.functions.table(e.name.toUpperCase())!.resolve(args.map(argInfo));
        if ('error' in resolved) throw statementError(resolved.error);
        tfCalls.push({ expr: e, fn: resolved, args });
        return false;
      }
      return true;
    });
  }
  if (tfCalls.length > 0) {
    if (query.groupBy) throw statementError('Table functions cannot be used with aggregations.');
    if (step.isTable) throw statementError('Table source is not supported with table functions');
    const layout: LayoutColumn[] = [...step.layout, ...tfCalls.map((c, i) => ({ name: `$TF${i}`, type: c.fn.returnType }))];
    step = { ...base(step), kind: 'FlatMap', input: step, calls: tfCalls.map((c) => ({ fn: c.fn, args: c.args })), layout };
    scope = layoutScope(layout, (i) => scope.columns[i]?.qualifier);
  }
  const tfReplace = (e: Expr): BoundExpr | undefined => {
    if (e.kind !== 'FunctionCall') return undefined;
    const idx = tfCalls.findIndex((c) => formatExpr(c.expr) === formatExpr(e));
    if (idx < 0) return undefined;
    const col = step.layout.length - tfCalls.length + idx;
    return { kind: 'Column', type: step.layout[col]!.type, index: col, name: `$TF${idx}` };
  };

  // Aggregates without GROUP BY aggregate the whole input as one group (push queries).
  const hasAggregate = items.some((it) => {
    let found = false;
    walkExpr(it.expr, (e) => {
      if (e.kind === 'FunctionCall' && ctx.functions.aggregate(e.name.toUpperCase()) && !ctx.functions.scalar(e.name.toUpperCase())) found = true;
      return !found;
    });
    return found;
  });
  if (!query.groupBy && hasAggregate && !ctx.persistent) {
    const one: Expr = { kind: 'IntegerLiteral', text: '1', pos: query.pos };
    const agg = planAggregation({ ...query, groupBy: [one] }, items, step, scope, ctx, internalTopics, stores);
    return finish(agg.root, agg.key, agg.value, agg.window, true, from.sourceNames, internalTopics, stores);
  }
  if (query.groupBy) {
    const agg = planAggregation(query, items, step, scope, ctx, internalTopics, stores);
    return finish(agg.root, agg.key, agg.value, agg.window, true, from.sourceNames, internalTopics, stores);
  }
  if (query.having) throw statementError('HAVING clause requires a GROUP BY clause.');

  if (query.partitionBy) {
    if (step.isTable) throw statementError('Unsupported PARTITION BY on a table. Tables are already partitioned by their PRIMARY KEY.');
    return planPartitionBy(query, query.partitionBy, items, step, scope, from, ctx, internalTopics, stores, tfReplace);
  }

  // Key expressions of the output: the join's, or the source key columns.
  let keyExprs: Expr[];
  let keyWord: string;
  if (from.join) {
    keyExprs = from.join.keyExprs;
    keyWord = 'join expression';
  } else {
    keyExprs = step.layout.slice(0, step.keyCount).map((c) => ({ kind: 'ColumnRef', source: undefined, name: c.name, pos: query.pos }) as Expr);
    keyWord = 'key column';
  }

  const canonical = (e: Expr): string => canonicalExpr(e, scope);
  const keyCanon = keyExprs.map(canonical);
  // Which select items are the key: the first item equal to each key expression.
  const keyItemOf = new Map<number, number>();
  items.forEach((it, i) => {
    const k = keyCanon.indexOf(canonical(it.expr));
    if (k >= 0 && !from.join?.syntheticKey) {
      if (keyItemOf.has(k)) {
        if (ctx.persistent) {
          const first = items[keyItemOf.get(k)!]!;
          throw statementError(`The projection contains a key column (\`${keyColumnName(keyExprs[k]!, first)}\`) more than once, aliased as: ${[first.name, it.name].sort().join(' and ')}.`);
        }
      } else {
        keyItemOf.set(k, i);
      }
    }
  });
  if (from.join?.syntheticKey) {
    items.forEach((it, i) => {
      if (it.expr.kind === 'ColumnRef' && it.expr.name === 'ROWKEY' && it.expr.source === undefined) keyItemOf.set(0, i);
    });
  }
  if (ctx.persistent) {
    const missing = keyExprs.filter((_, k) => !keyItemOf.has(k));
    if (missing.length > 0 && !(from.join && from.join.keyAlternatives.some((alt) => items.some((it) => alt.includes(canonical(it.expr)))))) {
      throw missingKeyError(ctx.sinkName ?? 'OUTPUT', keyWord, missing, from, keyExprs);
    }
    if (from.join && missing.length > 0) {
      // The key may be projected through an equivalent expression of the other join side.
      items.forEach((it, i) => {
        if (!keyItemOf.has(0) && from.join!.keyAlternatives[0]!.includes(canonical(it.expr))) keyItemOf.set(0, i);
      });
    }
  }

  // Join outputs carry their key in the leading columns: key items read it there, so table
  // joins can compute the key of a tombstone and outer joins get the key when a side is null.
  const joinKeyItems = new Map<Expr, number>();
  if (from.join) for (const [k, i] of keyItemOf) joinKeyItems.set(items[i]!.expr, k);
  const joinReplace = (e: Expr): BoundExpr | undefined => {
    const k = joinKeyItems.get(e);
    if (k === undefined) return tfReplace(e);
    return { kind: 'Column', type: step.layout[k]!.type, index: k, name: step.layout[k]!.name };
  };
  return project(step, items, keyItemOf, keyExprs.length, (e) => bindIn(e, scope, 'SELECT', joinReplace), ctx, from, scope, internalTopics, stores,
    step.windowed ? windowInfoOf(from) : undefined);
}

function windowInfoOf(from: FromPlan): WindowInfo | undefined {
  const s = findSource(from.step);
  return s?.source.keyFormat.window;
}

function findSource(step: Step): (Step & { kind: 'Source' }) | undefined {
  if (step.kind === 'Source') return step;
  if ('input' in step) return findSource(step.input);
  if (step.kind === 'Join') return findSource(step.left);
  return undefined;
}

function keyColumnName(keyExpr: Expr, item: NamedExpr): string {
  return keyExpr.kind === 'ColumnRef' ? keyExpr.name : item.name;
}

function missingKeyError(sink: string, word: string, missing: Expr[], from: FromPlan, all: Expr[]): Error {
  if (from.join) {
    const alts = from.join.keyDisplay;
    if (from.join.syntheticKey) {
      return statementError(`Key missing from projection (ie, SELECT). See https://cnfl.io/2LV7ouS.\nThe query used to build \`${sink}\` must include the join expression ROWKEY in its projection (eg, SELECT ROWKEY...).\nROWKEY was added as a synthetic key column because the join criteria did not match any source column. This expression must be included in the projection and may be aliased.`);
    }
    const plural = alts.length > 1;
    return statementError(`The query used to build \`${sink}\` must include the join expression${plural ? 's' : ''} ${joinWords(alts, 'or')} in its projection (eg, SELECT ${alts[0]}...).`);
  }
  const names = missing.map((e) => formatExpr(e));
  const plural = names.length > 1;
  const w = plural ? word.replace('column', 'columns').replace('expression', 'expressions') : word;
  void all;
  return statementError(`The query used to build \`${sink}\` must include the ${w} ${joinWords(names, 'and')} in its projection (eg, SELECT ${names.join(', ')}...).`);
}

export function joinWords(words: readonly string[], conj: string): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} ${conj} ${words[words.length - 1]}`;
}

/** Builds the final Project step and the output schema. */
export function project(
  input: Step, items: readonly NamedExpr[], keyItemOf: Map<number, number>, keyCount: number,
  bind: (e: Expr) => BoundExpr, ctx: PlanContext, from: FromPlan | undefined, _scope: Scope,
  internalTopics: string[], stores: string[], window: WindowInfo | undefined,
): PlannedQuery {
  const isKeyItem = new Set(keyItemOf.values());
  const keyOrder = [...Array(keyCount).keys()].filter((k) => keyItemOf.has(k)).map((k) => keyItemOf.get(k)!);
  if (ctx.newQueryPlanner) keyOrder.sort((a, b) => a - b);
  const exprs: BoundExpr[] = [];
  const layout: LayoutColumn[] = [];
  const key: Column[] = [];
  const value: Column[] = [];
  const seen = new Set<string>();
  const add = (it: NamedExpr, isKey: boolean): void => {
    const b = bind(it.expr);
    const type: SqlType = b.type ?? { kind: 'STRING' };
    if (seen.has(it.name)) throw statementError(`Duplicate ${isKey ? 'key' : 'value'} columns found in schema: \`${it.name}\` ${formatType(type)}`);
    seen.add(it.name);
    if (b.type === null && ctx.persistent) throw statementError(`Can't infer a type of null. Please explicitly cast it to a required type, e.g. CAST(null AS VARCHAR).`);
    exprs.push(b);
    layout.push({ name: it.name, type });
    (isKey ? key : value).push({ name: it.name, type, namespace: isKey ? 'KEY' : 'VALUE' });
  };
  if (ctx.persistent) {
    for (const i of keyOrder) add(items[i]!, true);
    items.forEach((it, i) => { if (!isKeyItem.has(i)) add(it, false); });
    if (value.length === 0) throw statementError('The projection contains no value columns.');
  } else {
    items.forEach((it) => add(it, false));
  }
  const rowtimeIdx = input.layout.findIndex((c) => c.name === 'ROWTIME');
  const rowtime: BoundExpr | undefined = rowtimeIdx >= 0 ? { kind: 'Column', type: input.layout[rowtimeIdx]!.type, index: rowtimeIdx, name: 'ROWTIME' } : undefined;
  const root: Step = {
    kind: 'Project', input, exprs, rowtime, layout, keyCount: ctx.persistent ? key.length : 0,
    isTable: input.isTable, windowed: input.windowed,
  };
  return finish(root, key, value, window, input.isTable, from?.sourceNames ?? [], internalTopics, stores);
}

function finish(root: Step, key: readonly Column[], value: readonly Column[], window: WindowInfo | undefined, isTable: boolean,
  sourceNames: readonly string[], internalTopics: string[], stores: string[]): PlannedQuery {
  return { root, key, value, window, isTable, sourceNames, internalTopics, stores };
}

export function base(step: Step): { layout: readonly LayoutColumn[]; keyCount: number; isTable: boolean; windowed: boolean } {
  return { layout: step.layout, keyCount: step.keyCount, isTable: step.isTable, windowed: step.windowed };
}

function planFrom(query: Query, ctx: PlanContext, internalTopics: string[], stores: string[]): FromPlan {
  if (query.from.kind === 'Join') return planJoin(query, ctx, internalTopics, stores);
  const src = ctx.source(query.from.name);
  if (!src) {
    throw statementError(`${query.from.name} does not exist.`);
  }
  const alias = query.from.alias ?? src.name;
  const step = sourceStep(src, alias);
  const scope = layoutScope(step.layout, alias);
  const cols = [...src.schema.key, ...src.schema.value];
  return {
    step, scope, sourceNames: [src.name], join: undefined,
    star: (q) => {
      if (q !== undefined && q !== alias) throw statementError(`Source '${q}' not found in scope.`);
      const extra = step.windowed && !ctx.persistent ? ['WINDOWSTART', 'WINDOWEND'] : [];
      const keys = src.schema.key.map((c) => c.name);
      return [...keys, ...extra, ...cols.slice(keys.length).map((c) => c.name)].map((name) => ({ name, qualifier: alias, outputName: name }));
    },
    refName: (ref) => ref.name,
  };
}

/** A structural key for an expression, with column references resolved through `scope`. */
export function canonicalExpr(e: Expr, scope: Scope): string {
  const rewrite = (x: Expr): Expr => {
    switch (x.kind) {
      case 'ColumnRef': {
        try {
          const c = scope.lookup(x.source, x.name);
          if (c) return { ...x, source: undefined, name: `#${c.index}` };
        } catch { /* ambiguous: keep the text */ }
        return x;
      }
      default:
        return mapChildren(x, rewrite);
    }
  };
  return formatExpr(rewrite(e));
}

export function mapChildren(x: Expr, f: (e: Expr) => Expr): Expr {
  switch (x.kind) {
    case 'Dereference': return { ...x, base: f(x.base) };
    case 'Subscript': return { ...x, base: f(x.base), index: f(x.index) };
    case 'Arithmetic': case 'Comparison': case 'Logical': case 'Concat': return { ...x, left: f(x.left), right: f(x.right) };
    case 'Negate': case 'Not': case 'IsNull': return { ...x, operand: f(x.operand) };
    case 'Between': return { ...x, operand: f(x.operand), low: f(x.low), high: f(x.high) };
    case 'InList': return { ...x, operand: f(x.operand), list: x.list.map(f) };
    case 'Like': return { ...x, operand: f(x.operand), pattern: f(x.pattern) };
    case 'Cast': return { ...x, operand: f(x.operand) };
    case 'SearchedCase': return { ...x, whens: x.whens.map((w) => ({ when: f(w.when), then: f(w.then) })), else: x.else ? f(x.else) : undefined };
    case 'SimpleCase': return { ...x, operand: f(x.operand), whens: x.whens.map((w) => ({ when: f(w.when), then: f(w.then) })), else: x.else ? f(x.else) : undefined };
    case 'FunctionCall': return { ...x, args: x.args.map(f) };
    case 'Lambda': return { ...x, body: f(x.body) };
    case 'ArrayConstructor': return { ...x, elements: x.elements.map(f) };
    case 'MapConstructor': return { ...x, entries: x.entries.map((en) => ({ key: f(en.key), value: f(en.value) })) };
    case 'StructConstructor': return { ...x, fields: x.fields.map((fl) => ({ name: fl.name, value: f(fl.value) })) };
    case 'AtTimeZone': return { ...x, operand: f(x.operand) };
    default: return x;
  }
}

function checkWindowBoundsUse(query: Query, sourceWindowed: boolean): void {
  if (sourceWindowed || query.window) {
    for (const clause of [query.where, ...(query.groupBy ?? []), ...(query.partitionBy ?? [])]) {
      if (!clause) continue;
      walkExpr(clause, (e) => {
        if (e.kind === 'ColumnRef' && (e.name === 'WINDOWSTART' || e.name === 'WINDOWEND') && query.window) {
          throw statementError(`Window bounds column ${e.name} can only be used in the SELECT clause of windowed aggregations and can not be passed to aggregate functions.`);
        }
        return true;
      });
    }
    return;
  }
  const all: Expr[] = [
    ...query.select.flatMap((s) => (s.kind === 'SingleColumn' ? [s.expr] : [])),
    ...(query.where ? [query.where] : []), ...(query.groupBy ?? []), ...(query.partitionBy ?? []),
    ...(query.having ? [query.having] : []),
  ];
  for (const x of all) {
    walkExpr(x, (e) => {
      if (e.kind === 'ColumnRef' && (e.name === 'WINDOWSTART' || e.name === 'WINDOWEND') && e.source === undefined) {
        throw statementError(`Window bounds column ${e.name} can only be used in the SELECT clause of windowed aggregations`);
      }
      return true;
    });
  }
}

export type { WindowSpec };
