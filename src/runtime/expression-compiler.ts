// Compiles BoundExprs into closures `(row, env) => value`, so that per-record evaluation is a
// few direct calls. Semantics follow ksqlDB: three-valued logic, Java integer overflow, exact
// decimals, 1-based array subscripts. A thrown error means "this expression failed for this row".

import type { BoundExpr } from '../analyzer/bound-expr.ts';
import { Decimal } from '../common/decimal.ts';
import type { SqlType } from '../common/sql-type.ts';
import { compileCast } from './cast.ts';
import { decimalAdd, decimalDivide, decimalMultiply, decimalNegate, decimalRemainder, decimalSubtract } from './decimal-math.ts';
import { compareValues, valuesEqual } from './value-compare.ts';
import type { Change } from './change.ts';
import type { OperatorContext } from './operator-context.ts';

export type Evaluator = (row: readonly unknown[], env: unknown[]) => unknown;

export function compileExpr(e: BoundExpr): Evaluator {
  switch (e.kind) {
    case 'Literal': {
      const v = e.value;
      return () => v;
    }
    case 'Column': {
      const i = e.index;
      return (row) => row[i] ?? null;
    }
    case 'LambdaParam': {
      const s = e.slot;
      return (_row, env) => env[s] ?? null;
    }
    case 'TimeUnit': {
      const u = e.unit;
      return () => u;
    }
    case 'Lambda': {
      const body = compileExpr(e.body);
      const params = e.params;
      return (row, env) => (...args: unknown[]) => {
        for (let i = 0; i < params.length; i++) env[params[i]!] = args[i] ?? null;
        return body(row, env);
      };
    }
    case 'Call': {
      // A failing argument is null for the function (COALESCE, IFNULL then still answer).
      const args = e.args.map((x) => orNull(compileExpr(x), x));
      const invoke = e.fn.invoke;
      if (args.length === 1) {
        const a0 = args[0]!;
        return (row, env) => invoke([a0(row, env)]) ?? null;
      }
      return (row, env) => invoke(args.map((a) => a(row, env))) ?? null;
    }
    case 'Arithmetic':
      return compileArithmetic(e);
    case 'Negate': {
      const operand = compileExpr(e.operand);
      const kind = e.type.kind;
      return (row, env) => {
        const v = operand(row, env);
        if (v === null) return null;
        if (kind === 'INTEGER') return -(v as number) | 0;
        if (kind === 'BIGINT') return BigInt.asIntN(64, -(v as bigint));
        if (kind === 'DECIMAL') return decimalNegate(v as Decimal);
        return -(v as number);
      };
    }
    case 'Compare':
      return compileCompare(e);
    case 'And': {
      const l = compileExpr(e.left);
      const r = compileExpr(e.right);
      return (row, env) => {
        const a = l(row, env);
        if (a === false) return false;
        const b = r(row, env);
        if (b === false) return false;
        return a === null || b === null ? null : true;
      };
    }
    case 'Or': {
      const l = compileExpr(e.left);
      const r = compileExpr(e.right);
      return (row, env) => {
        const a = l(row, env);
        if (a === true) return true;
        const b = r(row, env);
        if (b === true) return true;
        return a === null || b === null ? null : false;
      };
    }
    case 'Not': {
      const o = compileExpr(e.operand);
      return (row, env) => {
        const v = o(row, env);
        return v === null ? null : !v;
      };
    }
    case 'IsNull': {
      const o = compileExpr(e.operand);
      return e.negated ? (row, env) => o(row, env) !== null : (row, env) => o(row, env) === null;
    }
    case 'In': {
      // `list` holds one `operand = item` comparison per item.
      const tests = e.list.map(compileExpr);
      const negated = e.negated;
      const o = compileExpr(e.operand);
      return (row, env) => {
        if (o(row, env) === null) return false;
        for (const t of tests) {
          if (t(row, env) === true) return !negated;
        }
        return negated;
      };
    }
    case 'Like': {
      const o = compileExpr(e.operand);
      const p = compileExpr(e.pattern);
      const escape = e.escape;
      const negated = e.negated;
      let lastPattern: string | undefined;
      let lastRegex: RegExp | undefined;
      return (row, env) => {
        const v = o(row, env);
        const pat = p(row, env);
        if (v === null || pat === null) return null;
        if (pat !== lastPattern) {
          lastPattern = pat as string;
          lastRegex = likeToRegex(lastPattern, escape);
        }
        const m = lastRegex!.test(v as string);
        return negated ? !m : m;
      };
    }
    case 'Cast': {
      const o = compileExpr(e.operand);
      if (e.operand.type === null) return () => null;
      const cast = compileCast(e.operand.type, e.type);
      return (row, env) => {
        const v = o(row, env);
        return v === null ? null : cast(v);
      };
    }
    case 'Case': {
      const whens = e.whens.map((w) => ({ when: compileExpr(w.when), then: compileExpr(w.then) }));
      const otherwise = e.else ? compileExpr(e.else) : () => null;
      return (row, env) => {
        for (const w of whens) {
          if (w.when(row, env) === true) return w.then(row, env);
        }
        return otherwise(row, env);
      };
    }
    case 'Subscript': {
      const base = compileExpr(e.base);
      const index = compileExpr(e.index);
      if (e.base.type?.kind === 'MAP') {
        return (row, env) => {
          const m = base(row, env) as Map<unknown, unknown> | null;
          const k = index(row, env);
          if (m === null || k === null) return null;
          if (m.has(k)) return m.get(k) ?? null;
          for (const [mk, mv] of m) if (valuesEqual(mk, k)) return mv;
          return null;
        };
      }
      return (row, env) => {
        const a = base(row, env) as unknown[] | null;
        const i = index(row, env);
        if (a === null || i === null) return null;
        const n = Number(i);
        const pos = n > 0 ? n - 1 : a.length + n;
        return pos >= 0 && pos < a.length ? a[pos] ?? null : null;
      };
    }
    case 'Dereference': {
      const base = compileExpr(e.base);
      const field = e.field;
      return (row, env) => {
        const s = base(row, env) as Record<string, unknown> | null;
        return s === null ? null : s[field] ?? null;
      };
    }
    case 'ArrayCtor': {
      const els = e.elements.map((x) => orNull(compileExpr(x), x));
      return (row, env) => els.map((x) => x(row, env));
    }
    case 'MapCtor': {
      const entries = e.entries.map((x) => ({ key: orNull(compileExpr(x.key), x.key), value: orNull(compileExpr(x.value), x.value) }));
      return (row, env) => {
        const m = new Map<unknown, unknown>();
        for (const x of entries) m.set(x.key(row, env), x.value(row, env));
        return m;
      };
    }
    case 'StructCtor': {
      const fields = e.fields.map((f) => ({ name: f.name, value: orNull(compileExpr(f.value), f.value) }));
      return (row, env) => {
        const s: Record<string, unknown> = {};
        for (const f of fields) s[f.name] = f.value(row, env);
        return s;
      };
    }
  }
}

/**
 * Errors caught inside an expression: as in ksqlDB, a function argument or an ARRAY/MAP/STRUCT
 * constructor element that fails becomes null rather than failing the whole expression. The operator that evaluated the
 * expression drains them into the processing log; only the newest few are kept if nobody does.
 */
const caughtErrors: Error[] = [];
const MAX_CAUGHT = 64;

/** Nothing caught (the common case): one shared empty list, no allocation per call. */
const NONE_CAUGHT: readonly Error[] = Object.freeze([]);

/**
 * Logs what the expressions caught while an operator computed change `c` as its processing errors.
 * Every operator that evaluates expressions calls this (or drains) right after, so that an error
 * is never reported against another record or query.
 */
export function reportCaughtErrors(ctx: Pick<OperatorContext, 'processingError'>, what: string, c: Change): void {
  if (caughtErrors.length === 0) return;
  for (const err of caughtErrors.splice(0)) ctx.processingError('RECORD_PROCESSING_ERROR', `${what}: ${err.message}`, c);
}

export function drainCaughtErrors(): readonly Error[] {
  return caughtErrors.length === 0 ? NONE_CAUGHT : caughtErrors.splice(0);
}

function orNull(f: Evaluator, e: BoundExpr): Evaluator {
  if (e.kind === 'Literal' || e.kind === 'Column') return f; // cannot fail
  return (row, env) => {
    try {
      return f(row, env);
    } catch (err) {
      if (caughtErrors.length >= MAX_CAUGHT) caughtErrors.shift();
      caughtErrors.push(err as Error);
      return null;
    }
  };
}

function compileArithmetic(e: BoundExpr & { kind: 'Arithmetic' }): Evaluator {
  const l = compileExpr(e.left);
  const r = compileExpr(e.right);
  const op = e.op;
  const t: SqlType = e.type;
  let f: (a: unknown, b: unknown) => unknown;
  switch (t.kind) {
    case 'INTEGER':
      f = intOp(op);
      break;
    case 'BIGINT':
      f = bigintOp(op);
      break;
    case 'DOUBLE':
      f = doubleOp(op);
      break;
    case 'DECIMAL': {
      const toDec = (x: unknown): Decimal => (x instanceof Decimal ? x : new Decimal(typeof x === 'bigint' ? x : BigInt(x as number), 0));
      const scale = t.scale;
      const fn = { '+': decimalAdd, '-': decimalSubtract, '*': decimalMultiply, '/': decimalDivide, '%': decimalRemainder }[op];
      f = (a, b) => fn(toDec(a), toDec(b), scale);
      break;
    }
    case 'STRING':
      f = (a, b) => String(a) + String(b);
      break;
    default:
      throw new Error(`Unsupported arithmetic type ${t.kind}`);
  }
  return (row, env) => {
    const a = l(row, env);
    if (a === null) return null;
    const b = r(row, env);
    if (b === null) return null;
    return f(a, b);
  };
}

function intOp(op: string): (a: unknown, b: unknown) => unknown {
  switch (op) {
    case '+': return (a, b) => ((a as number) + (b as number)) | 0;
    case '-': return (a, b) => ((a as number) - (b as number)) | 0;
    case '*': return (a, b) => Math.imul(a as number, b as number);
    case '/': return (a, b) => {
      if (b === 0) throw new Error('/ by zero');
      return ((a as number) / (b as number)) | 0;
    };
    default: return (a, b) => {
      if (b === 0) throw new Error('/ by zero');
      return ((a as number) % (b as number)) | 0;
    };
  }
}

function bigintOp(op: string): (a: unknown, b: unknown) => unknown {
  switch (op) {
    case '+': return (a, b) => BigInt.asIntN(64, (a as bigint) + (b as bigint));
    case '-': return (a, b) => BigInt.asIntN(64, (a as bigint) - (b as bigint));
    case '*': return (a, b) => BigInt.asIntN(64, (a as bigint) * (b as bigint));
    case '/': return (a, b) => {
      if (b === 0n) throw new Error('/ by zero');
      return BigInt.asIntN(64, (a as bigint) / (b as bigint));
    };
    default: return (a, b) => {
      if (b === 0n) throw new Error('/ by zero');
      return (a as bigint) % (b as bigint);
    };
  }
}

function doubleOp(op: string): (a: unknown, b: unknown) => unknown {
  switch (op) {
    case '+': return (a, b) => (a as number) + (b as number);
    case '-': return (a, b) => (a as number) - (b as number);
    case '*': return (a, b) => (a as number) * (b as number);
    case '/': return (a, b) => (a as number) / (b as number);
    default: return (a, b) => (a as number) % (b as number);
  }
}

// ksqlDB compares like Java: a comparison with a NULL operand is false, not NULL.
function compileCompare(e: BoundExpr & { kind: 'Compare' }): Evaluator {
  const l = compileExpr(e.left);
  const r = compileExpr(e.right);
  switch (e.op) {
    case 'DISTINCT':
      return (row, env) => {
        const a = l(row, env);
        const b = r(row, env);
        if (a === null || b === null) return a !== b;
        return !valuesEqual(a, b);
      };
    case 'NOT DISTINCT':
      return (row, env) => {
        const a = l(row, env);
        const b = r(row, env);
        if (a === null || b === null) return a === b;
        return valuesEqual(a, b);
      };
    case '=':
      if (primitiveOfOneKind(e.left, e.right)) {
        // Two strings (or two booleans) are equal exactly when ===.
        return (row, env) => {
          const a = l(row, env);
          if (a === null) return false;
          const b = r(row, env);
          return b !== null && a === b;
        };
      }
      return (row, env) => {
        const a = l(row, env);
        if (a === null) return false;
        const b = r(row, env);
        if (b === null) return false;
        return valuesEqual(a, b);
      };
    case '<>':
      return (row, env) => {
        const a = l(row, env);
        if (a === null) return false;
        const b = r(row, env);
        if (b === null) return false;
        return !valuesEqual(a, b);
      };
    default: {
      const test = { '<': (c: number) => c < 0, '<=': (c: number) => c <= 0, '>': (c: number) => c > 0, '>=': (c: number) => c >= 0 }[e.op];
      return (row, env) => {
        const a = l(row, env);
        if (a === null) return false;
        const b = r(row, env);
        if (b === null) return false;
        return test(compareValues(a, b));
      };
    }
  }
}

/**
 * Both sides are STRING, or both BOOLEAN: JS primitives compared by ===. (Numbers are left to
 * valuesEqual, which also equates a BIGINT's bigint with an INTEGER's number.)
 */
function primitiveOfOneKind(a: BoundExpr, b: BoundExpr): boolean {
  const ka = a.type?.kind;
  return ka !== undefined && ka === b.type?.kind && (ka === 'STRING' || ka === 'BOOLEAN');
}

/** SQL LIKE pattern to an anchored RegExp: `%` any run, `_` one char, optional escape char. */
export function likeToRegex(pattern: string, escape: string | undefined): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (escape !== undefined && c === escape && i + 1 < pattern.length) {
      re += pattern[++i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    } else if (c === '%') re += '[\\s\\S]*';
    else if (c === '_') re += '[\\s\\S]';
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
