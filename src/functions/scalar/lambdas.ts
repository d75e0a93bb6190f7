// Higher-order functions over arrays and maps: TRANSFORM, FILTER, REDUCE. Lambda arguments arrive
// as LambdaValue; their parameter types come from the collection's (and REDUCE's state) type.

import type { SqlType } from '../../common/sql-type.ts';
import { arrayType, BOOLEAN, mapType } from '../../common/sql-type.ts';
import type { LambdaValue, ScalarFunction } from '../function-types.ts';
import type { Match } from '../signature.ts';
import { P } from '../signature.ts';
import { defineScalar } from './define.ts';

const [T, K, V, R, S, U] = ['T', 'K', 'V', 'R', 'S', 'U'].map(P.generic) as [ReturnType<typeof P.generic>, ReturnType<typeof P.generic>, ReturnType<typeof P.generic>, ReturnType<typeof P.generic>, ReturnType<typeof P.generic>, ReturnType<typeof P.generic>];
const BOOL = P.BOOLEAN;

const bound = (m: Match, name: string): SqlType | { readonly error: string } =>
  m.bindings.get(name) ?? { error: `Cannot infer the type of ${name}` };

export const lambdaFunctions: readonly ScalarFunction[] = [
  defineScalar({
    name: 'TRANSFORM', category: 'LAMBDA', description: 'Apply lambda functions to the elements of an array, or the keys and values of a map.',
    overloads: [
      {
        params: [P.array(T), P.lambda([T], R)], names: ['array', 'function'],
        returns: (m) => { const r = bound(m, 'R'); return 'error' in r ? r : arrayType(r); },
        invoke: (a) => (a[0] === null ? null : (a[0] as unknown[]).map((x) => (a[1] as LambdaValue)(x))),
      },
      {
        params: [P.map(K, V), P.lambda([K, V], R), P.lambda([K, V], U)], names: ['map', 'keyFunction', 'valueFunction'],
        returns: (m) => { const r = bound(m, 'R'); const u = bound(m, 'U'); return 'error' in r ? r : 'error' in u ? u : mapType(r, u); },
        invoke: (a) => {
          if (a[0] === null) return null;
          const out = new Map<unknown, unknown>();
          for (const [k, v] of a[0] as Map<unknown, unknown>) out.set((a[1] as LambdaValue)(k, v), (a[2] as LambdaValue)(k, v));
          return out;
        },
      },
    ],
  }),
  defineScalar({
    name: 'FILTER', category: 'LAMBDA', description: 'Filter the elements of an array or map with a lambda predicate.',
    overloads: [
      {
        params: [P.array(T), P.lambda([T], BOOL)], names: ['array', 'function'], returns: (m) => m.argTypes[0] ?? arrayType(BOOLEAN),
        invoke: (a) => (a[0] === null ? null : (a[0] as unknown[]).filter((x) => (a[1] as LambdaValue)(x) === true)),
      },
      {
        params: [P.map(K, V), P.lambda([K, V], BOOL)], names: ['map', 'biFunction'], returns: (m) => m.argTypes[0] ?? mapType(BOOLEAN, BOOLEAN),
        invoke: (a) => {
          if (a[0] === null) return null;
          const out = new Map<unknown, unknown>();
          for (const [k, v] of a[0] as Map<unknown, unknown>) if ((a[1] as LambdaValue)(k, v) === true) out.set(k, v);
          return out;
        },
      },
    ],
  }),
  defineScalar({
    name: 'REDUCE', category: 'LAMBDA', description: 'Reduce an array or map into a single value, starting from an initial state.',
    overloads: [
      {
        params: [P.array(T), S, P.lambda([S, T], S)], names: ['array', 'initialState', 'function'], returns: (m) => bound(m, 'S'),
        invoke: (a) => {
          if (a[1] === null) return null;
          if (a[0] === null) return a[1];
          let state: unknown = a[1];
          for (const x of a[0] as unknown[]) state = (a[2] as LambdaValue)(state, x);
          return state;
        },
      },
      {
        params: [P.map(K, V), S, P.lambda([S, K, V], S)], names: ['map', 'initialState', 'function'], returns: (m) => bound(m, 'S'),
        invoke: (a) => {
          if (a[1] === null) return null;
          if (a[0] === null) return a[1];
          let state: unknown = a[1];
          for (const [k, v] of a[0] as Map<unknown, unknown>) state = (a[2] as LambdaValue)(state, k, v);
          return state;
        },
      },
    ],
  }),
];
