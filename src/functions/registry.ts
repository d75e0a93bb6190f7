// The built-in function registry: the scalar functions, ksqlDB's aggregates (UDAFs) and table
// functions (UDTFs). Reads the two collect-limit settings from the given ksql properties.

import { aggregateFunctions, DEFAULT_COLLECT_LIMIT } from './aggregate/index.ts';
import { createFunctionRegistry, type FunctionSet } from './function-registry.ts';
import type { FunctionRegistry } from './function-types.ts';
import { scalarFunctions } from './scalar/index.ts';
import { tableFunctions } from './table/index.ts';

export const COLLECT_LIST_LIMIT = 'ksql.functions.collect_list.limit';
export const COLLECT_SET_LIMIT = 'ksql.functions.collect_set.limit';

/**
 * `properties` are ksql config values (numbers or numeric strings, as in WITH/SET). `extra` adds
 * functions after the built-in ones (a built-in of the same name is replaced); the server never
 * passes any, the conformance runner passes ksqlDB's test-only functions.
 */
export function builtinFunctions(properties: Readonly<Record<string, unknown>> = {}, extra?: FunctionSet): FunctionRegistry {
  return createFunctionRegistry({
    scalars: [...scalarFunctions, ...(extra?.scalars ?? [])],
    aggregates: [
      ...aggregateFunctions({
        collectListLimit: limit(properties[COLLECT_LIST_LIMIT]),
        collectSetLimit: limit(properties[COLLECT_SET_LIMIT]),
      }),
      ...(extra?.aggregates ?? []),
    ],
    tables: [...tableFunctions, ...(extra?.tables ?? [])],
  });
}

function limit(v: unknown): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isInteger(n) && n >= 0 ? n : DEFAULT_COLLECT_LIMIT;
}
