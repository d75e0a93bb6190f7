// Map functions: AS_MAP, MAP_KEYS, MAP_VALUES, MAP_UNION. ksqlDB declares them with STRING keys.

import type { SqlType } from '../../common/sql-type.ts';
import { arrayType, mapType, STRING } from '../../common/sql-type.ts';
import type { ScalarFunction } from '../function-types.ts';
import type { Match } from '../signature.ts';
import { P } from '../signature.ts';
import { defineScalar, strict } from './define.ts';

const T = P.generic('T');
const MAP_STRING_T = P.map(P.STRING, T);
const valueType = (m: Match): SqlType => m.bindings.get('T') ?? STRING;

export const mapFunctions: readonly ScalarFunction[] = [
  defineScalar({
    name: 'AS_MAP', errorName: 'AS_MAP', category: 'MAP', description: 'Construct a map from a list of keys and a list of values.',
    overloads: [{
      params: [P.array(P.STRING), P.array(T)], names: ['keys', 'values'], returns: (m) => mapType(STRING, valueType(m)),
      invoke: strict((a) => {
        const ks = a[0] as (string | null)[];
        const vs = a[1] as unknown[];
        const out = new Map<string | null, unknown>();
        ks.forEach((k, i) => out.set(k, i < vs.length ? vs[i] : null));
        return out;
      }),
    }],
  }),
  defineScalar({
    name: 'MAP_KEYS', category: 'MAP', description: 'Returns an array of all the keys in the map.',
    overloads: [{ params: [MAP_STRING_T], returns: arrayType(STRING), invoke: strict((a) => [...(a[0] as Map<string, unknown>).keys()]) }],
  }),
  defineScalar({
    name: 'MAP_VALUES', category: 'MAP', description: 'Returns an array of all the values in the map.',
    overloads: [{ params: [MAP_STRING_T], returns: (m) => arrayType(valueType(m)), invoke: strict((a) => [...(a[0] as Map<string, unknown>).values()]) }],
  }),
  defineScalar({
    name: 'MAP_UNION', category: 'MAP', description: 'Returns a new map with the entries of both maps; the second wins on duplicate keys.',
    overloads: [{
      params: [MAP_STRING_T, MAP_STRING_T], names: ['map1', 'map2'], returns: (m) => mapType(STRING, valueType(m)),
      invoke: (a) => {
        const maps = (a as (Map<string, unknown> | null)[]).filter((x) => x !== null);
        if (maps.length === 0) return null;
        const out = new Map<string, unknown>();
        for (const m of maps) for (const [k, v] of m) out.set(k, v);
        return out;
      },
    }],
  }),
];
