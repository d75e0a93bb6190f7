// ksqlDB's test-only functions (TEST_UDF, BAD_UDF, the variadic test UDAFs, TEST_UDTF, ...). ksqlDB's
// functional-test runner loads them from its test classpath; the conformance runner passes them to
// the engine it opens (EngineOptions.extraFunctions). They are never part of the server's registry.
// Behaviour is what the corpus documents for each of them (case names and expected outputs).

import { Decimal } from '../common/decimal.ts';
import {
  arrayType, BIGINT, BOOLEAN, decimalType, INTEGER, STRING, structType, typesEqual, type SqlType,
} from '../common/sql-type.ts';
import { isStruct } from '../common/values.ts';
import { aggregateDoc, argType, literalValue, noOverload } from '../functions/aggregate/resolve.ts';
import type { FunctionSet } from '../functions/function-registry.ts';
import type {
  AggregateFunction, ArgInfo, ResolvedAggregate, ResolvedTableFunction, ScalarFunction, TableFunction,
} from '../functions/function-types.ts';
import { defineScalar } from '../functions/scalar/define.ts';
import { P } from '../functions/signature.ts';
import { valueToString } from '../runtime/cast.ts';

const fail = (message: string): never => {
  throw new Error(message);
};

// ---- scalar functions ------------------------------------------------------------------------

/** Overloads that name themselves, so tests can see which one resolution picked. */
const TEST_UDF = defineScalar({
  name: 'TEST_UDF',
  category: 'OTHER',
  description: 'Test UDF: reports the overload chosen; reads or builds a STRUCT<A STRING>.',
  overloads: [
    { params: [P.INT, P.STRING], returns: STRING, invoke: () => 'doStuffIntString' },
    { params: [P.BIGINT, P.STRING], returns: STRING, invoke: () => 'doStuffLongString' },
    { params: [P.BIGINT, P.BIGINT, P.STRING], returns: STRING, invoke: () => 'doStuffLongLongString' },
    { params: [P.BIGINT], variadic: true, returns: STRING, invoke: () => 'doStuffLongVarargs' },
    {
      params: [P.STRUCT], returns: STRING,
      invoke: ([s]) => (isStruct(s) ? ((s as Record<string, unknown>)['A'] ?? null) : null),
    },
    { params: [], returns: structType([{ name: 'A', type: STRING }]), invoke: () => ({ A: 'foo' }) },
  ],
});

/** Fails on purpose: BOOLEAN fails when true, INT always, STRING on every other call. */
function badUdf(): ScalarFunction {
  return defineScalar({
    name: 'BAD_UDF',
    category: 'OTHER',
    description: 'Test UDF that throws.',
    overloads: [
      { params: [P.BOOLEAN], returns: INTEGER, invoke: ([b]) => (b === true ? fail('boom: asked to throw') : 0) },
      { params: [P.INT], returns: INTEGER, invoke: () => fail('boom: always throws') },
      {
        params: [P.STRING], returns: STRING,
        build: () => {
          let calls = 0;
          return ([s]) => (++calls % 2 === 1 ? fail('boom: every other call throws') : s);
        },
      },
    ],
  });
}

/** For CASE laziness: fail when evaluated although `shouldBeEvaluated` is false. */
const WHENCONDITION = defineScalar({
  name: 'WHENCONDITION',
  category: 'OTHER',
  description: 'Test UDF: returns its first argument; throws if it was not meant to be evaluated.',
  overloads: [{
    params: [P.BOOLEAN, P.BOOLEAN], returns: BOOLEAN,
    invoke: ([v, should]) => (should === true ? v : fail('WHENCONDITION evaluated when it should not be')),
  }],
});

const WHENRESULT = defineScalar({
  name: 'WHENRESULT',
  category: 'OTHER',
  description: 'Test UDF: returns its first argument; throws if it was not meant to be evaluated.',
  overloads: [{
    params: [P.INT, P.BOOLEAN], returns: INTEGER,
    invoke: ([v, should]) => (should === true ? v : fail('WHENRESULT evaluated when it should not be')),
  }],
});

// ---- table functions -------------------------------------------------------------------------

function typeOf(args: readonly ArgInfo[]): (SqlType | null | undefined)[] {
  return args.map(argType);
}

/**
 * TEST_UDTF(x): one row, x itself. With several arguments: one STRING row per scalar argument,
 * per array element and per map value, in argument order.
 */
const TEST_UDTF: TableFunction = {
  doc: {
    name: 'TEST_UDTF', description: 'Test UDTF.', category: 'TABLE',
    signatures: [{ args: 'T', returns: 'T' }, { args: 'ANY...', returns: 'STRING' }],
  },
  resolve(args): ResolvedTableFunction | { error: string } {
    const types = typeOf(args);
    if (types.length === 0 || types.some((t) => t === undefined)) return noOverload('TEST_UDTF', args);
    if (types.length === 1) {
      // Its DECIMAL overload declares DECIMAL(30, 10) as the result.
      const t = types[0] ?? STRING;
      const returnType = t.kind === 'DECIMAL' ? decimalType(30, 10) : t;
      return { returnType, invoke: (a) => [a[0] instanceof Decimal ? a[0].setScale(10) : a[0]] };
    }
    const str = (v: unknown, t: SqlType | null): string | null => (v === null || t === null ? null : valueToString(v, t));
    return {
      returnType: STRING,
      invoke: (a) => a.flatMap((v, i) => {
        const t = types[i] ?? null;
        if (v === null || t === null) return [null];
        if (t.kind === 'ARRAY') return (v as unknown[]).map((x) => str(x, t.element));
        if (t.kind === 'MAP') return [...(v as Map<unknown, unknown>).values()].map((x) => str(x, t.value));
        return [str(v, t)];
      }),
    };
  },
};

const THROWING_UDTF: TableFunction = {
  doc: {
    name: 'THROWING_UDTF', description: 'Test UDTF: throws when its argument is true.', category: 'TABLE',
    signatures: [{ args: 'BOOLEAN', returns: 'BOOLEAN' }],
  },
  resolve(args) {
    const t = args.length === 1 ? argType(args[0]!) : undefined;
    if (t !== null && t?.kind !== 'BOOLEAN') return noOverload('THROWING_UDTF', args);
    return { returnType: BOOLEAN, invoke: (a) => (a[0] === true ? fail('THROWING_UDTF asked to throw') : [a[0]]) };
  },
};

// ---- aggregate functions ---------------------------------------------------------------------

/** A BIGINT accumulator that adds numbers as they are and strings by their length (nulls add 0). */
function weight(v: unknown): bigint {
  if (v === null || v === undefined) return 0n;
  if (typeof v === 'string') return BigInt(v.length);
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(Math.trunc(v));
  return 0n;
}

function sumAggregate(initial: bigint, inputArgCount: number): ResolvedAggregate<bigint> {
  const total = (args: readonly unknown[]): bigint => args.reduce<bigint>((s, v) => s + weight(v), 0n);
  return {
    returnType: BIGINT, accumulatorType: BIGINT, inputArgCount,
    initial: () => initial,
    add: (acc, a) => acc + total(a),
    undo: (acc, a) => acc - total(a),
    merge: (x, y) => x + y - initial,
    result: (acc) => acc,
  };
}

const is = (t: SqlType | null | undefined, kind: SqlType['kind']): boolean => t === null || t?.kind === kind;

/** The literal values of args[from..], or an error when one is not a literal of `kind`. */
function literals(name: string, args: readonly ArgInfo[], from: number, kinds: readonly SqlType['kind'][]): unknown[] | { error: string } {
  const out: unknown[] = [];
  for (let i = from; i < args.length; i++) {
    if (!is(argType(args[i]!), kinds[Math.min(i - from, kinds.length - 1)]!)) return noOverload(name, args);
    const lit = literalValue(name, args, i);
    if ('error' in lit) return lit;
    out.push(lit.value);
  }
  return out;
}

/** VAR_ARG(BIGINT, STRING...): sums the number and the lengths of the strings. */
const VAR_ARG: AggregateFunction = {
  doc: aggregateDoc('VAR_ARG', 'Test UDAF with a variadic column argument.', [{ args: 'BIGINT, STRING...', returns: 'BIGINT' }]),
  resolve(args) {
    const t = typeOf(args);
    if (!is(t[0], 'BIGINT') || t.slice(1).some((x) => !is(x, 'STRING'))) return noOverload('VAR_ARG', args);
    return sumAggregate(0n, args.length);
  },
};

/** MID_VAR_ARG(BIGINT, STRING..., INT init1, INT init2): like VAR_ARG, starting at init1 + init2. */
const MID_VAR_ARG: AggregateFunction = {
  doc: aggregateDoc('MID_VAR_ARG', 'Test UDAF with variadic columns between fixed arguments.', [
    { args: 'BIGINT, STRING..., INT, INT', returns: 'BIGINT' },
  ]),
  resolve(args) {
    const t = typeOf(args);
    const n = args.length;
    if (n < 3 || !is(t[0], 'BIGINT') || t.slice(1, n - 2).some((x) => !is(x, 'STRING'))) return noOverload('MID_VAR_ARG', args);
    const init = literals('MID_VAR_ARG', args, n - 2, ['INTEGER']);
    if ('error' in init) return init;
    return sumAggregate(init.reduce<bigint>((s, v) => s + weight(v), 0n), n - 2);
  },
};

/** MULTI_ARG(BIGINT, STRING, INT init, STRING... init): starts at init + the lengths of the init strings. */
function multiArg(name: string, columns: readonly SqlType['kind'][]): AggregateFunction {
  return {
    doc: aggregateDoc(name, 'Test UDAF with several column and initial arguments.', [
      { args: `${columns.join(', ')}, INT, STRING...`, returns: 'BIGINT' },
    ]),
    resolve(args) {
      const t = typeOf(args);
      const c = columns.length;
      if (args.length < c + 1 || columns.some((k, i) => !is(t[i], k))) return noOverload(name, args);
      const init = literals(name, args, c, ['INTEGER', 'STRING']);
      if ('error' in init) return init;
      return sumAggregate(init.reduce<bigint>((s, v) => s + weight(v), 0n), c);
    },
  };
}

/** Collects `first` into an array, but only from rows where every argument is non-null. */
function collectWhenComplete(returnType: SqlType, inputArgCount: number): ResolvedAggregate<readonly unknown[]> {
  return {
    returnType, accumulatorType: returnType, inputArgCount,
    initial: () => [],
    add: (acc, a) => (a.some((v) => v === null) ? acc : [...acc, a[0]]),
    merge: (x, y) => [...x, ...y],
    result: (acc) => acc,
  };
}

/** GENERIC_VAR_ARG(T, INT, U...) -> ARRAY<T>. */
const GENERIC_VAR_ARG: AggregateFunction = {
  doc: aggregateDoc('GENERIC_VAR_ARG', 'Test UDAF with generic and variadic arguments.', [{ args: 'T, INT, U...', returns: 'ARRAY<T>' }]),
  resolve(args) {
    const t = typeOf(args);
    const first = t[0];
    const rest = t.slice(2).filter((x) => x !== null);
    const sameRest = rest.every((x) => x && typesEqual(x, rest[0]!));
    if (!first || args.length < 2 || !is(t[1], 'INTEGER') || !sameRest) return noOverload('GENERIC_VAR_ARG', args);
    return collectWhenComplete(arrayType(first), args.length);
  },
};

/** OBJ_COL_ARG(INT, ANY...) -> ARRAY<INT>. */
const OBJ_COL_ARG: AggregateFunction = {
  doc: aggregateDoc('OBJ_COL_ARG', 'Test UDAF with a variadic argument of any types.', [{ args: 'INT, OBJECT...', returns: 'ARRAY<INT>' }]),
  resolve(args) {
    const t = typeOf(args);
    if (args.length < 1 || !is(t[0], 'INTEGER') || t.some((x) => x === undefined)) return noOverload('OBJ_COL_ARG', args);
    return collectWhenComplete(arrayType(INTEGER), args.length);
  },
};

/** Sum for one numeric type, with subtraction for tables. */
function numericOps(t: SqlType): { zero: unknown; add: (a: unknown, b: unknown) => unknown; sub: (a: unknown, b: unknown) => unknown } | undefined {
  switch (t.kind) {
    case 'INTEGER':
      return { zero: 0, add: (a, b) => ((a as number) + (b as number)) | 0, sub: (a, b) => ((a as number) - (b as number)) | 0 };
    case 'BIGINT':
      return { zero: 0n, add: (a, b) => BigInt.asIntN(64, (a as bigint) + (b as bigint)), sub: (a, b) => BigInt.asIntN(64, (a as bigint) - (b as bigint)) };
    case 'DOUBLE':
      return { zero: 0, add: (a, b) => (a as number) + (b as number), sub: (a, b) => (a as number) - (b as number) };
    case 'DECIMAL':
      return {
        zero: new Decimal(0n, t.scale),
        add: (a, b) => new Decimal((a as Decimal).setScale(t.scale).unscaled + (b as Decimal).setScale(t.scale).unscaled, t.scale),
        sub: (a, b) => new Decimal((a as Decimal).setScale(t.scale).unscaled - (b as Decimal).setScale(t.scale).unscaled, t.scale),
      };
    default:
      return undefined;
  }
}

/** TEST_UDAF: sums numbers, or the fields of a STRUCT of numbers field by field; nulls are skipped. */
const TEST_UDAF: AggregateFunction = {
  doc: aggregateDoc('TEST_UDAF', 'Test UDAF: a sum.', [
    { args: 'INT', returns: 'INT' }, { args: 'BIGINT', returns: 'BIGINT' }, { args: 'DOUBLE', returns: 'DOUBLE' },
    { args: 'STRUCT', returns: 'STRUCT' },
  ]),
  resolve(args) {
    const t = args.length === 1 ? argType(args[0]!) : undefined;
    if (!t) return noOverload('TEST_UDAF', args);
    if (t.kind === 'STRUCT') {
      const fields = t.fields.map((f) => ({ name: f.name, ops: numericOps(f.type) }));
      if (fields.some((f) => !f.ops)) return noOverload('TEST_UDAF', args);
      const combine = (op: 'add' | 'sub') => (acc: unknown, a: readonly unknown[]): unknown => {
        const v = a[0] as Record<string, unknown> | null;
        if (v === null) return acc;
        const s = acc as Record<string, unknown>;
        return Object.fromEntries(fields.map((f) => {
          const x = v[f.name] ?? null;
          return [f.name, x === null ? s[f.name] : f.ops![op](s[f.name], x)];
        }));
      };
      const agg: ResolvedAggregate = {
        returnType: t, accumulatorType: t, inputArgCount: 1,
        initial: () => Object.fromEntries(fields.map((f) => [f.name, f.ops!.zero])),
        add: combine('add'), undo: combine('sub'),
        merge: (x, y) => combine('add')(x, [y]),
        result: (acc) => acc,
      };
      return agg;
    }
    const ops = numericOps(t);
    if (!ops) return noOverload('TEST_UDAF', args);
    const agg: ResolvedAggregate = {
      returnType: t, accumulatorType: t, inputArgCount: 1,
      initial: () => ops.zero,
      add: (acc, a) => (a[0] === null ? acc : ops.add(acc, a[0])),
      undo: (acc, a) => (a[0] === null ? acc : ops.sub(acc, a[0])),
      merge: (x, y) => ops.add(x, y),
      result: (acc) => acc,
    };
    return agg;
  },
};

/** A fresh set per engine: BAD_UDF keeps a call counter per resolved call. */
export const TEST_FUNCTIONS: FunctionSet = {
  get scalars() {
    return [TEST_UDF, badUdf(), WHENCONDITION, WHENRESULT];
  },
  aggregates: [
    VAR_ARG, MID_VAR_ARG, multiArg('MULTI_ARG', ['BIGINT', 'STRING']),
    multiArg('FIVE_ARG', ['BIGINT', 'STRING', 'STRING', 'STRING', 'INTEGER']),
    GENERIC_VAR_ARG, OBJ_COL_ARG, TEST_UDAF,
  ],
  tables: [TEST_UDTF, THROWING_UDTF],
};
