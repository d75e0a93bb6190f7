// Builds a ScalarFunction from a list of overloads: resolution goes through signature.ts, the
// returned invoke applies the implicit-cast coercions before calling the overload's body.

import type { SqlType } from '../../common/sql-type.ts';
import { formatType } from '../../common/sql-type.ts';
import type { ArgInfo, FunctionCategory, ResolvedScalar, ScalarFunction } from '../function-types.ts';
import type { Match, Signature } from '../signature.ts';
import { formatSignatureParams, identityCoercer, instantiate, matchType, resolveSignature } from '../signature.ts';

export type Invoke = (args: unknown[]) => unknown;

export interface ScalarOverload extends Signature {
  /** The return type, fixed or computed from the match (generics, decimal precision, ...). */
  readonly returns: SqlType | ((m: Match, args: readonly ArgInfo[]) => SqlType | { readonly error: string });
  /** The body; receives coerced arguments (variadic ones flat, as separate entries). */
  readonly invoke?: Invoke;
  /** Builds the body when it depends on the resolved types. */
  readonly build?: (m: Match, args: readonly ArgInfo[], returnType: SqlType) => Invoke;
  readonly description?: string;
}

export interface ScalarSpec {
  /** The SQL name (upper case). */
  readonly name: string;
  /** The name as ksqlDB spells it in resolution errors (its @UdfDescription name). */
  readonly errorName?: string;
  readonly category: FunctionCategory;
  readonly description: string;
  readonly overloads: readonly ScalarOverload[];
  /** Extra check after resolution (ksqlDB's own argument validation), an error message or undefined. */
  readonly validate?: (args: readonly ArgInfo[], m: Match) => string | undefined;
}

export function defineScalar(spec: ScalarSpec): ScalarFunction {
  const errorName = spec.errorName ?? spec.name.toLowerCase();
  return {
    doc: {
      name: spec.name,
      description: spec.description,
      category: spec.category,
      signatures: spec.overloads.map((o) => ({
        args: formatSignatureParams(o),
        returns: typeof o.returns === 'function' ? 'depends on the arguments' : formatType(o.returns),
        ...(o.description ? { description: o.description } : {}),
      })),
    },
    lambdaParamTypes: (argsBefore, lambdaIndex) => lambdaParams(spec.overloads, argsBefore, lambdaIndex),
    resolve(args): ResolvedScalar | { readonly error: string } {
      const m = resolveSignature(errorName, spec.overloads, args);
      if ('error' in m) return m;
      const invalid = spec.validate?.(args, m);
      if (invalid) return { error: invalid };
      const o = m.signature;
      const returnType = typeof o.returns === 'function' ? o.returns(m, args) : o.returns;
      if ('error' in returnType) return returnType;
      const body = o.build ? o.build(m, args, returnType) : o.invoke!;
      return { returnType, invoke: withCoercion(m, body) };
    },
  };
}

function withCoercion(m: Match, body: Invoke): Invoke {
  const coercers = m.coercers;
  const identities = coercers.map((c) => c === identityCoercer);
  const all = identities.every((x) => x);
  if (all && !m.spreadVariadicArray) return body;
  return (args) => {
    let a = args.map((v, i) => (identities[i] ? v : coercers[i]!(v)));
    if (m.spreadVariadicArray) {
      const last = a[a.length - 1];
      a = last === null ? a.slice(0, -1) : [...a.slice(0, -1), ...(last as unknown[])];
    }
    return body(a);
  };
}

/** Lambda parameter types: the first overload with a lambda at that index whose earlier args match. */
function lambdaParams(overloads: readonly ScalarOverload[], argsBefore: readonly ArgInfo[], lambdaIndex: number): readonly SqlType[] | undefined {
  for (const allowCast of [false, true]) {
    for (const o of overloads) {
      const lam = o.params[lambdaIndex];
      if (!lam || lam.p !== 'lambda') continue;
      const bindings = new Map<string, SqlType>();
      let ok = true;
      for (let i = 0; i < argsBefore.length && ok; i++) {
        const a = argsBefore[i]!;
        const p = o.params[i]!;
        if (a.type.kind === 'value') ok = !!matchType(p, a.type.type, bindings, allowCast, a.constant);
        else if (a.type.kind === 'lambda') ok = p.p === 'lambda';
      }
      if (!ok) continue;
      const types = lam.params.map((p) => instantiate(p, bindings));
      if (types.every((t) => t !== undefined)) return types as SqlType[];
    }
  }
  return undefined;
}

/** Wraps a body so that it returns null when any argument is null (most ksqlDB UDFs). */
export function strict(body: Invoke): Invoke {
  return (args) => {
    for (const a of args) if (a === null || a === undefined) return null;
    return body(args);
  };
}
