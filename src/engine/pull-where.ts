// The WHERE clause of a pull query on a table, analysed as ksqlDB's QueryFilterNode does: rewritten
// to disjunctive normal form, validated disjunct by disjunct, and turned into key lookups, a key
// range scan or a table scan. Pure: values of key expressions come from the `resolve` callback.

import { statementError, type KsqlError } from '../common/errors.ts';
import { Decimal } from '../common/decimal.ts';
import { parseTimestamp } from '../common/temporal.ts';
import { formatType, quoteName, type SqlType } from '../common/sql-type.ts';
import { formatExpr } from '../analyzer/expr-format.ts';
import type { ComparisonOp, Expr } from '../sql/ast.ts';

export interface PullColumn {
  readonly name: string;
  readonly type: SqlType;
}

export interface WhereContext {
  readonly keys: readonly PullColumn[];
  /** Every column a comparison may name (keys, values, pseudo columns). */
  readonly columns: ReadonlyMap<string, PullColumn>;
  readonly windowed: boolean;
  readonly tableScansEnabled: boolean;
  readonly rangeScansEnabled: boolean;
  /** Evaluates a column-free expression; `type` null for NULL. */
  readonly resolve: (e: Expr) => { value: unknown; type: SqlType | null };
}

/** An interval of window starts, in ms; bounds undefined = open. */
export interface StartRange {
  readonly lo: number | undefined;
  readonly hi: number | undefined;
}

export type PullAccess =
  | { readonly kind: 'scan' }
  | { readonly kind: 'lookup'; readonly keys: readonly { readonly key: readonly unknown[]; readonly starts: StartRange }[] }
  | { readonly kind: 'range'; readonly op: '<' | '<=' | '>' | '>='; readonly bound: unknown };

const HELP = ' See https://cnfl.io/queries for more info.\nAdd EMIT CHANGES if you intended to issue a push query.';
const WINDOW_OPS: ReadonlySet<ComparisonOp> = new Set(['=', '<', '<=', '>', '>=']);
/** ksqlDB's ComparisonExpression.Type names, as messages show them. */
export const JAVA_OP: Record<ComparisonOp, string> = {
  '=': 'EQUAL', '<>': 'NOT_EQUAL', '<': 'LESS_THAN', '<=': 'LESS_THAN_OR_EQUAL', '>': 'GREATER_THAN',
  '>=': 'GREATER_THAN_OR_EQUAL', 'IS DISTINCT FROM': 'IS_DISTINCT_FROM', 'IS NOT DISTINCT FROM': 'IS_NOT_DISTINCT_FROM',
};

/** ksqlDB's invalidWhereClauseException text (the help that follows the reason). */
export function invalidWhere(msg: string, windowed: boolean): KsqlError {
  const extra = windowed
    ? '\n - (optionally) limits the time bounds of the windowed table.\n\t Bounds on [`WINDOWSTART`, `WINDOWEND`] are supported\n\t Supported operators are [EQUAL, GREATER_THAN, GREATER_THAN_OR_EQUAL, LESS_THAN, LESS_THAN_OR_EQUAL]'
    : '';
  return statementError(`${msg}. ${HELP}\nPull queries require a WHERE clause that:\n - includes a key equality expression, e.g. \`SELECT * FROM X WHERE <key-column> = Y;\`.\n - in the case of a multi-column key, is a conjunction of equality expressions that cover all key columns.\n - to support range expressions, e.g.,  SELECT * FROM X WHERE <key-column> < Y;\`, range scans need to be enabled by setting ksql.query.pull.range.scan.enabled=true${extra}\nIf more flexible queries are needed, , table scans can be enabled by setting ksql.query.pull.table.scan.enabled=true.`);
}

export function analyzeWhere(where: Expr | undefined, ctx: WhereContext): PullAccess {
  const access = where ? accessOf(where, ctx) : { kind: 'scan' as const };
  if (access.kind === 'scan' && !ctx.tableScansEnabled) {
    throw statementError('Query requires table scan to be enabled. Table scans can be enabled by setting ksql.query.pull.table.scan.enabled=true');
  }
  return access;
}

function accessOf(where: Expr, ctx: WhereContext): PullAccess {
  const disjuncts = disjunctsOf(dnf(pushNot(rewriteIn(rewriteBetween(where)), false)));
  if (disjuncts.some((d) => requiresTableScan(d, ctx))) return { kind: 'scan' };
  const constraints = disjuncts.map((d) => constraintOf(d, ctx));
  if (constraints.some((c) => c === undefined)) return { kind: 'scan' };
  const all = constraints as Constraint[];
  if (all.every((c) => c.op === '=')) {
    const seen = new Set<string>();
    const keys: { key: readonly unknown[]; starts: StartRange }[] = [];
    for (const c of all) {
      // Two disjuncts naming the same key and window range need one lookup.
      const id = JSON.stringify([c.key, c.starts], (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
      if (!seen.has(id)) keys.push({ key: c.key, starts: c.starts });
      seen.add(id);
    }
    return { kind: 'lookup', keys };
  }
  if (all.length === 1 && ctx.rangeScansEnabled && !ctx.windowed) {
    return { kind: 'range', op: all[0]!.op as '<' | '<=' | '>' | '>=', bound: all[0]!.key[0] };
  }
  return { kind: 'scan' };
}

// ---- rewriting: BETWEEN and IN become comparisons, NOT is pushed down, AND distributes over OR

function rewriteBetween(e: Expr): Expr {
  switch (e.kind) {
    case 'Between': {
      const both: Expr = {
        kind: 'Logical', op: 'AND', pos: e.pos,
        left: { kind: 'Comparison', op: '>=', left: e.operand, right: e.low, pos: e.pos },
        right: { kind: 'Comparison', op: '<=', left: e.operand, right: e.high, pos: e.pos },
      };
      return e.negated ? { kind: 'Not', operand: both, pos: e.pos } : both;
    }
    case 'Logical': return { ...e, left: rewriteBetween(e.left), right: rewriteBetween(e.right) };
    case 'Not': return { ...e, operand: rewriteBetween(e.operand) };
    default: return e;
  }
}

function rewriteIn(e: Expr): Expr {
  switch (e.kind) {
    case 'InList': {
      let out: Expr | undefined;
      for (const v of [...e.list].reverse()) {
        const cmp: Expr = { kind: 'Comparison', op: '=', left: e.operand, right: v, pos: e.pos };
        out = out ? { kind: 'Logical', op: 'OR', left: cmp, right: out, pos: e.pos } : cmp;
      }
      if (!out) return e;
      return e.negated ? { kind: 'Not', operand: out, pos: e.pos } : out;
    }
    case 'Logical': return { ...e, left: rewriteIn(e.left), right: rewriteIn(e.right) };
    case 'Not': return { ...e, operand: rewriteIn(e.operand) };
    default: return e;
  }
}

/** De Morgan down to the terms; a negated term stays wrapped in NOT (ksqlDB rejects it later). */
function pushNot(e: Expr, negated: boolean): Expr {
  if (e.kind === 'Not') return pushNot(e.operand, !negated);
  if (e.kind === 'Logical') {
    const op = negated ? (e.op === 'AND' ? 'OR' : 'AND') : e.op;
    return { ...e, op, left: pushNot(e.left, negated), right: pushNot(e.right, negated) };
  }
  return negated ? { kind: 'Not', operand: e, pos: e.pos } : e;
}

function dnf(e: Expr): Expr {
  if (e.kind !== 'Logical') return e;
  const left = dnf(e.left);
  const right = dnf(e.right);
  if (e.op === 'AND') {
    if (left.kind === 'Logical' && left.op === 'OR') {
      return { kind: 'Logical', op: 'OR', pos: e.pos, left: dnf({ ...e, left: left.left, right }), right: dnf({ ...e, left: left.right, right }) };
    }
    if (right.kind === 'Logical' && right.op === 'OR') {
      return { kind: 'Logical', op: 'OR', pos: e.pos, left: dnf({ ...e, left, right: right.left }), right: dnf({ ...e, left, right: right.right }) };
    }
  }
  return { ...e, left, right };
}

function disjunctsOf(e: Expr): Expr[] {
  if (e.kind === 'Logical' && e.op === 'OR') return [...disjunctsOf(e.left), ...disjunctsOf(e.right)];
  return [e];
}

// ---- validation (ksqlDB's Validator): true when the disjunct needs a table scan

function columnSide(e: Expr & { kind: 'Comparison' }): { column: string; other: Expr } | undefined {
  if (e.right.kind === 'ColumnRef') return { column: e.right.name, other: e.left };
  if (e.left.kind === 'ColumnRef') return { column: e.left.name, other: e.right };
  return undefined;
}

function hasColumnRef(e: Expr): boolean {
  let found = false;
  const visit = (x: Expr): void => {
    if (found) return;
    if (x.kind === 'ColumnRef') { found = true; return; }
    // Lambda parameters are not columns.
    if (x.kind === 'Lambda') return;
    forEachChild(x, visit);
  };
  visit(e);
  return found;
}

function forEachChild(x: Expr, f: (e: Expr) => void): void {
  switch (x.kind) {
    case 'Dereference': f(x.base); break;
    case 'Subscript': f(x.base); f(x.index); break;
    case 'Arithmetic': case 'Comparison': case 'Logical': case 'Concat': f(x.left); f(x.right); break;
    case 'Negate': case 'Not': case 'IsNull': case 'Cast': case 'AtTimeZone': f(x.operand); break;
    case 'Between': f(x.operand); f(x.low); f(x.high); break;
    case 'InList': f(x.operand); x.list.forEach(f); break;
    case 'Like': f(x.operand); f(x.pattern); break;
    case 'SearchedCase': x.whens.forEach((w) => { f(w.when); f(w.then); }); if (x.else) f(x.else); break;
    case 'SimpleCase': f(x.operand); x.whens.forEach((w) => { f(w.when); f(w.then); }); if (x.else) f(x.else); break;
    case 'FunctionCall': x.args.forEach(f); break;
    case 'Lambda': f(x.body); break;
    case 'ArrayConstructor': x.elements.forEach(f); break;
    case 'MapConstructor': x.entries.forEach((en) => { f(en.key); f(en.value); }); break;
    case 'StructConstructor': x.fields.forEach((fl) => f(fl.value)); break;
    default: break;
  }
}

function keyList(ctx: WhereContext): string {
  return `[${ctx.keys.map((k) => `${quoteName(k.name)} ${formatType(k.type)} KEY`).join(', ')}]`;
}

function requiresTableScan(disjunct: Expr, ctx: WhereContext): boolean {
  const seen = new Set<number>();
  let keyed = false;
  let scan = false;
  const scanOrThrow = (err: () => KsqlError): void => {
    if (!ctx.tableScansEnabled) throw err();
    scan = true;
  };
  const visit = (node: Expr): void => {
    if (node.kind !== 'Logical' && node.kind !== 'Comparison' && node.kind !== 'Like') {
      throw invalidWhere(`Unsupported expression in WHERE clause: ${formatExpr(node)}`, false);
    }
    if (node.kind === 'Logical') {
      if (node.op !== 'AND') scanOrThrow(() => invalidWhere(`Only AND expressions are supported: ${formatExpr(node)}`, false));
      visit(node.left);
      visit(node.right);
    } else if (node.kind === 'Comparison') {
      const side = columnSide(node);
      if (!side) return scanOrThrow(() => invalidWhere('A comparison must directly reference a key column', ctx.windowed));
      if (hasColumnRef(side.other)) {
        return scanOrThrow(() => invalidWhere('A comparison must be between a key column and a resolvable expression', ctx.windowed));
      }
      if (side.column === 'WINDOWSTART' || side.column === 'WINDOWEND') {
        if (!WINDOW_OPS.has(node.op)) throw invalidWhere(`Unsupported ${side.column} bounds: ${JAVA_OP[node.op]}`, true);
        if (!ctx.windowed) throw invalidWhere('Cannot use WINDOWSTART/WINDOWEND on non-windowed source', false);
        return;
      }
      if (!ctx.columns.has(side.column)) throw invalidWhere(`Bound on non-existent column ${side.column}`, ctx.windowed);
      const k = ctx.keys.findIndex((c) => c.name === side.column);
      if (k < 0) return;
      if (node.op === '<>' || node.op === 'IS DISTINCT FROM' || node.op === 'IS NOT DISTINCT FROM') {
        scanOrThrow(() => invalidWhere(`Bound on key columns '${keyList(ctx)}' must currently be '='`, ctx.windowed));
      }
      if (seen.has(k) && !ctx.tableScansEnabled) {
        throw invalidWhere('A comparison condition on the key column cannot be combined with other comparisons such as an IN predicate', ctx.windowed);
      }
      seen.add(k);
      keyed = true;
    } else if (node.operand.kind === 'ColumnRef') {
      const col = ctx.columns.get(node.operand.name);
      if (!col) throw invalidWhere(`Like condition on non-existent column ${node.operand.name}`, ctx.windowed);
      if (col.type.kind !== 'STRING') {
        throw invalidWhere(`The column type for Like condition must be VARCHAR. The column type is ${col.type.kind}`, ctx.windowed);
      }
      if (node.pattern.kind !== 'StringLiteral' && node.pattern.kind !== 'NullLiteral') {
        throw invalidWhere(`Like condition on non-string pattern ${node.pattern.kind}`, ctx.windowed);
      }
    } else {
      scanOrThrow(() => invalidWhere('Like condition must be between strings', ctx.windowed));
    }
  };
  visit(disjunct);
  if (scan) return true;
  if (!keyed) {
    if (ctx.tableScansEnabled) return true;
    throw invalidWhere(`WHERE clause missing key column for disjunct: ${formatExpr(disjunct)}`, ctx.windowed);
  }
  if (seen.size !== ctx.keys.length) {
    if (ctx.tableScansEnabled) return true;
    const names = [...seen].sort((a, b) => a - b).map((i) => quoteName(ctx.keys[i]!.name));
    throw invalidWhere(`Multi-column sources must specify every key in the WHERE clause. Specified: [${names.join(', ')}] Expected: ${keyList(ctx)}`, ctx.windowed);
  }
  return false;
}

// ---- key values and window bounds of one validated disjunct

interface Constraint {
  readonly op: ComparisonOp;
  readonly key: readonly unknown[];
  readonly starts: StartRange;
}

/** undefined: the disjunct cannot use the key (ksqlDB's NonKeyConstraint). */
function constraintOf(disjunct: Expr, ctx: WhereContext): Constraint | undefined {
  const key: unknown[] = new Array(ctx.keys.length).fill(undefined);
  const ops = new Map<number, ComparisonOp>();
  const bounds = new WindowBounds();
  const visit = (node: Expr): void => {
    if (node.kind === 'Logical') { visit(node.left); visit(node.right); return; }
    if (node.kind !== 'Comparison') return;
    const side = columnSide(node)!;
    const k = ctx.keys.findIndex((c) => c.name === side.column);
    if (k >= 0) {
      const value = resolveKey(side.other, ctx.keys[k]!, node, ctx);
      // The most selective: an equality wins over ranges; the first range otherwise.
      if (ops.get(k) === '=') return;
      if (node.op === '=' || !ops.has(k)) {
        key[k] = value;
        ops.set(k, node.op);
      }
    } else if (ctx.windowed && (side.column === 'WINDOWSTART' || side.column === 'WINDOWEND')) {
      bounds.add(node, side.column, side.other, ctx);
    }
  };
  visit(disjunct);
  if (ops.size === 0) return undefined;
  const starts = bounds.startRange();
  const allOps = [...ops.values()];
  if (allOps.length > 1) return allOps.every((o) => o === '=') ? { op: '=', key, starts } : undefined;
  const op = allOps[0]!;
  if (op === '=') return { op, key, starts };
  const t = ctx.keys[0]!.type.kind;
  if ((t === 'STRING' || t === 'BYTES') && ['<', '<=', '>', '>='].includes(op)) return { op, key, starts };
  return undefined;
}

function resolveKey(e: Expr, col: PullColumn, hint: Expr, ctx: WhereContext): unknown {
  const { value, type } = e.kind === 'NullLiteral' ? { value: null, type: null } : ctx.resolve(e);
  if (value === null || value === undefined) {
    throw statementError(`Primary key columns can not be NULL: ${formatExpr(hint)}`);
  }
  const out = type ? coerceStrict(value, type, col.type) : undefined;
  if (out === undefined) {
    throw statementError(`'${javaString(value)}' can not be converted to the type of the key column: ${col.name} ${formatType(col.type)} KEY`);
  }
  return out;
}

function javaString(v: unknown): string {
  if (v instanceof Uint8Array) return `[B@${Buffer.from(v).toString('hex').slice(0, 8)}`;
  return String(v);
}

/** ksqlDB's DefaultSqlValueCoercer.STRICT: same type, or a numeric widening. */
export function coerceStrict(v: unknown, from: SqlType, to: SqlType): unknown {
  const f = from.kind;
  switch (to.kind) {
    case 'INTEGER': return f === 'INTEGER' ? v : undefined;
    case 'BIGINT':
      if (f === 'BIGINT') return v;
      return f === 'INTEGER' ? BigInt(v as number) : undefined;
    case 'DOUBLE':
      if (f === 'DOUBLE' || f === 'INTEGER') return v;
      if (f === 'BIGINT') return Number(v as bigint);
      if (f === 'DECIMAL') return (v as Decimal).toNumber();
      return undefined;
    case 'DECIMAL':
      return decimalOf(v, from, to);
    default:
      return f === to.kind ? v : undefined;
  }
}

function decimalOf(v: unknown, from: SqlType, to: SqlType & { kind: 'DECIMAL' }): Decimal | undefined {
  if (from.kind !== 'INTEGER' && from.kind !== 'BIGINT' && from.kind !== 'DECIMAL') return undefined;
  const dec = v instanceof Decimal ? v : Decimal.fromBigInt(BigInt(v as number | bigint));
  try {
    // Keys of different scale encode differently: the key must carry the column's scale.
    const scaled = dec.setScale(to.scale);
    return scaled.precision() - scaled.scale > to.precision - to.scale ? undefined : scaled;
  } catch {
    return undefined;
  }
}

/** Window-start bounds of one disjunct, with ksqlDB's checks for duplicate and mixed bounds. */
class WindowBounds {
  readonly #set = new Map<string, number>();
  #startLo: { ms: number; open: boolean } | undefined;
  #startHi: { ms: number; open: boolean } | undefined;
  #startEq: number | undefined;

  add(node: Expr & { kind: 'Comparison' }, column: 'WINDOWSTART' | 'WINDOWEND', other: Expr, ctx: WhereContext): void {
    const inverted = node.right.kind === 'ColumnRef';
    const op = node.op;
    const kind = op === '=' ? 'equal'
      : (op === '<' || op === '<=') !== inverted ? 'upper' : 'lower';
    const ms = instantOf(other, ctx);
    const slot = `${column}:${kind}`;
    if (this.#set.has(slot)) throw invalidWhere(`Duplicate ${column} bounds on: ${kind === 'equal' ? 'EQUAL' : kind === 'upper' ? 'LESS_THAN' : 'GREATER_THAN'}`, true);
    this.#set.set(slot, ms);
    const hasEq = this.#set.has(`${column}:equal`);
    if (hasEq && (this.#set.has(`${column}:upper`) || this.#set.has(`${column}:lower`))) {
      throw invalidWhere(`\`${formatExpr(node)}\` cannot be combined with other ${column} bounds`, true);
    }
    if (column !== 'WINDOWSTART') return;
    const open = op === '<' || op === '>';
    if (kind === 'equal') this.#startEq = ms;
    else if (kind === 'upper') this.#startHi = { ms, open };
    else this.#startLo = { ms, open };
  }

  startRange(): StartRange {
    if (this.#startEq !== undefined) return { lo: this.#startEq, hi: this.#startEq };
    return {
      lo: this.#startLo ? this.#startLo.ms + (this.#startLo.open ? 1 : 0) : undefined,
      hi: this.#startHi ? this.#startHi.ms - (this.#startHi.open ? 1 : 0) : undefined,
    };
  }
}

function instantOf(e: Expr, ctx: WhereContext): number {
  if (e.kind === 'IntegerLiteral') return Number(e.text);
  if (e.kind === 'StringLiteral') {
    const ms = parseTimestamp(e.value);
    if (ms === undefined) throw invalidWhere(`Failed to parse datetime: ${e.value}`, true);
    return ms;
  }
  const { value, type } = ctx.resolve(e);
  if (type?.kind === 'INTEGER' || type?.kind === 'BIGINT') return Number(value);
  throw invalidWhere('Window bounds must resolve to an INT, BIGINT, or STRING containing a datetime.', true);
}
