// Test helper: resolves a scalar function against typed arguments and invokes it, as the analyzer
// and evaluator would. Only for *.test.ts files.

import type { SqlType } from '../../common/sql-type.ts';
import type { ArgInfo } from '../function-types.ts';
import { scalarFunctions } from './index.ts';

export type TestArg = readonly [SqlType, unknown] | null | { readonly literal: readonly [SqlType, unknown] };

function info(a: TestArg): ArgInfo {
  if (a === null) return { type: { kind: 'null' } };
  if ('literal' in a) return { type: { kind: 'value', type: a.literal[0] }, constant: { value: a.literal[1] } };
  return { type: { kind: 'value', type: a[0] } };
}

function value(a: TestArg): unknown {
  if (a === null) return null;
  return 'literal' in a ? a.literal[1] : a[1];
}

export function resolve(name: string, args: readonly TestArg[]) {
  const f = scalarFunctions.find((s) => s.doc.name === name.toUpperCase());
  if (!f) throw new Error(`no function ${name}`);
  return f.resolve(args.map(info));
}

/** Resolves and invokes; throws if resolution fails. */
export function call(name: string, ...args: TestArg[]): unknown {
  const r = resolve(name, args);
  if ('error' in r) throw new Error(r.error);
  return r.invoke(args.map(value));
}
