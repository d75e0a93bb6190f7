// Parses SELECT queries: select items, FROM with n-way joins and WITHIN windows, WINDOW clauses,
// WHERE / GROUP BY / PARTITION BY / HAVING / EMIT / LIMIT.

import type { AliasedSource, Duration, Expr, JoinType, Query, Relation, SelectItem, WindowExpr, WithinExpression } from './ast.ts';
import { CLAUSE_WORDS, timeUnitOf } from './keywords.ts';
import type { Cursor } from './parser-core.ts';
import { parseExpr } from './parser-expressions.ts';

export function parseQuery(c: Cursor): Query {
  const pos = c.expectWord('SELECT').pos;
  const select: SelectItem[] = [];
  do select.push(parseSelectItem(c));
  while (c.acceptOp(','));
  if (!c.isWord('FROM')) c.failNear();
  c.next();
  const from = parseRelation(c);
  const window = c.acceptWords('WINDOW') ? parseWindow(c) : undefined;
  const where = c.acceptWords('WHERE') ? parseExpr(c) : undefined;
  const groupBy = c.acceptWords('GROUP', 'BY') ? parseGroupBy(c) : undefined;
  const partitionBy = c.acceptWords('PARTITION', 'BY') ? parseExprList(c) : undefined;
  const having = c.acceptWords('HAVING') ? parseExpr(c) : undefined;
  let emit: Query['emit'];
  if (c.acceptWords('EMIT')) {
    if (c.acceptWords('CHANGES')) emit = 'CHANGES';
    else if (c.acceptWords('FINAL')) emit = 'FINAL';
    else c.failExpecting(["'CHANGES'", "'FINAL'"]);
  }
  const limit = c.acceptWords('LIMIT') ? parseLimit(c) : undefined;
  return { kind: 'Query', select, from, window, where, groupBy, partitionBy, having, emit, limit, pos };
}

/** A signed integer: a negative limit parses, and is rejected later for pull queries. */
function parseLimit(c: Cursor): number {
  const negative = c.isOp('-') && c.peek(1).type !== 'op';
  if (negative) c.next();
  const t = c.peek();
  if (t.type === 'decimal' || t.type === 'double') c.fail('Value must be integer for command: LIMIT', t.pos);
  return (negative ? -1 : 1) * c.expectInteger();
}

function parseSelectItem(c: Cursor): SelectItem {
  const pos = c.pos;
  if (c.acceptOp('*')) return { kind: 'AllColumns', source: undefined, pos };
  if (c.isIdentifier() && c.isOp('.', 1) && c.isOp('*', 2)) {
    const source = c.identifier();
    c.index += 2;
    return { kind: 'AllColumns', source, pos };
  }
  const expr = parseExpr(c);
  if (c.isOp('->') && c.isOp('*', 1)) {
    c.index += 2;
    return { kind: 'StructAll', base: expr, pos };
  }
  return { kind: 'SingleColumn', expr, alias: parseAlias(c), pos };
}

/** `AS name` or a bare name that is not the start of the next clause. */
function parseAlias(c: Cursor): string | undefined {
  if (c.acceptWords('AS')) return c.identifier();
  const t = c.peek();
  if (c.isIdentifier() && !(t.type === 'identifier' && CLAUSE_WORDS.has(t.value))) return c.identifier();
  return undefined;
}

function parseAliasedSource(c: Cursor): AliasedSource {
  const pos = c.pos;
  const name = c.identifier();
  return { kind: 'AliasedSource', name, alias: parseAlias(c), pos };
}

function parseRelation(c: Cursor): Relation {
  let left: Relation = parseAliasedSource(c);
  while (true) {
    const pos = c.pos;
    const type = parseJoinType(c);
    if (type === undefined) return left;
    const right = parseAliasedSource(c);
    const within = c.acceptWords('WITHIN') ? parseWithin(c) : undefined;
    if (!c.isWord('ON')) c.failExpecting(within === undefined ? ["'WITHIN'", "'ON'"] : ["'ON'"]);
    c.next();
    left = { kind: 'Join', left, right, type, within, on: parseExpr(c), pos };
  }
}

function parseJoinType(c: Cursor): JoinType | undefined {
  if (c.acceptWords('JOIN') || c.acceptWords('INNER', 'JOIN')) return 'INNER';
  for (const type of ['LEFT', 'RIGHT', 'FULL'] as const) {
    if (c.acceptWords(type, 'JOIN') || c.acceptWords(type, 'OUTER', 'JOIN')) return type;
  }
  return undefined;
}

function parseWithin(c: Cursor): WithinExpression {
  let before: Duration;
  let after: Duration;
  if (c.acceptOp('(')) {
    before = parseDuration(c);
    c.expectOp(',');
    after = parseDuration(c);
    c.expectOp(')');
  } else {
    before = after = parseDuration(c);
  }
  const grace = c.acceptWords('GRACE', 'PERIOD') ? parseDuration(c) : undefined;
  return { before, after, grace };
}

/** `n unit`, e.g. `30 SECONDS`. */
export function parseDuration(c: Cursor): Duration {
  const value = c.expectInteger();
  const t = c.peek();
  const unit = t.type === 'identifier' ? timeUnitOf(t.value) : undefined;
  if (unit === undefined) {
    c.failExpecting(["'MILLISECOND'", "'MILLISECONDS'", "'SECOND'", "'SECONDS'", "'MINUTE'", "'MINUTES'", "'HOUR'", "'HOURS'", "'DAY'", "'DAYS'"]);
  }
  c.next();
  return { value, unit };
}

function parseWindow(c: Cursor): WindowExpr {
  const pos = c.pos;
  const kind = c.acceptWords('TUMBLING') ? 'Tumbling' : c.acceptWords('HOPPING') ? 'Hopping' : c.acceptWords('SESSION') ? 'Session' : undefined;
  if (kind === undefined) c.failExpecting(["'TUMBLING'", "'HOPPING'", "'SESSION'"]);
  c.expectOp('(');
  let size: Duration | undefined;
  let advance: Duration | undefined;
  if (kind === 'Session') {
    size = parseDuration(c);
  } else {
    c.expectWord('SIZE');
    size = parseDuration(c);
    if (kind === 'Hopping') {
      c.expectOp(',');
      c.expectWord('ADVANCE');
      c.expectWord('BY');
      advance = parseDuration(c);
    }
  }
  let retention: Duration | undefined;
  let grace: Duration | undefined;
  while (c.acceptOp(',')) {
    if (retention === undefined && grace === undefined && c.acceptWords('RETENTION')) retention = parseDuration(c);
    else if (grace === undefined && c.acceptWords('GRACE', 'PERIOD')) grace = parseDuration(c);
    else c.failExpecting(retention === undefined && grace === undefined ? ["'RETENTION'", "'GRACE'"] : ["'GRACE'"]);
  }
  c.expectOp(')', ["','"]);
  if (kind === 'Session') return { kind, gap: size, retention, grace, pos };
  if (kind === 'Hopping') return { kind, size, advance: advance!, retention, grace, pos };
  return { kind, size, retention, grace, pos };
}

/** `GROUP BY a, b` or `GROUP BY (a, b)`; `(a + 1) * 2, b` is still a plain expression list. */
function parseGroupBy(c: Cursor): Expr[] {
  if (c.isOp('(')) {
    const mark = c.index;
    c.next();
    const list: Expr[] = [];
    if (!c.isOp(')')) {
      do list.push(parseExpr(c));
      while (c.acceptOp(','));
    }
    if (c.acceptOp(')') && endsGroupBy(c)) return list;
    c.index = mark;
  }
  return parseExprList(c);
}

function endsGroupBy(c: Cursor): boolean {
  const t = c.peek();
  return t.type === 'eof' || c.isOp(';') || c.isOp(')') || (t.type === 'identifier' && ['PARTITION', 'HAVING', 'EMIT', 'LIMIT'].includes(t.value));
}

function parseExprList(c: Cursor): Expr[] {
  const list: Expr[] = [];
  do list.push(parseExpr(c));
  while (c.acceptOp(','));
  return list;
}
