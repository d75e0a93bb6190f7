// The ON clause of one join: resolves its column references to source aliases, checks it is a
// single equality whose sides each reference exactly one source, and orients it (left, right).

import { statementError } from '../common/errors.ts';
import type { SourceInfo } from '../engine/engine-api.ts';
import type { Expr, JoinNode } from '../sql/ast.ts';
import { formatExpr } from './expr-format.ts';
import { walkExpr } from './expr-walk.ts';
import { mapChildren } from './query-planner.ts';
import { PSEUDO_COLUMNS, WINDOW_BOUNDS } from './source-scope.ts';

export interface JoinSource {
  readonly alias: string;
  readonly source: SourceInfo;
}

export interface JoinCondition {
  /** Expression over the sources of the left relation, column refs qualified. */
  readonly left: Expr;
  /** Expression over the right source, column refs qualified. */
  readonly right: Expr;
  /** The condition as written, with qualified column refs: `(T.ID = 0)`. */
  readonly display: string;
  /** Each side as written (for messages that keep the written order). */
  readonly written: readonly [Expr, Expr];
}

function columnNames(s: SourceInfo): string[] {
  const names = [...s.schema.key, ...s.schema.value].map((c) => c.name);
  return [...names, ...PSEUDO_COLUMNS, ...(s.keyFormat.window ? WINDOW_BOUNDS : [])];
}

/** Qualifies every column reference with the alias of the source that owns it. */
export function qualify(e: Expr, sources: readonly JoinSource[]): Expr {
  const rewrite = (x: Expr): Expr => {
    if (x.kind !== 'ColumnRef') return mapChildren(x, rewrite);
    if (x.source !== undefined) {
      const s = sources.find((src) => src.alias === x.source);
      if (!s) throw statementError(`Failed to prepare statement: '${x.source}' is not a valid stream/table name or alias.`);
      if (!columnNames(s.source).includes(x.name)) throw statementError(`JOIN ON column '${x.source}.${x.name}' cannot be resolved.`);
      return x;
    }
    const owners = sources.filter((s) => columnNames(s.source).includes(x.name));
    if (owners.length === 0) throw statementError(`JOIN ON column '${x.name}' cannot be resolved.`);
    if (owners.length > 1) {
      const names = owners.map((o) => `${o.alias}.${x.name}`);
      throw statementError(`Column '${x.name}' is ambiguous. Could be ${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}.`);
    }
    return { ...x, source: owners[0]!.alias };
  };
  return rewrite(e);
}

export function referencedAliases(e: Expr): string[] {
  const out = new Set<string>();
  walkExpr(e, (x) => {
    if (x.kind === 'ColumnRef' && x.source !== undefined) out.add(x.source);
    return true;
  });
  return [...out];
}

/** Validates and orients the ON clause of `node`; `leftSources` are the sources already joined. */
export function joinCondition(node: JoinNode, leftSources: readonly JoinSource[], right: JoinSource, nested: boolean): JoinCondition {
  const on = node.on;
  const all = [...leftSources, right];
  if (on.kind !== 'Comparison' || on.op !== '=') {
    const q = qualify(on, all);
    if (on.kind === 'Logical') {
      throw statementError(`Invalid join condition: joins on multiple conditions are not yet supported. Got ${formatExpr(q)}.`);
    }
    throw statementError(`Unsupported join expression: ${formatExpr(q)}`);
  }
  const a = qualify(on.left, all);
  const b = qualify(on.right, all);
  const display = formatExpr({ ...on, left: a, right: b });
  const ra = referencedAliases(a);
  const rb = referencedAliases(b);
  for (const [side, refs] of [[a, ra], [b, rb]] as const) {
    if (refs.length !== 1) {
      throw statementError(`Invalid comparison expression '${formatExpr(side)}' in join '${display}'. Each side of the join comparision must contain references from exactly one source.`);
    }
  }
  if (ra[0] === rb[0]) {
    throw statementError(`Each side of the join must reference exactly one source and not the same source. Left side references \`${ra[0]}\` and right references \`${rb[0]}\``);
  }
  if (ra[0] !== right.alias && rb[0] !== right.alias) {
    throw statementError(`A join criteria is expected to reference the source (\`${right.alias}\`) in the FROM clause, instead the right source references \`${rb[0]}\` and the left source references \`${ra[0]}\``);
  }
  void nested;
  const flipped = ra[0] === right.alias;
  return { left: flipped ? b : a, right: flipped ? a : b, display, written: [a, b] };
}

/** `LEFT [OUTER] JOIN` etc., as ksqlDB prints join types in messages. */
export function joinTypeText(t: JoinNode['type']): string {
  switch (t) {
    case 'INNER': return '[INNER] JOIN';
    case 'LEFT': return 'LEFT [OUTER] JOIN';
    case 'RIGHT': return 'RIGHT [OUTER] JOIN';
    case 'FULL': return '[FULL] OUTER JOIN';
  }
}
