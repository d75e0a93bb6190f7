// PARTITION BY: re-keys a stream before its projection. The new key columns come first, the old
// key columns move to the end of the value, and `SELECT *` sees exactly that, as in ksqlDB.

import { statementError } from '../common/errors.ts';
import { BIGINT, type SqlType } from '../common/sql-type.ts';
import type { LayoutColumn, Step } from '../plan/steps.ts';
import type { Expr, Query } from '../sql/ast.ts';
import type { BoundExpr } from './bound-expr.ts';
import { bindExpr } from './expression-binder.ts';
import { formatExpr } from './expr-format.ts';
import { base, canonicalExpr, joinWords, mapChildren, project, type FromPlan, type PlanContext, type PlannedQuery } from './query-planner.ts';
import { Scope, type ScopeColumn } from './scope.ts';
import { expandSelectItems, type NamedExpr } from './select-items.ts';

export function planPartitionBy(
  query: Query, partitionBy: readonly Expr[], items: readonly NamedExpr[], input: Step, scope: Scope, from: FromPlan,
  ctx: PlanContext, internalTopics: string[], stores: string[], replaceTf: (e: Expr) => BoundExpr | undefined,
): PlannedQuery {
  const isNull = partitionBy.some((p) => p.kind === 'NullLiteral');
  if (isNull && partitionBy.length > 1) throw statementError('Cannot PARTITION BY multiple columns including NULL');
  const keyExprs = isNull ? [] : [...partitionBy];
  const bind = (e: Expr, s: Scope, clause: string, replace?: (e: Expr) => BoundExpr | undefined): BoundExpr =>
    bindExpr(e, { scope: s, functions: ctx.functions, types: ctx.types, clause, ...(replace ? { replace } : {}) });
  const keyBound = keyExprs.map((k) => bind(k, scope, 'PARTITION BY', replaceTf));
  const keyCanon = keyExprs.map((k) => canonicalExpr(k, scope));

  // Names of the new key columns: the alias of a select item equal to the expression, the column
  // or field name, or a generated KSQL_COL_n.
  const used = new Set(items.filter((i) => i.aliased).map((i) => i.name));
  let generated = 0;
  const keyNames = keyExprs.map((k, i) => {
    const item = items.find((it) => it.aliased && canonicalExpr(it.expr, scope) === keyCanon[i]);
    if (item) return item.name;
    if (k.kind === 'ColumnRef') return k.name;
    if (k.kind === 'Dereference') return k.field;
    let name: string;
    do name = `KSQL_COL_${generated++}`; while (used.has(name));
    used.add(name);
    return name;
  });

  // Pass-through columns: value columns, then old key columns, then pseudo columns; a source
  // column that is itself a new key is not repeated.
  const src = input.layout;
  const newKeyColumnIdx = new Set(keyBound.filter((b) => b.kind === 'Column').map((b) => (b as { index: number }).index));
  const sourceKeyCount = input.keyCount;
  const order: number[] = [];
  for (let i = sourceKeyCount; i < src.length; i++) if (!isPseudo(src[i]!.name)) order.push(i);
  for (let i = 0; i < sourceKeyCount; i++) order.push(i);
  for (let i = sourceKeyCount; i < src.length; i++) if (isPseudo(src[i]!.name)) order.push(i);
  const passThrough = order.filter((i) => !newKeyColumnIdx.has(i));
  const exprs: BoundExpr[] = [
    ...keyBound,
    ...passThrough.map((i) => ({ kind: 'Column', type: src[i]!.type, index: i, name: src[i]!.name }) as BoundExpr),
  ];
  const layout: LayoutColumn[] = [
    ...keyBound.map((b, i) => ({ name: keyNames[i]!, type: b.type ?? (BIGINT as SqlType) })),
    ...passThrough.map((i) => src[i]!),
  ];
  const qualifierOf = (i: number): string | undefined => scope.columns[i]?.qualifier;
  const cols: ScopeColumn[] = [
    ...keyNames.map((name, i) => ({ name, qualifier: keyExprs[i]!.kind === 'ColumnRef' ? qualifierOf((keyBound[i] as { index: number }).index) : undefined, type: layout[i]!.type, index: i, fallback: true })),
    ...passThrough.map((srcIdx, j) => ({ name: src[srcIdx]!.name, qualifier: qualifierOf(srcIdx), type: src[srcIdx]!.type, index: keyNames.length + j })),
  ];
  const newScope = new Scope(cols);
  const step: Step = { ...base(input), kind: 'Rekey', input, exprs, viaTopic: undefined, layout, keyCount: keyNames.length };

  // Re-expand `*` over the re-keyed columns (new keys, values, old keys).
  const starCols = cols.filter((c) => !isPseudo(c.name) || c.index < keyNames.length);
  const expanded = expandSelectItems(
    query.select,
    (q) => {
      if (q !== undefined && !from.step) return [];
      return starCols.filter((c) => q === undefined || c.qualifier === q || c.index < keyNames.length)
        .map((c) => ({ name: c.name, qualifier: c.index < keyNames.length ? undefined : c.qualifier, outputName: c.name }));
    },
    (b) => {
      const t = bind(b, newScope, 'SELECT').type;
      return t?.kind === 'STRUCT' ? t.fields.map((f) => f.name) : [];
    },
    from.refName,
  );
  const replace = (e: Expr): BoundExpr | undefined => {
    let canon: string | undefined;
    try {
      canon = canonicalExpr(e, scope);
    } catch {
      canon = undefined;
    }
    const k = canon === undefined ? -1 : keyCanon.indexOf(canon);
    if (k >= 0) {
      return { kind: 'Column', type: layout[k]!.type, index: k, name: keyNames[k]! };
    }
    return undefined;
  };
  const bound = expanded.map((it) => bind(it.expr, newScope, 'SELECT', replace));
  const keyItemOf = new Map<number, number>();
  bound.forEach((b, i) => {
    if (b.kind !== 'Column' || b.index >= keyNames.length) return;
    if (keyItemOf.has(b.index)) {
      if (ctx.persistent) {
        const first = expanded[keyItemOf.get(b.index)!]!;
        throw statementError(`The projection contains a key column (\`${keyNames[b.index]}\`) more than once, aliased as: ${first.name} and ${expanded[i]!.name}.`);
      }
      return;
    }
    keyItemOf.set(b.index, i);
  });
  if (ctx.persistent) {
    const missing = keyExprs.filter((_, k) => !keyItemOf.has(k)).map((k) => formatExpr(qualify(k, scope)));
    if (missing.length > 0) {
      const plural = missing.length > 1;
      throw statementError(`The query used to build \`${ctx.sinkName ?? 'OUTPUT'}\` must include the partitioning expression${plural ? 's' : ''} ${joinWords(missing, 'and')} in its projection (eg, SELECT ${missing.join(', ')}...).`);
    }
  }
  // The projection output takes the key names of the re-key step.
  const renamed = expanded.map((it, i) => {
    const k = [...keyItemOf.entries()].find(([, item]) => item === i)?.[0];
    return k === undefined ? it : { ...it, name: it.aliased ? it.name : keyNames[k]! };
  });
  return project(step, renamed, keyItemOf, keyNames.length, (e) => bind(e, newScope, 'SELECT', replace), ctx, from, newScope, internalTopics, stores, undefined);
}

function isPseudo(name: string): boolean {
  return name === 'ROWTIME' || name === 'ROWPARTITION' || name === 'ROWOFFSET' || name === 'WINDOWSTART' || name === 'WINDOWEND';
}

/** Column references qualified with their source, as ksqlDB prints them in messages (INPUT.ID). */
function qualify(e: Expr, scope: Scope): Expr {
  if (e.kind === 'ColumnRef') {
    if (e.source) return e;
    try {
      const c = scope.lookup(undefined, e.name);
      return c?.qualifier ? { ...e, source: c.qualifier } : e;
    } catch {
      return e;
    }
  }
  return mapChildren(e, (x) => qualify(x, scope));
}
