// EXPLODE(array): one output row per element, none for an empty or null array.

import type { ResolvedTableFunction, TableFunction } from '../function-types.ts';
import { argType, noOverload } from '../aggregate/resolve.ts';

/** ksqlDB lists these in its resolution error (the DECIMAL overload exists to keep precision). */
const ALTERNATIVES = ['explode(ARRAY<DECIMAL> input)', 'explode(ARRAY<T> list)'];

export const EXPLODE: TableFunction = {
  doc: {
    name: 'EXPLODE',
    description: 'Explodes an array: one output row per element.',
    category: 'TABLE',
    signatures: [
      { args: 'input ARRAY<DECIMAL>', returns: 'DECIMAL' },
      { args: 'list ARRAY<T>', returns: 'T' },
    ],
  },
  resolve(args) {
    const t = args.length === 1 ? argType(args[0]!) : undefined;
    if (t?.kind !== 'ARRAY') return noOverload('explode', args, ALTERNATIVES);
    const resolved: ResolvedTableFunction = {
      returnType: t.element,
      invoke: (a) => (Array.isArray(a[0]) ? a[0] : []),
    };
    return resolved;
  },
};
