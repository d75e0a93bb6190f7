// Null handling: COALESCE, IFNULL, NULLIF, and AS_VALUE (identity, used to copy key columns into
// the value). All are generic in T; later arguments are implicitly widened to the first's type.

import type { ScalarFunction } from '../function-types.ts';
import type { Match } from '../signature.ts';
import { P } from '../signature.ts';
import { valuesEqual } from './compare.ts';
import { defineScalar } from './define.ts';

const T = P.generic('T');

/** The bound T, or ksqlDB's complaint when every argument is a NULL literal. */
function typeOfT(name: string) {
  return (m: Match) => m.bindings.get('T') ?? { error: `Function '${name}' cannot be resolved: all arguments are NULL.` };
}

export const nullFunctions: readonly ScalarFunction[] = [
  defineScalar({
    name: 'COALESCE', errorName: 'COALESCE', category: 'CONDITIONAL',
    description: 'Returns the first non-null parameter.',
    overloads: [{ params: [T, T], variadic: true, names: ['first', 'others'], returns: typeOfT('COALESCE'), invoke: (a) => a.find((x) => x !== null) ?? null }],
  }),
  defineScalar({
    name: 'IFNULL', errorName: 'IFNULL', category: 'CONDITIONAL',
    description: 'Returns expression if not NULL, otherwise altValue.',
    overloads: [{ params: [T, T], names: ['expression', 'altValue'], returns: typeOfT('IFNULL'), invoke: (a) => (a[0] !== null ? a[0] : a[1]) }],
  }),
  defineScalar({
    name: 'NULLIF', errorName: 'NULLIF', category: 'CONDITIONAL',
    description: 'Returns NULL if expr1 equals expr2, otherwise expr1.',
    overloads: [{ params: [T, T], names: ['expr1', 'expr2'], returns: typeOfT('NULLIF'), invoke: (a) => (a[0] === null || valuesEqual(a[0], a[1]) ? null : a[0]) }],
  }),
  defineScalar({
    name: 'AS_VALUE', errorName: 'AS_VALUE', category: 'OTHER',
    description: 'Used exclusively in the projection of a query to allow a key column to be copied into the value schema.',
    overloads: [{ params: [T], names: ['keyColumn'], returns: typeOfT('AS_VALUE'), invoke: (a) => a[0] }],
  }),
];
