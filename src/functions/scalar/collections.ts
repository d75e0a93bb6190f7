// Array functions (ARRAY_*, SLICE, ENTRIES, ARRAY_CONTAINS) with Java collection semantics:
// set operations keep first-seen order and use Object.equals, sorting puts nulls last.

import { formatDouble } from '../../common/java-number.ts';
import type { SqlType } from '../../common/sql-type.ts';
import { arrayType, BOOLEAN, BIGINT, DOUBLE, INTEGER, STRING, structType } from '../../common/sql-type.ts';
import type { ScalarFunction } from '../function-types.ts';
import type { Match } from '../signature.ts';
import { P } from '../signature.ts';
import { compareValues, valueKey, valuesEqual } from './compare.ts';
import { defineScalar, strict } from './define.ts';

const T = P.generic('T');
const ARRAY_T = P.array(T);
const sameArray = (m: Match): SqlType => m.argTypes.find((t) => t !== null) ?? arrayType(STRING);
const elementOf = (m: Match): SqlType => m.bindings.get('T') ?? STRING;

function distinct(values: readonly unknown[]): unknown[] {
  const seen = new Set<string>();
  const out: unknown[] = [];
  for (const v of values) {
    const k = valueKey(v);
    if (!seen.has(k)) { seen.add(k); out.push(v); }
  }
  return out;
}

function keys(values: readonly unknown[]): Set<string> {
  return new Set(values.map(valueKey));
}

/** Object.toString() of the element types ARRAY_JOIN accepts (DOUBLE is handled by its builder). */
function joinElement(v: unknown): string {
  if (v === null) return 'null';
  return String(v);
}

function arrayJoin(elementType: SqlType) {
  const fmt = elementType.kind === 'DOUBLE' ? (v: unknown) => (v === null ? 'null' : formatDouble(v as number)) : joinElement;
  if (!['BOOLEAN', 'INTEGER', 'BIGINT', 'DOUBLE', 'DECIMAL', 'STRING'].includes(elementType.kind)) {
    return (a: unknown[]): unknown => {
      const arr = a[0] as unknown[] | null;
      if (arr === null) return null;
      if (arr.some((x) => x !== null)) throw new Error(`error: hit element of type ${elementType.kind} which is currently not supported`);
      return arr.map(() => 'null').join(a.length > 1 ? ((a[1] as string | null) ?? '') : ',');
    };
  }
  return (a: unknown[]): unknown => {
    const arr = a[0] as unknown[] | null;
    if (arr === null) return null;
    const delim = a.length > 1 ? ((a[1] as string | null) ?? '') : ',';
    return arr.map(fmt).join(delim);
  };
}

function sortArray(input: unknown[], direction: string): unknown[] | null {
  const d = direction.toUpperCase();
  const sign = d === 'ASC' || d === 'ASCENDING' ? 1 : d === 'DESC' || d === 'DESCENDING' ? -1 : 0;
  if (sign === 0) return null;
  return [...input].sort((x, y) => (x === null ? (y === null ? 0 : 1) : y === null ? -1 : sign * compareValues(x, y)));
}

function extreme(sign: 1 | -1) {
  return strict((a) => {
    let best: unknown = null;
    for (const v of a[0] as unknown[]) {
      if (v !== null && (best === null || sign * compareValues(v, best) > 0)) best = v;
    }
    return best;
  });
}

function slice(a: unknown[]): unknown {
  const arr = a[0] as unknown[] | null;
  if (arr === null) return null;
  const start = a[1] === null ? 0 : (a[1] as number) - 1;
  const end = a[2] === null ? arr.length : (a[2] as number);
  // List.subList throws (-> null) on any out-of-range bound.
  if (start < 0 || end > arr.length || start > end) return null;
  return arr.slice(start, end);
}

const ENTRY_VALUE_TYPES: readonly SqlType[] = [INTEGER, BIGINT, DOUBLE, BOOLEAN, STRING];

export const collectionFunctions: readonly ScalarFunction[] = [
  defineScalar({
    name: 'ARRAY_CONCAT', category: 'ARRAY', description: 'Returns an array representing the concatenation of both input arrays.',
    overloads: [{
      params: [ARRAY_T, ARRAY_T], names: ['left', 'right'], returns: sameArray,
      invoke: (a) => (a[0] === null && a[1] === null ? null : [...((a[0] ?? []) as unknown[]), ...((a[1] ?? []) as unknown[])]),
    }],
  }),
  defineScalar({
    name: 'ARRAY_CONTAINS', errorName: 'ARRAY_CONTAINS', category: 'ARRAY', description: 'Returns true if the array is non-null and contains the supplied value.',
    overloads: [{ params: [ARRAY_T, T], names: ['array', 'val'], returns: BOOLEAN, invoke: (a) => a[0] !== null && (a[0] as unknown[]).some((x) => valuesEqual(x, a[1]) || (x === null && a[1] === null)) }],
  }),
  defineScalar({
    name: 'ARRAY_DISTINCT', category: 'ARRAY', description: 'Returns an array of all the distinct values, in first-seen order.',
    overloads: [{ params: [ARRAY_T], returns: sameArray, invoke: strict((a) => distinct(a[0] as unknown[])) }],
  }),
  defineScalar({
    name: 'ARRAY_EXCEPT', category: 'ARRAY', description: 'Returns the distinct elements of the first array that are not in the second.',
    overloads: [{
      params: [ARRAY_T, ARRAY_T], names: ['left', 'right'], returns: sameArray,
      invoke: strict((a) => { const r = keys(a[1] as unknown[]); return distinct(a[0] as unknown[]).filter((v) => !r.has(valueKey(v))); }),
    }],
  }),
  defineScalar({
    name: 'ARRAY_INTERSECT', category: 'ARRAY', description: 'Returns the distinct elements present in both arrays.',
    overloads: [{
      params: [ARRAY_T, ARRAY_T], names: ['left', 'right'], returns: sameArray,
      invoke: strict((a) => { const r = keys(a[1] as unknown[]); return distinct(a[0] as unknown[]).filter((v) => r.has(valueKey(v))); }),
    }],
  }),
  defineScalar({
    name: 'ARRAY_JOIN', errorName: 'ARRAY_JOIN', category: 'ARRAY', description: "Joins the array's elements into a flat string, separated by the delimiter (default ',').",
    overloads: [
      { params: [ARRAY_T], names: ['array'], returns: STRING, build: (m) => arrayJoin(elementOf(m)) },
      { params: [ARRAY_T, P.STRING], names: ['array', 'delimiter'], returns: STRING, build: (m) => arrayJoin(elementOf(m)) },
    ],
  }),
  defineScalar({
    name: 'ARRAY_LENGTH', errorName: 'ARRAY_LENGTH', category: 'ARRAY', description: 'Returns the length of the array.',
    overloads: [{ params: [ARRAY_T], returns: INTEGER, invoke: strict((a) => (a[0] as unknown[]).length) }],
  }),
  defineScalar({
    name: 'ARRAY_MAX', category: 'ARRAY', description: 'Returns the maximum non-null value of the array.',
    overloads: [{ params: [ARRAY_T], returns: elementOf, invoke: extreme(1) }],
  }),
  defineScalar({
    name: 'ARRAY_MIN', category: 'ARRAY', description: 'Returns the minimum non-null value of the array.',
    overloads: [{ params: [ARRAY_T], returns: elementOf, invoke: extreme(-1) }],
  }),
  defineScalar({
    name: 'ARRAY_REMOVE', category: 'ARRAY', description: 'Removes all elements equal to the given value.',
    overloads: [{
      params: [ARRAY_T, T], names: ['array', 'victim'], returns: sameArray,
      invoke: (a) => (a[0] === null ? null : (a[0] as unknown[]).filter((x) => !(valuesEqual(x, a[1]) || (x === null && a[1] === null)))),
    }],
  }),
  defineScalar({
    name: 'ARRAY_SORT', category: 'ARRAY', description: "Sorts the array ('ASC' by default or 'DESC'); nulls last.",
    overloads: [
      { params: [ARRAY_T], returns: sameArray, invoke: strict((a) => sortArray(a[0] as unknown[], 'ASC')) },
      { params: [ARRAY_T, P.STRING], names: ['input', 'direction'], returns: sameArray, invoke: strict((a) => sortArray(a[0] as unknown[], a[1] as string)) },
    ],
  }),
  defineScalar({
    name: 'ARRAY_UNION', category: 'ARRAY', description: 'Returns the distinct elements of both arrays.',
    overloads: [{ params: [ARRAY_T, ARRAY_T], names: ['left', 'right'], returns: sameArray, invoke: strict((a) => distinct([...(a[0] as unknown[]), ...(a[1] as unknown[])])) }],
  }),
  defineScalar({
    name: 'ENTRIES', errorName: 'ENTRIES', category: 'MAP', description: 'Constructs an array of structs from the entries in a map, optionally sorted by key.',
    overloads: ENTRY_VALUE_TYPES.map((vt) => ({
      params: [P.map(P.STRING, P.exact(vt)), P.BOOLEAN], names: ['map', 'sorted'],
      returns: arrayType(structType([{ name: 'K', type: STRING }, { name: 'V', type: vt }])),
      invoke: strict((a) => {
        const entries = [...(a[0] as Map<string, unknown>)];
        if (a[1]) entries.sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
        return entries.map(([K, V]) => ({ K, V }));
      }),
    })),
  }),
  defineScalar({
    name: 'SLICE', category: 'ARRAY', description: 'Returns the elements from index `from` to `to` (1-indexed, inclusive).',
    overloads: [{ params: [ARRAY_T, P.INT, P.INT], names: ['in', 'from', 'to'], returns: sameArray, invoke: slice }],
  }),
];
