// CUBE_EXPLODE(array): one row per grouping set of the elements, as an array of the same length
// where excluded elements are null. Row order follows ksqlDB: [null, null], [null, b], [a, null],
// [a, b]. A null element gives the same row whether included or not, so it is emitted once.

import { arrayType } from '../../common/sql-type.ts';
import type { ResolvedTableFunction, TableFunction } from '../function-types.ts';
import { argType, noOverload } from '../aggregate/resolve.ts';

export function cubeRows(values: readonly unknown[]): unknown[][] {
  const n = values.length;
  const rows: unknown[][] = [];
  for (let mask = 0; mask < 2 ** n; mask++) {
    // Element i is kept when bit (n-1-i) is set: the first element is the most significant bit.
    const keep = (i: number): boolean => Math.floor(mask / 2 ** (n - 1 - i)) % 2 === 1;
    if (values.some((v, i) => v === null && keep(i))) continue;
    rows.push(values.map((v, i) => (keep(i) ? v : null)));
  }
  return rows;
}

export const CUBE_EXPLODE: TableFunction = {
  doc: {
    name: 'CUBE_EXPLODE',
    description: 'Returns one row per combination of the array elements, the left-out ones set to null.',
    category: 'TABLE',
    signatures: [{ args: 'cols ARRAY<T>', returns: 'ARRAY<T>' }],
  },
  resolve(args) {
    const t = args.length === 1 ? argType(args[0]!) : undefined;
    if (t?.kind !== 'ARRAY') return noOverload('cube_explode', args, ['cube_explode(ARRAY<T> cols)']);
    const resolved: ResolvedTableFunction = {
      returnType: arrayType(t.element),
      invoke: (a) => (Array.isArray(a[0]) ? cubeRows(a[0]) : []),
    };
    return resolved;
  },
};
