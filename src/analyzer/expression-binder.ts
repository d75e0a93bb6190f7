// Binds AST expressions to typed BoundExprs: resolves columns through a Scope, types literals,
// applies implicit widening, resolves functions (with lambdas) against the registry.
// Aggregate calls are not handled here: the aggregation analyzer rewrites them through `replace`.

import { statementError } from '../common/errors.ts';
import { Decimal } from '../common/decimal.ts';
import {
  arrayType, BIGINT, BOOLEAN, decimalType, DOUBLE, formatType, INTEGER, isNumeric, mapType, STRING, structType,
  TIMESTAMP, type SqlType,
} from '../common/sql-type.ts';
import type { ArgInfo, FunctionRegistry } from '../functions/function-types.ts';
import type { Expr } from '../sql/ast.ts';
import type { BoundExpr, CompareOp } from './bound-expr.ts';
import { formatExpr } from './expr-format.ts';
import { parseTimestamp } from '../common/temporal.ts';
import type { Scope } from './scope.ts';
import { asDecimalType, commonType, resolveType, type TypeLookup } from './type-resolver.ts';

export interface BindContext {
  readonly scope: Scope;
  readonly functions: FunctionRegistry;
  readonly types: TypeLookup;
  /** Clause name for error messages: "SELECT column 'X' cannot be resolved." */
  readonly clause?: string;
  /** Called on every node first; a result replaces normal binding (aggregation rewrites). */
  readonly replace?: (e: Expr) => BoundExpr | undefined;
  /** Lambda parameters in scope (innermost last). */
  readonly lambdas?: ReadonlyMap<string, { slot: number; type: SqlType }>;
  /** Next free lambda slot. */
  readonly nextSlot?: { value: number };
}

const INT_MIN = -2147483648n;
const INT_MAX = 2147483647n;
const LONG_MIN = -9223372036854775808n;
const LONG_MAX = 9223372036854775807n;

export function bindExpr(e: Expr, ctx: BindContext): BoundExpr {
  const replaced = ctx.replace?.(e);
  if (replaced) return replaced;
  switch (e.kind) {
    case 'NullLiteral':
      return { kind: 'Literal', type: null, value: null };
    case 'BooleanLiteral':
      return { kind: 'Literal', type: BOOLEAN, value: e.value };
    case 'IntegerLiteral': {
      const v = BigInt(e.text);
      if (v >= INT_MIN && v <= INT_MAX) return { kind: 'Literal', type: INTEGER, value: Number(v) };
      if (v >= LONG_MIN && v <= LONG_MAX) return { kind: 'Literal', type: BIGINT, value: v };
      throw statementError(`Invalid numeric literal: ${e.text}`);
    }
    case 'DecimalLiteral': {
      const d = Decimal.parse(e.text);
      return { kind: 'Literal', type: decimalType(Math.max(d.precision(), d.scale, 1), d.scale), value: d };
    }
    case 'DoubleLiteral': {
      const v = Number(e.text);
      if (!Number.isFinite(v)) throw statementError(`Number overflows DOUBLE: ${e.text}`);
      return { kind: 'Literal', type: DOUBLE, value: v };
    }
    case 'StringLiteral':
      return { kind: 'Literal', type: STRING, value: e.value };
    case 'TypedLiteral':
      return bindTypedLiteral(e.typeName, e.value);
    case 'TimeUnitLiteral':
      return { kind: 'TimeUnit', type: null, unit: e.unit };
    case 'ColumnRef':
      return bindColumn(e.source, e.name, ctx);
    case 'Dereference': {
      const base = bindExpr(e.base, ctx);
      if (base.type?.kind !== 'STRUCT') {
        throw statementError(`Can't dereference a non-struct: ${formatExpr(e.base)} is ${base.type ? formatType(base.type) : 'NULL'}`);
      }
      const field = base.type.fields.find((f) => f.name === e.field) ??
        base.type.fields.find((f) => f.name.toUpperCase() === e.field.toUpperCase());
      if (!field) throw statementError(`Could not find field '${e.field}' in '${formatExpr(e.base)}'.`);
      return { kind: 'Dereference', type: field.type, base, field: field.name };
    }
    case 'Subscript': {
      const base = bindExpr(e.base, ctx);
      const index = bindExpr(e.index, ctx);
      if (base.type?.kind === 'ARRAY') return { kind: 'Subscript', type: base.type.element, base, index };
      if (base.type?.kind === 'MAP') return { kind: 'Subscript', type: base.type.value, base, index };
      throw statementError(`Only MAP and ARRAY types can be subscripted: ${formatExpr(e.base)}`);
    }
    case 'Arithmetic':
      return bindArithmetic(e.op, bindExpr(e.left, ctx), bindExpr(e.right, ctx), e);
    case 'Negate': {
      const operand = bindExpr(e.operand, ctx);
      if (operand.type !== null && !isNumeric(operand.type)) {
        throw statementError(`Unsupported unary minus on ${formatType(operand.type)}: ${formatExpr(e)}`);
      }
      return { kind: 'Negate', type: operand.type ?? INTEGER, operand };
    }
    case 'Concat': {
      const left = bindExpr(e.left, ctx);
      const right = bindExpr(e.right, ctx);
      return callFunction('CONCAT', [left, right], ctx, e);
    }
    case 'Comparison':
      return bindComparison(e.op, bindExpr(e.left, ctx), bindExpr(e.right, ctx), e);
    case 'Logical': {
      const left = expectBoolean(bindExpr(e.left, ctx), e.left);
      const right = expectBoolean(bindExpr(e.right, ctx), e.right);
      return { kind: e.op === 'AND' ? 'And' : 'Or', type: BOOLEAN, left, right };
    }
    case 'Not':
      return { kind: 'Not', type: BOOLEAN, operand: expectBoolean(bindExpr(e.operand, ctx), e.operand) };
    case 'IsNull':
      return { kind: 'IsNull', type: BOOLEAN, operand: bindExpr(e.operand, ctx), negated: e.negated };
    case 'Between': {
      const operand = bindExpr(e.operand, ctx);
      const low = bindComparison('>=', operand, bindExpr(e.low, ctx), e);
      const high = bindComparison('<=', operand, bindExpr(e.high, ctx), e);
      const both: BoundExpr = { kind: 'And', type: BOOLEAN, left: low, right: high };
      return e.negated ? { kind: 'Not', type: BOOLEAN, operand: both } : both;
    }
    case 'InList': {
      const operand = bindExpr(e.operand, ctx);
      // Each item compares with the operand on its own (implicit widening per pair); literals are
      // converted to the operand's type first, as ksqlDB does ('4.000' matches INT 4).
      const comparisons = e.list.map((x) => {
        let item = bindExpr(x, ctx);
        if (operand.type !== null && item.kind === 'Literal' && item.type !== null && item.value !== null &&
          commonType(operand.type, item.type) === undefined) {
          item = convertLiteral(item, operand.type, e);
        }
        if (operand.type !== null && item.kind === 'ArrayCtor' && operand.type.kind === 'ARRAY' && commonType(operand.type, item.type) === undefined) {
          // ARRAY['3', null] compared with ARRAY<BIGINT>: its literals take the operand's element type.
          const et = operand.type.element;
          item = { kind: 'ArrayCtor', type: operand.type, elements: item.elements.map((el) => coerceElement(uncast(el), et, e)) };
        }
        try {
          return bindComparison('=', operand, item, e);
        } catch {
          throw statementError(`invalid input syntax for type ${operand.type ? formatType(operand.type) : 'NULL'}: "${formatExpr(x)}"`);
        }
      });
      return { kind: 'In', type: BOOLEAN, operand, list: comparisons, negated: e.negated, operandType: operand.type ?? STRING };
    }
    case 'Like': {
      const operand = bindExpr(e.operand, ctx);
      const pattern = bindExpr(e.pattern, ctx);
      for (const [x, ast] of [[operand, e.operand], [pattern, e.pattern]] as const) {
        if (x.type !== null && x.type.kind !== 'STRING') {
          throw statementError(`Unsupported type for LIKE: ${formatType(x.type)} in ${formatExpr(ast)}`);
        }
      }
      return { kind: 'Like', type: BOOLEAN, operand, pattern, escape: e.escape, negated: e.negated };
    }
    case 'Cast': {
      const operand = bindExpr(e.operand, ctx);
      const type = resolveType(e.type, ctx.types);
      const complex = (k: string): boolean => k === 'ARRAY' || k === 'MAP' || k === 'STRUCT';
      if (operand.type !== null && (complex(type.kind) || complex(operand.type.kind)) && operand.type.kind !== type.kind && type.kind !== 'STRING') {
        throw statementError(`Cast of ${formatType(operand.type)} to ${formatType(type)} is not supported`);
      }
      return { kind: 'Cast', type, operand };
    }
    case 'SearchedCase':
    case 'SimpleCase': {
      const operand = e.kind === 'SimpleCase' ? bindExpr(e.operand, ctx) : undefined;
      const whens = e.whens.map((w) => ({
        when: operand
          ? bindComparison('=', operand, bindExpr(w.when, ctx), w.when)
          : expectBoolean(bindExpr(w.when, ctx), w.when),
        then: bindExpr(w.then, ctx),
      }));
      const elseExpr = e.else ? bindExpr(e.else, ctx) : undefined;
      let t: SqlType | null = null;
      for (const r of [...whens.map((w) => w.then), ...(elseExpr ? [elseExpr] : [])]) {
        const c = commonType(t, r.type);
        if (c === undefined) {
          throw statementError(`Invalid Case expression. Type for all 'THEN' clauses should be the same.\nTHEN expression '${formatExpr(e)}' has type: ${r.type ? formatType(r.type) : 'NULL'}.`);
        }
        t = c;
      }
      if (t === null) throw statementError('Invalid Case expression. All case branches have NULL type');
      const type = t;
      return {
        kind: 'Case', type,
        whens: whens.map((w) => ({ when: w.when, then: coerce(w.then, type) })),
        else: elseExpr ? coerce(elseExpr, type) : undefined,
      };
    }
    case 'FunctionCall':
      return bindFunctionCall(e, ctx);
    case 'Lambda':
      throw statementError(`Lambda expressions are only allowed as function arguments: ${formatExpr(e)}`);
    case 'ArrayConstructor': {
      const elements = e.elements.map((x) => bindExpr(x, ctx));
      const t = elementType(elements);
      if (t === undefined) throw statementError(`invalid input syntax for type ${formatElementType(elements)}: "${formatExpr(e)}"`);
      if (t === null && elements.length === 0) throw statementError('Array constructor cannot be empty. Please supply at least one element (see https://github.com/confluentinc/ksql/issues/4239).');
      if (t === null) throw statementError('Cannot construct an array with all NULL elements (see https://github.com/confluentinc/ksql/issues/4239). As a workaround, you may cast a NULL value to the desired type.');
      const et = t;
      return { kind: 'ArrayCtor', type: arrayType(et), elements: elements.map((x) => coerceElement(x, et, e)) };
    }
    case 'MapConstructor': {
      const entries = e.entries.map((x) => ({ key: bindExpr(x.key, ctx), value: bindExpr(x.value, ctx) }));
      if (entries.length === 0) throw statementError('Map constructor cannot be empty. Please supply at least one key value pair (see https://github.com/confluentinc/ksql/issues/4239).');
      const kt = elementType(entries.map((x) => x.key));
      const vt = elementType(entries.map((x) => x.value));
      if (kt === undefined || vt === undefined) throw statementError(`Cannot construct a map with mismatching key or value types: ${formatExpr(e)}`);
      if (kt === null || vt === null) throw statementError('Cannot construct a map with all NULL keys or values (see https://github.com/confluentinc/ksql/issues/4239). As a workaround, you may cast a NULL key or value to the desired type.');
      const k = kt;
      const v = vt;
      return {
        kind: 'MapCtor', type: mapType(k, v),
        entries: entries.map((x) => ({ key: coerceElement(x.key, k, e), value: coerceElement(x.value, v, e) })),
      };
    }
    case 'StructConstructor': {
      const fields = e.fields.map((f) => ({ name: f.name, value: bindExpr(f.value, ctx) }));
      const seen = new Set<string>();
      for (const f of fields) {
        if (seen.has(f.name)) throw statementError(`Duplicate field names found in STRUCT: '${f.name}'`);
        seen.add(f.name);
      }
      return {
        kind: 'StructCtor',
        type: structType(fields.map((f) => ({ name: f.name, type: f.value.type ?? STRING }))),
        fields: fields.map((f) => ({ name: f.name, value: f.value.type === null ? { kind: 'Literal', type: STRING, value: null } : f.value })),
      };
    }
    case 'AtTimeZone':
      throw statementError(`AT TIME ZONE is not supported: ${formatExpr(e)}`);
  }
}

/**
 * The element type of an ARRAY or MAP constructor: the common type of all elements (implicit
 * widening), or else, as ksqlDB coerces, the common type of the non-literal elements, to which
 * the literals are then converted ('2e1' into BIGINT, 10 into STRING, 'no' into BOOLEAN).
 * Undefined when there is none; null when every element is NULL.
 */
function elementType(elements: readonly BoundExpr[]): SqlType | null | undefined {
  const fold = (xs: readonly BoundExpr[]): SqlType | null | undefined => {
    let t: SqlType | null = null;
    for (const x of xs) {
      const c = commonType(t, x.type);
      if (c === undefined) return undefined;
      t = c;
    }
    return t;
  };
  const all = fold(elements);
  if (all !== undefined) return all;
  // Numbers written as string literals join the numeric type ('2e1' next to BIGINT: DECIMAL(19, 0)).
  const isStringLiteral = (x: BoundExpr): x is BoundExpr & { kind: 'Literal' } =>
    x.kind === 'Literal' && x.type?.kind === 'STRING' && typeof x.value === 'string';
  const numeric = fold(elements.filter((x) => !isStringLiteral(x)));
  if (numeric && NUMERIC_KINDS.has(numeric.kind)) {
    let t: SqlType | null | undefined = numeric;
    for (const x of elements.filter(isStringLiteral)) t = t && commonType(t, numericLiteralType(x.value as string) ?? null);
    if (t) return t;
  }
  const fromColumns = fold(elements.filter((x) => x.kind !== 'Literal'));
  return fromColumns === null ? undefined : fromColumns;
}

const NUMERIC_KINDS = new Set(['INTEGER', 'BIGINT', 'DECIMAL', 'DOUBLE']);

/** The type a numeric string literal would have as a number literal; undefined if it is not one. */
function numericLiteralType(text: string): SqlType | undefined {
  const t = text.trim();
  if (/^[+-]?\d+$/.test(t)) {
    const n = BigInt(t);
    return n >= -2147483648n && n <= 2147483647n ? INTEGER : BIGINT;
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return undefined;
  const d = Decimal.parse(t);
  return decimalType(Math.max(d.precision(), d.scale, 1), d.scale);
}

/** The type named in "invalid input syntax" when no element type exists: the one up to the misfit. */
function formatElementType(elements: readonly BoundExpr[]): string {
  let t: SqlType | null = null;
  for (const x of elements) {
    const c = commonType(t, x.type);
    if (c === undefined) break;
    t = c;
  }
  return t ? formatType(t) : 'NULL';
}

/** A literal a constructor wrapped in a cast to its element type, unwrapped again. */
function uncast(x: BoundExpr): BoundExpr {
  return x.kind === 'Cast' && x.operand.kind === 'Literal' ? x.operand : x;
}

/** Coerces one constructor element to the element type, converting literals the type does not widen to. */
function coerceElement(x: BoundExpr, to: SqlType, ast: Expr): BoundExpr {
  if (x.kind === 'Literal' && x.type !== null && x.value !== null && commonType(to, x.type) === undefined) {
    return coerce(convertLiteral(x, to, ast), to);
  }
  return coerce(x, to);
}

/** Converts a literal to `to` at plan time (string literals parsed, numbers narrowed exactly). */
function convertLiteral(item: BoundExpr & { kind: 'Literal' }, to: SqlType, ast: Expr): BoundExpr {
  const fail = (): never => {
    throw statementError(`invalid input syntax for type ${formatType(to)}: "${formatExpr(ast)}"`);
  };
  const text = item.value instanceof Decimal ? item.value.toString() : String(item.value);
  switch (to.kind) {
    case 'BOOLEAN': {
      const t = text.toLowerCase();
      if (t.length > 0 && ('true'.startsWith(t) || 'yes'.startsWith(t))) return { kind: 'Literal', type: BOOLEAN, value: true };
      if (t.length > 0 && ('false'.startsWith(t) || 'no'.startsWith(t))) return { kind: 'Literal', type: BOOLEAN, value: false };
      return fail();
    }
    case 'INTEGER': case 'BIGINT': case 'DOUBLE': case 'DECIMAL': {
      if (!/^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(text)) return fail();
      const d = Decimal.parse(text.trim());
      if (to.kind === 'DOUBLE') return { kind: 'Literal', type: DOUBLE, value: Number(text) };
      if (to.kind === 'DECIMAL') return { kind: 'Literal', type: decimalType(Math.max(d.precision(), d.scale, 1), d.scale), value: d };
      const whole = d.setScale(0);
      if (!whole.equalsValue(d)) return { kind: 'Literal', type: to, value: null };
      return to.kind === 'INTEGER' ? { kind: 'Literal', type: INTEGER, value: Number(whole.unscaled) } : { kind: 'Literal', type: BIGINT, value: whole.unscaled };
    }
    case 'STRING':
      return { kind: 'Literal', type: STRING, value: text };
    case 'TIMESTAMP': case 'DATE': case 'TIME':
      if (item.type?.kind === 'STRING') return { kind: 'Cast', type: to, operand: item };
      return fail();
    default:
      return fail();
  }
}

function bindTypedLiteral(typeName: string, value: string): BoundExpr {
  // `TIMESTAMP '...'`-style literals are not ksql; keep the string and let the consumer cast.
  throw statementError(`Unknown literal type: ${typeName} '${value}'`);
}

function bindColumn(source: string | undefined, name: string, ctx: BindContext): BoundExpr {
  if (source === undefined) {
    const lambda = ctx.lambdas?.get(name);
    if (lambda) return { kind: 'LambdaParam', type: lambda.type, slot: lambda.slot, name };
  }
  if (source !== undefined && !ctx.scope.qualifiers.has(source)) {
    throw statementError(`Source '${source}' not found in scope. Valid sources: [${[...ctx.scope.qualifiers].join(', ')}]`);
  }
  const col = ctx.scope.lookup(source, name);
  if (!col) {
    const shown = source ? `${source}.${name}` : name;
    throw statementError(`${ctx.clause ?? 'SELECT'} column '${shown}' cannot be resolved.`);
  }
  return { kind: 'Column', type: col.type, index: col.index, name: col.name };
}

function expectBoolean(b: BoundExpr, ast: Expr): BoundExpr {
  if (b.type !== null && b.type.kind !== 'BOOLEAN') {
    throw statementError(`Type error in expression: ${formatExpr(ast)} should be BOOLEAN but is ${formatType(b.type)}`);
  }
  return b;
}

/** Wraps `b` in a widening cast when its type differs from `to` (no-op for NULL and equal types). */
export function coerce(b: BoundExpr, to: SqlType): BoundExpr {
  if (b.type === null) return { kind: 'Literal', type: to, value: null };
  if (formatType(b.type) === formatType(to)) return b;
  return { kind: 'Cast', type: to, operand: b };
}

function bindArithmetic(op: '+' | '-' | '*' | '/' | '%', left: BoundExpr, right: BoundExpr, ast: Expr): BoundExpr {
  const lt = left.type;
  const rt = right.type;
  if (lt === null || rt === null) {
    throw statementError(`Error processing expression: ${formatExpr(ast)}. Arithmetic on types ${lt ? formatType(lt) : 'null'} and ${rt ? formatType(rt) : 'null'} are not supported.`);
  }
  if (lt.kind === 'STRING' && rt.kind === 'STRING' && op === '+') {
    return { kind: 'Arithmetic', type: STRING, op, left, right };
  }
  const l = lt;
  const r = rt;
  if (!isNumeric(l) || !isNumeric(r)) {
    throw statementError(`Error processing expression: ${formatExpr(ast)}. Arithmetic on types ${formatType(lt)} and ${formatType(rt)} are not supported.`);
  }
  let type: SqlType;
  if (l.kind === 'DOUBLE' || r.kind === 'DOUBLE') type = DOUBLE;
  else if (l.kind === 'DECIMAL' || r.kind === 'DECIMAL') type = decimalResultType(op, asDecimalType(l), asDecimalType(r));
  else if (l.kind === 'BIGINT' || r.kind === 'BIGINT') type = BIGINT;
  else type = INTEGER;
  const operandType = type.kind === 'DECIMAL' ? undefined : type;
  return {
    kind: 'Arithmetic', type, op,
    left: operandType ? coerce(left, operandType) : left,
    right: operandType ? coerce(right, operandType) : right,
  };
}

/** ksqlDB's result precision and scale of DECIMAL arithmetic. */
function decimalResultType(op: string, a: { precision: number; scale: number }, b: { precision: number; scale: number }): SqlType {
  let p: number;
  let s: number;
  switch (op) {
    case '+':
    case '-':
      s = Math.max(a.scale, b.scale);
      p = Math.max(a.precision - a.scale, b.precision - b.scale) + s + 1;
      break;
    case '*':
      p = a.precision + b.precision + 1;
      s = a.scale + b.scale;
      break;
    case '/':
      s = Math.max(6, a.scale + b.precision + 1);
      p = a.precision - a.scale + b.scale + s;
      break;
    default:
      s = Math.max(a.scale, b.scale);
      p = Math.min(a.precision - a.scale, b.precision - b.scale) + s;
  }
  if (p > 38) {
    s = Math.max(0, s - (p - 38));
    p = 38;
  }
  return decimalType(p, s);
}

function bindComparison(
  op: '=' | '<>' | '<' | '<=' | '>' | '>=' | 'IS DISTINCT FROM' | 'IS NOT DISTINCT FROM',
  left: BoundExpr, right: BoundExpr, ast: Expr,
): BoundExpr {
  const cop: CompareOp = op === 'IS DISTINCT FROM' ? 'DISTINCT' : op === 'IS NOT DISTINCT FROM' ? 'NOT DISTINCT' : op;
  if (left.kind === 'Literal' && left.type === null && right.kind === 'Literal' && right.type === null) {
    throw statementError(`Comparison with NULL not supported: NULL ${op} NULL`);
  }
  // ROWTIME / WINDOWSTART / WINDOWEND compare with timestamp strings ("magic" conversion).
  left = magicTimestamp(left, right);
  right = magicTimestamp(right, left);
  const lt = left.type;
  const rt = right.type;
  let operandType: SqlType | null | undefined = commonType(lt, rt);
  // Temporal columns compare with strings (the string is parsed as the temporal type).
  if (operandType === undefined && lt && rt) {
    const temporal = ['TIMESTAMP', 'DATE', 'TIME'];
    if (temporal.includes(lt.kind) && rt.kind === 'STRING') operandType = lt;
    else if (temporal.includes(rt.kind) && lt.kind === 'STRING') operandType = rt;
    else if ((lt.kind === 'TIMESTAMP' && rt.kind === 'DATE') || (lt.kind === 'DATE' && rt.kind === 'TIMESTAMP')) operandType = TIMESTAMP;
  }
  if (operandType === undefined) {
    throw statementError(`Error in ${formatExpr(ast)}: Cannot compare ${formatExpr(exprOf(ast, 'left'))} (${lt ? formatType(lt) : 'NULL'}) to ${formatExpr(exprOf(ast, 'right'))} (${rt ? formatType(rt) : 'NULL'}) with ${op}.`);
  }
  const t = operandType ?? STRING;
  if ((t.kind === 'ARRAY' || t.kind === 'MAP' || t.kind === 'STRUCT' || t.kind === 'BOOLEAN') && !['=', '<>', 'DISTINCT', 'NOT DISTINCT'].includes(cop)) {
    throw statementError(`Cannot compare ${formatType(t)} with ${op}.`);
  }
  return { kind: 'Compare', type: BOOLEAN, op: cop, left: coerce(left, t), right: coerce(right, t), operandType: t };
}

function magicTimestamp(side: BoundExpr, other: BoundExpr): BoundExpr {
  if (side.kind !== 'Literal' || side.type?.kind !== 'STRING' || typeof side.value !== 'string') return side;
  if (other.kind !== 'Column' || other.type.kind !== 'BIGINT' || !['ROWTIME', 'WINDOWSTART', 'WINDOWEND'].includes(other.name)) return side;
  const ms = parseTimestamp(side.value);
  if (ms === undefined) throw statementError(`Failed to parse timestamp '${side.value}'`);
  return { kind: 'Literal', type: BIGINT, value: BigInt(ms) };
}

function exprOf(ast: Expr, side: 'left' | 'right'): Expr {
  if (ast.kind === 'Comparison') return ast[side];
  return ast;
}

function bindFunctionCall(e: Expr & { kind: 'FunctionCall' }, ctx: BindContext): BoundExpr {
  const name = e.name.toUpperCase();
  if (ctx.functions.aggregate(name) && !ctx.functions.scalar(name)) {
    throw statementError(`Aggregate functions can not be used here: ${formatExpr(e)}`, undefined);
  }
  if (ctx.functions.table(name) && !ctx.functions.scalar(name)) {
    throw statementError(`Table functions can only be used in the SELECT list: ${formatExpr(e)}`);
  }
  const fn = ctx.functions.scalar(name);
  if (!fn) throw statementError(`Can't find any functions with the name '${name}'`);
  const args: BoundExpr[] = [];
  const infos: ArgInfo[] = [];
  for (let i = 0; i < e.args.length; i++) {
    const a = e.args[i]!;
    if (a.kind === 'Lambda') {
      const paramTypes = fn.lambdaParamTypes?.(infos, i);
      if (!paramTypes || paramTypes.length !== a.params.length) {
        throw statementError(`Function '${name}' does not accept lambda parameters (${a.params.join(', ')}).`);
      }
      const slots = ctx.nextSlot ?? { value: 0 };
      const lambdas = new Map(ctx.lambdas ?? []);
      const paramSlots: number[] = [];
      a.params.forEach((p, j) => {
        const slot = slots.value++;
        paramSlots.push(slot);
        lambdas.set(p, { slot, type: paramTypes[j]! });
      });
      const body = bindExpr(a.body, { ...ctx, lambdas, nextSlot: slots });
      const returns = body.type ?? STRING;
      args.push({ kind: 'Lambda', params: paramSlots, body, type: returns });
      infos.push({ type: { kind: 'lambda', params: paramTypes, returns } });
      continue;
    }
    const b = bindExpr(a, ctx);
    args.push(b);
    infos.push(argInfo(b));
  }
  const resolved = fn.resolve(infos);
  if ('error' in resolved) throw statementError(resolved.error);
  return { kind: 'Call', type: resolved.returnType, name, fn: resolved, args };
}

export function argInfo(b: BoundExpr): ArgInfo {
  if (b.kind === 'TimeUnit') return { type: { kind: 'timeUnit' }, constant: { value: b.unit } };
  if (b.type === null) return { type: { kind: 'null' }, constant: { value: null } };
  if (b.kind === 'Literal') return { type: { kind: 'value', type: b.type }, constant: { value: b.value } };
  return { type: { kind: 'value', type: b.type } };
}

function callFunction(name: string, args: BoundExpr[], ctx: BindContext, ast: Expr): BoundExpr {
  const fn = ctx.functions.scalar(name);
  if (!fn) throw statementError(`Can't find any functions with the name '${name}'`);
  const resolved = fn.resolve(args.map(argInfo));
  if ('error' in resolved) throw statementError(`${resolved.error} (in ${formatExpr(ast)})`);
  return { kind: 'Call', type: resolved.returnType, name, fn: resolved, args };
}

