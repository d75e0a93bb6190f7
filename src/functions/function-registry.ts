// A FunctionRegistry over given scalar, aggregate and table functions: case-insensitive lookup
// by doc.name, and the listing SHOW FUNCTIONS prints. Knows no particular function.

import type { AggregateFunction, FunctionRegistry, ScalarFunction, TableFunction } from './function-types.ts';

export interface FunctionSet {
  readonly scalars: Iterable<ScalarFunction>;
  readonly aggregates: Iterable<AggregateFunction>;
  readonly tables: Iterable<TableFunction>;
}

type Listing = ReturnType<FunctionRegistry['list']>;

export function createFunctionRegistry(set: FunctionSet): FunctionRegistry {
  const byName = <F extends { readonly doc: { readonly name: string } }>(fns: Iterable<F>): Map<string, F> => {
    const m = new Map<string, F>();
    for (const f of fns) m.set(f.doc.name.toUpperCase(), f);
    return m;
  };
  const scalars = byName(set.scalars);
  const aggregates = byName(set.aggregates);
  const tables = byName(set.tables);
  const listing: Listing = Object.freeze(
    [
      ...[...scalars.values()].map((f) => ({ name: f.doc.name.toUpperCase(), type: 'SCALAR' as const, category: f.doc.category })),
      ...[...aggregates.values()].map((f) => ({ name: f.doc.name.toUpperCase(), type: 'AGGREGATE' as const, category: f.doc.category })),
      ...[...tables.values()].map((f) => ({ name: f.doc.name.toUpperCase(), type: 'TABLE' as const, category: f.doc.category })),
    ].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  );
  return {
    scalar: (name) => scalars.get(name.toUpperCase()),
    aggregate: (name) => aggregates.get(name.toUpperCase()),
    table: (name) => tables.get(name.toUpperCase()),
    list: () => listing,
  };
}
