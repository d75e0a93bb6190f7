// The contract between the analyzer and the built-in functions: how a call is resolved against
// argument types (overloads, implicit widening, lambdas) and what the resolved implementation
// looks like at run time. Values follow src/common/values.ts.

import type { SqlType } from '../common/sql-type.ts';

/** The type of one argument at resolution time. */
export type ArgType =
  /** An ordinary argument of a known type. */
  | { readonly kind: 'value'; readonly type: SqlType }
  /** A NULL literal: matches any parameter type. */
  | { readonly kind: 'null' }
  /** A lambda, already typed: its parameter types and the type of its body. */
  | { readonly kind: 'lambda'; readonly params: readonly SqlType[]; readonly returns: SqlType }
  /** A bare time unit (TIMESTAMPADD(SECONDS, ...)). */
  | { readonly kind: 'timeUnit' };

export interface ArgInfo {
  readonly type: ArgType;
  /** The value when the argument is a literal (after constant folding), else undefined. */
  readonly constant?: { readonly value: unknown };
  /** The argument's SQL text as ksqlDB formats it (`F0`), for error messages; optional. */
  readonly text?: string;
}

/** A runtime lambda: called with one value per parameter. */
export type LambdaValue = (...params: unknown[]) => unknown;

export type FunctionCategory =
  | 'MATHEMATICAL' | 'STRING' | 'DATE / TIME' | 'ARRAY' | 'MAP' | 'JSON' | 'URL' | 'CONDITIONAL'
  | 'CONVERSIONS' | 'LAMBDA' | 'AGGREGATE' | 'TABLE' | 'OTHER' | 'REGULAR EXPRESSION';

export interface FunctionDoc {
  readonly name: string;
  readonly description: string;
  readonly category: FunctionCategory;
  /** Human-readable overloads for DESCRIBE FUNCTION, e.g. `ABS(col1 INT)` -> `INT`. */
  readonly signatures: readonly { readonly args: string; readonly returns: string; readonly description?: string }[];
}

export interface ResolvedScalar {
  readonly returnType: SqlType;
  /**
   * Evaluates the call. `args` are already evaluated (lambda arguments are LambdaValue).
   * Most ksqlDB functions return null when an argument is null; the implementation decides.
   * Throwing means "this record fails": the engine writes a processing-log entry and uses null.
   */
  readonly invoke: (args: unknown[]) => unknown;
}

export interface ScalarFunction {
  readonly doc: FunctionDoc;
  /**
   * Lambda parameter types for the lambda at `lambdaIndex`, given the types of the arguments before
   * it (e.g. TRANSFORM(ARRAY<INT>, x => ...) -> [INTEGER]). Undefined if not applicable.
   */
  lambdaParamTypes?(argsBefore: readonly ArgInfo[], lambdaIndex: number): readonly SqlType[] | undefined;
  /** The overload for these arguments, or an error message (ksqlDB's wording) when none fits. */
  resolve(args: readonly ArgInfo[]): ResolvedScalar | { readonly error: string };
}

/**
 * A resolved aggregate. `A` is the accumulator; it is stored in state stores and changelogs, so it
 * must be representable as a value of `accumulatorType` (see src/common/values.ts).
 */
export interface ResolvedAggregate<A = unknown> {
  readonly returnType: SqlType;
  readonly accumulatorType: SqlType;
  /**
   * How many leading call arguments are evaluated per row and passed to add/undo, literals
   * included (SUM(2) adds 2 per row). The trailing rest are literal parameters (TOPK's k,
   * LATEST_BY_OFFSET's n and ignoreNulls), consumed by `resolve`.
   */
  readonly inputArgCount: number;
  initial(): A;
  /**
   * Returns the new accumulator; must not mutate `acc`. `args` are the values of the first
   * `inputArgCount` arguments, as evaluated (an implicitly widened argument arrives unconverted;
   * the aggregate converts it). `args` is reused for the next row: keep its values, never the array.
   */
  add(acc: A, args: readonly unknown[]): A;
  /** For aggregations over tables: removes an earlier value (same rule for `args`). Absent = not supported on tables. */
  undo?(acc: A, args: readonly unknown[]): A;
  /** Session-window merge. */
  merge(a: A, b: A): A;
  /** The output value. */
  result(acc: A): unknown;
}

export interface AggregateFunction {
  readonly doc: FunctionDoc;
  /**
   * `args` includes constant arguments (e.g. TOPK's k, LATEST_BY_OFFSET's n) with their values.
   * Returns the aggregate or an error message.
   */
  resolve(args: readonly ArgInfo[]): ResolvedAggregate | { readonly error: string };
}

export interface ResolvedTableFunction {
  readonly returnType: SqlType;
  /** The rows the call expands to (one output row per element). */
  readonly invoke: (args: unknown[]) => unknown[];
}

export interface TableFunction {
  readonly doc: FunctionDoc;
  resolve(args: readonly ArgInfo[]): ResolvedTableFunction | { readonly error: string };
}

export interface FunctionRegistry {
  scalar(name: string): ScalarFunction | undefined;
  aggregate(name: string): AggregateFunction | undefined;
  table(name: string): TableFunction | undefined;
  /** Every function, for SHOW FUNCTIONS. */
  list(): readonly { readonly name: string; readonly type: 'SCALAR' | 'AGGREGATE' | 'TABLE'; readonly category: string }[];
}
