// Plans the FROM clause of joins (stream-stream, stream-table, table-table, foreign-key), n-way
// joins as a left-deep tree: co-partitioning re-keys, Join steps, stores, output key rules.

import { statementError } from '../common/errors.ts';
import { BIGINT, formatType, typesEqual, type SqlType } from '../common/sql-type.ts';
import type { SourceInfo } from '../engine/engine-api.ts';
import type { LayoutColumn, Step } from '../plan/steps.ts';
import type { AliasedSource, Expr, JoinNode, Query, Relation } from '../sql/ast.ts';
import { durationMs } from './aggregation-planner.ts';
import type { BoundExpr } from './bound-expr.ts';
import { joinCondition, joinTypeText, type JoinSource } from './join-condition.ts';
import { joinScope, type SourceSlot } from './join-scope.ts';
import { bindExpr } from './expression-binder.ts';
import { formatExpr } from './expr-format.ts';
import { canonicalExpr, joinWords, type FromPlan, type PlanContext } from './query-planner.ts';
import { sourceStep } from './source-scope.ts';

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

/** A planned relation: a source, or a join of a relation with a source. */
interface Rel {
  readonly step: Step;
  readonly slots: readonly SourceSlot[];
  readonly sources: readonly JoinSource[];
  /** Qualified expressions known to equal the key column (position 0). */
  readonly equiv: readonly Expr[];
  readonly keyFormat: string;
  readonly partitions: number;
  readonly name: string;
  /** True when rows are partitioned by a repartition topic (the engine's key encoding). */
  readonly internal: boolean;
}

const ref = (alias: string, name: string, pos: Expr['pos']): Expr => ({ kind: 'ColumnRef', source: alias, name, pos } as Expr);

function leaf(rel: AliasedSource, ctx: PlanContext): Rel {
  const src = ctx.source(rel.name);
  if (!src) throw statementError(`${rel.name} does not exist.`);
  const alias = rel.alias ?? src.name;
  const step = sourceStep(src, alias);
  return {
    step, sources: [{ alias, source: src }],
    slots: [{ alias, offset: 0, layout: step.layout, keyCount: step.keyCount, windowed: step.windowed }],
    equiv: src.schema.key.length === 1 ? [ref(alias, src.schema.key[0]!.name, rel.pos)] : [],
    keyFormat: src.keyFormat.info.format, partitions: src.partitions, name: alias, internal: false,
  };
}

function leaves(r: Relation): AliasedSource[] {
  return r.kind === 'Join' ? [...leaves(r.left), r.right] : [r];
}

function windowText(s: SourceInfo): string {
  const w = s.keyFormat.window;
  return w ? `${w.type} windowed` : 'not windowed';
}

function containsMap(t: SqlType): boolean {
  if (t.kind === 'MAP') return true;
  if (t.kind === 'ARRAY') return containsMap(t.element);
  if (t.kind === 'STRUCT') return t.fields.some((f) => containsMap(f.type));
  return false;
}

function shift(slots: readonly SourceSlot[], by: number): SourceSlot[] {
  return slots.map((s) => ({ ...s, offset: s.offset + by }));
}

/** A re-key of `rel` by `key` through a repartition topic; the input columns follow the key. */
function rekey(rel: Rel, key: BoundExpr, topic: string, internalTopics: string[]): Rel {
  internalTopics.push(topic);
  const layout: LayoutColumn[] = [{ name: '$KEY', type: key.type ?? BIGINT }, ...rel.step.layout];
  const step: Step = {
    kind: 'Rekey', input: rel.step, exprs: [key], viaTopic: topic, layout, keyCount: 1,
    isTable: rel.step.isTable, windowed: rel.step.windowed,
  };
  return { ...rel, step, slots: shift(rel.slots, 1), equiv: [], internal: true };
}

interface NodeResult extends Rel {
  readonly synthetic: boolean;
  readonly fk: boolean;
}

function planNode(node: JoinNode, ctx: PlanContext, prefix: string, internalTopics: string[], stores: string[]): NodeResult {
  const left: Rel = node.left.kind === 'Join' ? planNode(node.left, ctx, `L_${prefix}`, internalTopics, stores) : leaf(node.left, ctx);
  const right = leaf(node.right, ctx);
  const rightSrc = right.sources[0]!;
  const cond = joinCondition(node, left.sources, rightSrc, node.left.kind === 'Join');
  const typeText = `${left.name} ${joinTypeText(node.type)} ${right.name}`;

  const leftSrc0 = left.sources[0]!.source;
  if (left.step.windowed !== right.step.windowed) {
    const [w, n] = left.step.windowed ? [left, right] : [right, left];
    throw statementError(`Can not join windowed source to non-windowed source.\n\`${w.name}\` is ${windowText(w.sources[0]!.source)}\n\`${n.name}\` is ${windowText(n.sources[0]!.source)}`);
  }
  const lw = leftSrc0.keyFormat.window;
  const rw = rightSrc.source.keyFormat.window;
  if (lw && rw && (lw.type !== rw.type || lw.sizeMs !== rw.sizeMs)) {
    throw statementError('Implicit repartitioning of windowed sources is not supported. See https://github.com/confluentinc/ksql/issues/4385.');
  }

  const lTable = left.step.isTable;
  const rTable = right.step.isTable;
  if (lTable && !rTable) {
    throw statementError(`Invalid join order: table-stream joins are not supported; only stream-table joins. Got ${typeText}.`);
  }
  if (!lTable && rTable && (node.type === 'FULL' || node.type === 'RIGHT')) {
    const what = node.type === 'FULL' ? 'full-outer' : 'right-outer';
    throw statementError(`Invalid join type: ${what} join not supported for stream-table join. Got ${typeText}.`);
  }
  if (!lTable && !rTable && !node.within) {
    throw statementError('Stream-Stream joins must have a WITHIN clause specified. None was provided. To learn about how to specify a WITHIN clause with a stream-stream join, please visit: https://docs.confluent.io/current/ksql/docs/syntax-reference.html#create-stream-as-select');
  }
  if (rTable && node.within) {
    throw statementError(`A window definition was provided for a ${lTable ? 'Table-Table' : 'Stream-Table'} join. These joins are not windowed. Please drop the window definition (ie. the WITHIN clause) and try to execute your join again.`);
  }

  const bind = (e: Expr, r: Rel): BoundExpr =>
    bindExpr(e, { scope: joinScope(r.slots, []), functions: ctx.functions, types: ctx.types, clause: 'JOIN ON' });
  let lb = bind(cond.left, left);
  const rb = bind(cond.right, right);
  const lt = lb.type ?? BIGINT;
  const rt = rb.type ?? BIGINT;
  if (!typesEqual(lt, rt)) {
    const [wa, wb] = cond.written;
    const ta = wa === cond.left ? lt : rt;
    const tb = wa === cond.left ? rt : lt;
    throw statementError(`Invalid join condition: types don't match. Got ${formatExpr(wa)}{${formatType(ta)}} = ${formatExpr(wb)}{${formatType(tb)}}.`);
  }
  if (containsMap(lt)) {
    const name = cond.left.kind === 'ColumnRef' ? `${cond.left.source}_${cond.left.name}` : 'ROWKEY';
    throw statementError(`Map keys, including types that contain maps, are not supported as they may lead to unexpected behavior due to inconsistent serialization. Key column name: \`${name}\`. Column type: ${formatType(lt)}. See https://github.com/confluentinc/ksql/issues/6621 for more.`);
  }

  const conditionText = cond.display.replace(/^\((.*)\)$/s, '$1');
  const rightIsKey = rb.kind === 'Column' && rb.index === 0 && right.step.keyCount === 1;
  const leftCanon = formatExpr(cond.left);
  const leftIsKey = (lb.kind === 'Column' && lb.index === 0 && left.step.keyCount === 1) || left.equiv.some((e) => formatExpr(e) === leftCanon);
  if (rTable && !rightIsKey) {
    throw statementError(lTable
      ? `Invalid join condition: table-table joins require to join on the primary key of the right input table. Got ${conditionText}.`
      : `Invalid join condition: stream-table joins require to join on the table's primary key. Got ${conditionText}.`);
  }
  const fk = lTable && rTable && !leftIsKey;
  if (fk && node.left.kind === 'Join') {
    throw statementError(`Invalid join condition: foreign-key table-table joins are not supported as part of n-way joins. Got ${conditionText}.`);
  }
  if (fk && (left.step.windowed || right.step.windowed)) {
    throw statementError('Foreign-key table-table joins are not supported on windowed tables.');
  }
  if (fk && (node.type === 'RIGHT' || node.type === 'FULL')) {
    throw statementError(`${node.type === 'RIGHT' ? 'RIGHT' : 'FULL'} OUTER JOIN on a foreign key is not supported`);
  }
  const variant = fk ? 'FK' : !lTable && !rTable ? 'SS' : !lTable ? 'ST' : 'TT';

  // Co-partitioning: a side whose join expression is not its key is re-keyed; a key format
  // mismatch re-keys the right side. Re-keyed rows are partitioned by the engine's own key
  // encoding, so when one side goes through a topic both do.
  let l = left;
  let r: Rel = right;
  const needL = !fk && (!leftIsKey || right.internal);
  const needR = !fk && (!rightIsKey || left.keyFormat !== right.keyFormat || left.internal);
  if ((needL || needR) && left.step.windowed) {
    if (needL || !rightIsKey) throw statementError('Implicit repartitioning of windowed sources is not supported. See https://github.com/confluentinc/ksql/issues/4385.');
  } else if (needL || needR) {
    const topics = variant === 'SS' ? ['Join-left-repartition', 'Join-right-repartition']
      : variant === 'ST' ? ['Join-repartition', 'RightSourceKeyed-SelectKey-repartition']
      : ['LeftSourceKeyed-SelectKey-repartition', 'RightSourceKeyed-SelectKey-repartition'];
    l = rekey(left, lb, `${ctx.internalTopicPrefix}${prefix}${topics[0]}`, internalTopics);
    r = rekey(right, rb, `${ctx.internalTopicPrefix}${prefix}${topics[1]}`, internalTopics);
    lb = { kind: 'Column', type: lt, index: 0, name: '$KEY' };
  } else if (left.partitions !== right.partitions && !fk) {
    throw statementError(`Can't join \`${left.sources[0]!.alias}\` with \`${right.name}\` since the number of partitions don't match. \`${left.sources[0]!.alias}\` partitions = ${left.partitions}; \`${right.name}\` partitions = ${right.partitions}. Please repartition either one so that the number of partitions match.`);
  }
  // Store names follow the sides ksqlDB itself re-keys (the other is re-keyed only here): a key
  // format mismatch re-keys the right side unless the left is re-keyed (into the right's format).
  const realL = !fk && !leftIsKey;
  const realR = !fk && (!rightIsKey || (!realL && left.keyFormat !== right.keyFormat));

  // Output key: the join key (a synthetic ROWKEY for FULL OUTER joins), or the left's primary key for FK joins.
  const keyCols: LayoutColumn[] = fk
    ? left.step.layout.slice(0, left.step.keyCount).map((c, i) => ({ name: `$PK${i}`, type: c.type }))
    : [{ name: '$JOINKEY', type: lt }];
  const layout: LayoutColumn[] = [...keyCols, ...l.step.layout, ...r.step.layout, { name: 'ROWTIME', type: BIGINT }];
  const slots = [...shift(l.slots, keyCols.length), ...shift(r.slots, keyCols.length + l.step.layout.length)];

  let equiv: Expr[] = [];
  if (fk) equiv = [...left.equiv];
  else if (node.type !== 'FULL') {
    const seen = new Set<string>();
    for (const e of [...(leftIsKey ? left.equiv : []), cond.left, cond.right]) {
      const k = formatExpr(e);
      if (!seen.has(k)) { seen.add(k); equiv.push(e); }
    }
  }

  // Store names follow ksqlDB's (they only name changelog topics).
  const storeNames: string[] = [];
  let aux: string | undefined;
  if (variant === 'SS') {
    const base = 8 + (realL ? 4 : 0) + (realR ? 4 : 0);
    const n = String(base).padStart(10, '0');
    const n1 = String(base + 1).padStart(10, '0');
    const leftOuter = node.type === 'LEFT' || node.type === 'FULL';
    const rightOuter = node.type === 'RIGHT' || node.type === 'FULL';
    storeNames.push(`${prefix}KSTREAM-${node.type === 'FULL' ? 'OUTERTHIS' : 'JOINTHIS'}-${n}-store`,
      `${prefix}KSTREAM-${leftOuter ? 'OUTEROTHER' : 'JOINOTHER'}-${n1}-store`);
    if (node.within?.grace && (leftOuter || rightOuter)) aux = `${prefix}KSTREAM-OUTERSHARED-${n}-store`;
  } else if (variant === 'ST') {
    storeNames.push('', `${prefix}${realR ? 'RightSourceKeyed-Materialize' : 'KafkaTopic_Right-Reduce'}`);
  } else {
    storeNames.push(`${prefix}${realL || realR ? 'LeftSourceKeyed-Materialize' : 'KafkaTopic_Left-Reduce'}`,
      `${prefix}${realL || realR ? 'RightSourceKeyed-Materialize' : 'KafkaTopic_Right-Reduce'}`);
    if (fk) aux = `${prefix}KTABLE-FK-JOIN-SUBSCRIPTION-STATE-STORE`;
  }
  for (const s of [...storeNames, ...(aux ? [aux] : []), ...(aux && variant === 'SS' ? [`${aux}-right`] : [])]) {
    if (!s) continue;
    stores.push(s);
    internalTopics.push(`${ctx.internalTopicPrefix}${s}-changelog`);
  }

  const within = node.within
    ? { beforeMs: durationMs(node.within.before), afterMs: durationMs(node.within.after), graceMs: node.within.grace ? durationMs(node.within.grace) : undefined }
    : undefined;
  const step: Step = {
    kind: 'Join', left: l.step, right: r.step, joinType: node.type, variant,
    foreignKey: fk ? lb : undefined, within, leftStore: storeNames[0]!, rightStore: storeNames[1]!,
    keyFrom: node.type === 'RIGHT' ? 'RIGHT' : node.type === 'FULL' ? 'ANY' : 'LEFT',
    ...(aux ? { auxStore: aux } : {}),
    layout, keyCount: keyCols.length, isTable: lTable && rTable, windowed: left.step.windowed,
  };
  return {
    step, slots, sources: [...left.sources, ...right.sources], equiv,
    keyFormat: left.keyFormat, partitions: left.partitions, name: left.name, internal: l.internal || r.internal,
    synthetic: !fk && !equiv.some((e) => e.kind === 'ColumnRef'), fk,
  };
}

export function planJoin(query: Query, ctx: PlanContext, internalTopics: string[], stores: string[]): FromPlan {
  const from = query.from as JoinNode;
  const kafka = leaves(from).map((s) => ({ s, src: ctx.source(s.name) }))
    .filter((x) => x.src?.valueFormat.info.format === 'KAFKA').map((x) => x.s.alias ?? x.src!.name);
  if (kafka.length > 0) {
    throw statementError(`Source(s) ${kafka.join(', ')} are using the 'KAFKA' value format. This format does not yet support JOIN.`);
  }
  const rel = planNode(from, ctx, '', internalTopics, stores);
  const step = rel.step;
  const allNames = new Set(rel.slots.flatMap((s) => s.layout.map((c) => c.name)));
  let synthName = 'ROWKEY';
  for (let i = 1; allNames.has(synthName); i++) synthName = `ROWKEY_${i}`;
  const extra = [{ name: 'ROWTIME', index: step.layout.length - 1, type: BIGINT }];
  if (rel.synthetic) extra.push({ name: synthName, index: 0, type: step.layout[0]!.type });
  const scope = joinScope(rel.slots, extra);
  const pos = query.pos;

  let keyExprs: Expr[];
  let keyAlternatives: string[][];
  let keyDisplay: string[];
  const firstSlot = rel.slots[0]!;
  if (rel.fk) {
    const pk = firstSlot.layout.slice(0, firstSlot.keyCount).map((c) => ref(firstSlot.alias, c.name, pos));
    keyExprs = pk;
    keyAlternatives = pk.map((e) => [canonicalExpr(e, scope)]);
    keyDisplay = pk.map(formatExpr);
    if (ctx.persistent) checkFkProjection(query, pk, scope, firstSlot.alias);
  } else if (rel.synthetic) {
    const e: Expr = { kind: 'ColumnRef', source: undefined, name: synthName, pos } as Expr;
    keyExprs = [e];
    keyAlternatives = [[canonicalExpr(e, scope)]];
    keyDisplay = [synthName];
  } else {
    const viable = rel.equiv.filter((e) => e.kind === 'ColumnRef');
    keyExprs = [viable[0]!];
    keyAlternatives = [viable.map((e) => canonicalExpr(e, scope))];
    keyDisplay = viable.map(formatExpr);
  }

  return {
    step, scope, sourceNames: rel.sources.map((s) => s.source.name),
    star: (q) => {
      const slots = rel.slots.filter((s) => q === undefined || s.alias === q);
      if (slots.length === 0) throw statementError(`Source '${q}' not found in scope.`);
      const out: { name: string; qualifier: string | undefined; outputName: string }[] = [];
      // `*` over a FULL OUTER join starts with the synthetic key.
      if (q === undefined && rel.synthetic) out.push({ name: synthName, qualifier: undefined, outputName: synthName });
      for (const s of slots) {
        const pseudo = 3 + (s.windowed ? 2 : 0);
        const keys = s.layout.slice(0, s.keyCount).map((c) => c.name);
        const values = s.layout.slice(s.keyCount, s.layout.length - pseudo).map((c) => c.name);
        const bounds = s.windowed ? ['WINDOWSTART', 'WINDOWEND'] : [];
        for (const name of [...keys, ...bounds, ...values]) out.push({ name, qualifier: s.alias, outputName: `${s.alias}_${name}` });
      }
      return out;
    },
    // A qualified column is prefixed with its alias when another source has a column of that name.
    refName: (r) => (r.source !== undefined && rel.slots.filter((s) => s.layout.some((c) => c.name === r.name)).length > 1
      ? `${r.source}_${r.name}` : r.name),
    join: { keyExprs, keyAlternatives, keyDisplay, syntheticKey: rel.synthetic },
  };
}

/** FK joins key their output by the left table's primary key: all of it must be selected. */
function checkFkProjection(query: Query, pk: readonly Expr[], scope: ReturnType<typeof joinScope>, alias: string): void {
  const canon = (e: Expr): string => canonicalExpr(e, scope);
  const missing = pk.filter((k) => !query.select.some((it) => {
    if (it.kind === 'AllColumns') return it.source === undefined || it.source === alias;
    return it.kind === 'SingleColumn' && canon(it.expr) === canon(k);
  })).map((k) => (k as Expr & { kind: 'ColumnRef' }).name);
  if (missing.length === 0) return;
  const plural = missing.length > 1;
  throw statementError(`Primary key column${plural ? 's' : ''} missing in projection. For foreign-key table-table joins, the projection must include all primary key columns from the left input table (\`${alias}\`). Missing column${plural ? 's' : ''}: ${missing.map((m) => `\`${m}\``).join(', ')}.`);
}

export { joinWords };
