// Parses expressions. Boolean levels (OR < AND < NOT < one predicate) are plain recursive descent;
// value expressions (|| < + - < * / % < unary < postfix [ ] -> AT TIME ZONE) use precedence climbing.

import type { ArithmeticOp, ComparisonOp, Expr, Pos } from './ast.ts';
import type { Token } from './lexer.ts';
import { RESERVED, timeUnitOf } from './keywords.ts';
import type { Cursor } from './parser-core.ts';
import { parseTypeNode } from './parser-types.ts';

const BINARY_POWER: Readonly<Record<string, number>> = { '||': 1, '+': 2, '-': 2, '*': 3, '/': 3, '%': 3 };
const COMPARISONS: Readonly<Record<string, ComparisonOp>> = { '=': '=', '<>': '<>', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

const MIN_LONG = -(2n ** 63n);
const MAX_LONG = 2n ** 63n - 1n;

export function parseExpr(c: Cursor): Expr {
  let left = parseAnd(c);
  while (c.isWord('OR')) {
    c.next();
    left = { kind: 'Logical', op: 'OR', left, right: parseAnd(c), pos: left.pos };
  }
  return left;
}

function parseAnd(c: Cursor): Expr {
  let left = parseNot(c);
  while (c.isWord('AND')) {
    c.next();
    left = { kind: 'Logical', op: 'AND', left, right: parseNot(c), pos: left.pos };
  }
  return left;
}

function parseNot(c: Cursor): Expr {
  if (c.isWord('NOT')) {
    const pos = c.next().pos;
    return { kind: 'Not', operand: parseNot(c), pos };
  }
  return parsePredicated(c);
}

/** A value expression followed by at most one predicate (ksqlDB does not chain `a = b = c`). */
function parsePredicated(c: Cursor): Expr {
  const operand = parseValue(c);
  const pos = operand.pos;
  const t = c.peek();
  if (t.type === 'op' && Object.hasOwn(COMPARISONS, t.value)) {
    c.next();
    return { kind: 'Comparison', op: COMPARISONS[t.value]!, left: operand, right: parseValue(c), pos };
  }
  if (c.isWord('IS')) {
    c.next();
    const negated = c.acceptWords('NOT');
    if (c.acceptWords('NULL')) return { kind: 'IsNull', operand, negated, pos };
    if (c.acceptWords('DISTINCT', 'FROM')) {
      const op = negated ? 'IS NOT DISTINCT FROM' : 'IS DISTINCT FROM';
      return { kind: 'Comparison', op, left: operand, right: parseValue(c), pos };
    }
    c.failExpecting(negated ? ["'NULL'", "'DISTINCT'"] : ["'NOT'", "'NULL'", "'DISTINCT'"]);
  }
  const negated = c.isWord('NOT') && (c.isWord('BETWEEN', 1) || c.isWord('IN', 1) || c.isWord('LIKE', 1));
  if (negated) c.next();
  if (c.acceptWords('BETWEEN')) {
    const low = parseValue(c);
    c.expectWord('AND');
    return { kind: 'Between', operand, low, high: parseValue(c), negated, pos };
  }
  if (c.acceptWords('IN')) {
    c.expectOp('(');
    const list = commaList(c, ')', parseExpr);
    if (list.length === 0) c.failNear();
    c.expectOp(')', ["','"]);
    return { kind: 'InList', operand, list, negated, pos };
  }
  if (c.acceptWords('LIKE')) {
    const pattern = parseValue(c);
    const escape = c.acceptWords('ESCAPE') ? c.expectString() : undefined;
    return { kind: 'Like', operand, pattern, escape, negated, pos };
  }
  return operand;
}

/** Value expressions: binary operators by precedence climbing, left-associative. */
export function parseValue(c: Cursor, minPower = 1): Expr {
  let left = parseUnary(c);
  while (true) {
    const t = c.peek();
    const power = t.type === 'op' ? BINARY_POWER[t.value] : undefined;
    if (power === undefined || power < minPower) return left;
    c.next();
    const right = parseValue(c, power + 1);
    left = t.value === '||'
      ? { kind: 'Concat', left, right, pos: left.pos }
      : { kind: 'Arithmetic', op: t.value as ArithmeticOp, left, right, pos: left.pos };
  }
}

function parseUnary(c: Cursor): Expr {
  if (c.isOp('-') || c.isOp('+')) {
    const sign = c.next();
    const n = c.peek();
    // A sign directly on a number is part of the literal, so -9223372036854775808 is in range.
    if (sign.value === '-' && (n.type === 'integer' || n.type === 'decimal' || n.type === 'double')) {
      c.next();
      return parsePostfix(c, numberLiteral(c, n, '-' + n.value, sign.pos));
    }
    const operand = parseUnary(c);
    return sign.value === '-' ? { kind: 'Negate', operand, pos: sign.pos } : operand;
  }
  return parsePostfix(c, parsePrimary(c));
}

function parsePostfix(c: Cursor, base: Expr): Expr {
  let expr = base;
  while (true) {
    if (c.isOp('[')) {
      c.next();
      const index = parseExpr(c);
      c.expectOp(']');
      expr = { kind: 'Subscript', base: expr, index, pos: expr.pos };
    } else if (c.isOp('->') && !c.isOp('*', 1)) {
      // `->*` is left for the select list, which turns it into StructAll.
      c.next();
      expr = { kind: 'Dereference', base: expr, field: c.identifier(), pos: expr.pos };
    } else if (c.isWord('AT') && c.isWord('TIME', 1) && c.isWord('ZONE', 2)) {
      c.index += 3;
      expr = { kind: 'AtTimeZone', operand: expr, zone: c.expectString(), pos: expr.pos };
    } else {
      return expr;
    }
  }
}

function parsePrimary(c: Cursor): Expr {
  const t = c.peek();
  const pos = t.pos;
  switch (t.type) {
    case 'integer':
    case 'decimal':
    case 'double':
      c.next();
      return numberLiteral(c, t, t.value, pos);
    case 'string':
      c.next();
      return { kind: 'StringLiteral', value: t.value, pos };
    case 'op':
      if (t.value === '(') {
        c.next();
        const inner = parseExpr(c);
        c.expectOp(')');
        return inner;
      }
      return c.failNear();
    case 'identifier':
      return parseWordPrimary(c, t);
    case 'quotedIdentifier':
    case 'variable':
      return parseNamePrimary(c);
    default:
      return c.failNear();
  }
}

function parseWordPrimary(c: Cursor, t: Token): Expr {
  const pos = t.pos;
  switch (t.value) {
    case 'NULL':
      c.next();
      return { kind: 'NullLiteral', pos };
    case 'TRUE':
    case 'FALSE':
      c.next();
      return { kind: 'BooleanLiteral', value: t.value === 'TRUE', pos };
    case 'CASE':
      return parseCase(c);
    case 'CAST': {
      c.next();
      c.expectOp('(');
      const operand = parseExpr(c);
      c.expectWord('AS');
      const type = parseTypeNode(c);
      c.expectOp(')');
      return { kind: 'Cast', operand, type, pos };
    }
    case 'ARRAY':
      if (c.isOp('[', 1)) {
        c.index += 2;
        const elements = commaList(c, ']', parseExpr);
        c.expectOp(']', ["','"]);
        return { kind: 'ArrayConstructor', elements, pos };
      }
      break;
    case 'MAP':
      if (c.isOp('(', 1)) {
        c.index += 2;
        const entries = commaList(c, ')', () => {
          const key = parseExpr(c);
          c.expectOp(':=');
          return { key, value: parseExpr(c) };
        });
        c.expectOp(')', ["','"]);
        return { kind: 'MapConstructor', entries, pos };
      }
      break;
    case 'STRUCT':
      if (c.isOp('(', 1)) {
        c.index += 2;
        const fields = commaList(c, ')', () => {
          const name = c.identifier();
          c.expectOp(':=');
          return { name, value: parseExpr(c) };
        });
        c.expectOp(')', ["','"]);
        return { kind: 'StructConstructor', fields, pos };
      }
      break;
  }
  if (RESERVED.has(t.value)) c.failNear();
  return parseNamePrimary(c);
}

/** Primaries that start with a name: typed literal, function call, `src.col` or `col`. */
function parseNamePrimary(c: Cursor): Expr {
  const t = c.next();
  const pos = t.pos;
  const name = c.identifierText(t);
  if (c.peek().type === 'string') {
    return { kind: 'TypedLiteral', typeName: name, value: c.next().value, pos };
  }
  if (c.isOp('(')) return parseCall(c, name, pos);
  if (c.isOp('.') && c.isIdentifier(1)) {
    c.next();
    return { kind: 'ColumnRef', source: name, name: c.identifier(), pos };
  }
  return { kind: 'ColumnRef', source: undefined, name, pos };
}

function parseCall(c: Cursor, name: string, pos: Pos): Expr {
  c.expectOp('(');
  if (c.isOp('*') && c.isOp(')', 1)) {
    c.index += 2;
    return { kind: 'FunctionCall', name, args: [], star: true, pos };
  }
  const args = commaList(c, ')', parseArgument);
  c.expectOp(')', ["','"]);
  return { kind: 'FunctionCall', name, args, star: false, pos };
}

/** A function argument: a lambda, a bare time unit (TIMESTAMPADD(SECONDS, ...)) or an expression. */
function parseArgument(c: Cursor): Expr {
  const t = c.peek();
  const pos = t.pos;
  if (c.isIdentifier() && c.isOp('=>', 1)) {
    const param = c.identifier();
    c.next();
    return { kind: 'Lambda', params: [param], body: parseExpr(c), pos };
  }
  const arity = lambdaParamCount(c);
  if (arity > 0) {
    c.next();
    const params: string[] = [];
    do params.push(c.identifier());
    while (c.acceptOp(','));
    c.expectOp(')');
    c.expectOp('=>');
    return { kind: 'Lambda', params, body: parseExpr(c), pos };
  }
  const unit = t.type === 'identifier' && RESERVED.has(t.value) ? timeUnitOf(t.value) : undefined;
  if (unit !== undefined) {
    c.next();
    return { kind: 'TimeUnitLiteral', unit, pos };
  }
  return parseExpr(c);
}

/** If the tokens ahead are `(a, b, ...) =>`, the number of parameters; else 0. */
function lambdaParamCount(c: Cursor): number {
  if (!c.isOp('(')) return 0;
  let k = 1;
  let count = 0;
  while (c.isIdentifier(k)) {
    count++;
    k++;
    if (c.isOp(')', k)) return c.isOp('=>', k + 1) ? count : 0;
    if (!c.isOp(',', k)) return 0;
    k++;
  }
  return 0;
}

function parseCase(c: Cursor): Expr {
  const pos = c.expectWord('CASE').pos;
  const operand = c.isWord('WHEN') ? undefined : parseExpr(c);
  const whens: { when: Expr; then: Expr }[] = [];
  while (c.acceptWords('WHEN')) {
    const when = parseExpr(c);
    c.expectWord('THEN');
    whens.push({ when, then: parseExpr(c) });
  }
  if (whens.length === 0) c.failExpecting(["'WHEN'"]);
  const elseExpr = c.acceptWords('ELSE') ? parseExpr(c) : undefined;
  if (!c.isWord('END')) c.failExpecting(whens.length > 0 && elseExpr === undefined ? ["'WHEN'", "'ELSE'", "'END'"] : ["'END'"]);
  c.next();
  return operand === undefined
    ? { kind: 'SearchedCase', whens, else: elseExpr, pos }
    : { kind: 'SimpleCase', operand, whens, else: elseExpr, pos };
}

/** Items separated by `,` up to (not including) the closing `close`; empty if `close` is next. */
export function commaList<T>(c: Cursor, close: string, item: (c: Cursor) => T): T[] {
  const items: T[] = [];
  if (c.isOp(close)) return items;
  do items.push(item(c));
  while (c.acceptOp(','));
  return items;
}

/** Builds a number literal from its text, rejecting values ksqlDB cannot represent. */
export function numberLiteral(c: Cursor, t: Token, text: string, pos: Pos): Expr {
  if (t.type === 'integer') {
    const value = BigInt(text);
    if (value < MIN_LONG || value > MAX_LONG) c.fail(`line ${pos.line}:${pos.column}: Invalid numeric literal: ${text}`, pos);
    return { kind: 'IntegerLiteral', text, pos };
  }
  if (t.type === 'double') {
    if (!Number.isFinite(Number(text))) c.fail(`line ${pos.line}:${pos.column}: Number overflows DOUBLE: ${text}`, pos);
    return { kind: 'DoubleLiteral', text, pos };
  }
  return { kind: 'DecimalLiteral', text, pos };
}
