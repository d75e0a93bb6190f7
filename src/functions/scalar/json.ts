// JSON functions over JSON text (EXTRACTJSONFIELD, JSON_*) and TO_JSON_STRING, which renders a
// typed value like ksqlDB (struct and map keys sorted, temporal types as ISO strings, bytes base64).

import { Decimal } from '../../common/decimal.ts';
import { formatDouble } from '../../common/java-number.ts';
import type { SqlType } from '../../common/sql-type.ts';
import { arrayType, BOOLEAN, INTEGER, mapType, STRING } from '../../common/sql-type.ts';
import type { ScalarFunction } from '../function-types.ts';
import { P } from '../signature.ts';
import { base64String } from './byte-codecs.ts';
import { defineScalar, strict } from './define.ts';
import { formatIsoDate, formatIsoTime, formatIsoTimestamp } from './java-time-format.ts';
import type { JsonNode } from './json-node.ts';
import { jsonPathTokens, parseJson, quoteJson, writeJson } from './json-node.ts';

const T = P.generic('T');

function extract(input: string, path: string): string | null {
  const tokens = jsonPathTokens(path);
  let node: JsonNode | undefined = parseJson(input);
  for (const token of tokens) {
    if (!node) return null;
    if (node.t === 'arr') {
      if (!/^[+-]?\d+$/.test(token)) return null;
      node = node.items[Number(token)];
    } else if (node.t === 'obj') {
      node = node.fields.get(token);
    } else {
      return null;
    }
  }
  if (!node) return null;
  return node.t === 'str' ? node.v : writeJson(node);
}

function concat(a: unknown[]): unknown {
  const nodes: JsonNode[] = [];
  for (const s of a) {
    if (s === null) return null;
    const n = parseJson(s as string);
    if (!n) return null;
    nodes.push(n);
  }
  if (nodes.length === 0) return null;
  if (nodes.every((n) => n.t === 'obj')) {
    const fields = new Map<string, JsonNode>();
    for (const n of nodes) for (const [k, v] of (n as { fields: Map<string, JsonNode> }).fields) fields.set(k, v);
    return writeJson({ t: 'obj', fields });
  }
  const items: JsonNode[] = [];
  for (const n of nodes) if (n.t === 'arr') items.push(...n.items); else items.push(n);
  return writeJson(nodes.length === 1 ? nodes[0]! : { t: 'arr', items });
}

/** JSON_ARRAY_CONTAINS's token compatibility: ints match INT/BIGINT, floats DOUBLE, etc. */
function arrayContains(elementType: SqlType | undefined) {
  return (a: unknown[]): unknown => {
    if (a[0] === null) return false;
    let root: JsonNode | undefined;
    try {
      root = parseJson(a[0] as string);
    } catch {
      return false;
    }
    if (!root || root.t !== 'arr') return false;
    const val = a[1];
    return root.items.some((n) => {
      switch (n.t) {
        case 'null': return val === null;
        case 'bool': return typeof val === 'boolean' && n.v === val;
        case 'str': return typeof val === 'string' && n.v === val;
        case 'num':
          if (val === null) return false;
          if (n.int && (elementType?.kind === 'INTEGER' || elementType?.kind === 'BIGINT')) {
            const x = BigInt(n.text);
            return elementType.kind === 'INTEGER' && (x > 2147483647n || x < -2147483648n) ? false : x === BigInt(val as number | bigint);
          }
          return !n.int && elementType?.kind === 'DOUBLE' && Number(n.text) === val;
        default: return false;
      }
    });
  };
}

function parseObject(s: string): Extract<JsonNode, { t: 'obj' }> | null {
  const n = parseJson(s);
  return n && n.t === 'obj' ? n : null;
}

/** TO_JSON_STRING's rendering of a typed value. */
export function toJsonText(v: unknown, t: SqlType): string {
  if (v === null || v === undefined) return 'null';
  switch (t.kind) {
    case 'BOOLEAN': case 'INTEGER': case 'BIGINT': return String(v);
    case 'DOUBLE': {
      const d = v as number;
      return Number.isFinite(d) ? formatDouble(d) : `"${formatDouble(d)}"`;
    }
    case 'DECIMAL': return (v as Decimal).toString();
    case 'STRING': return quoteJson(v as string);
    case 'BYTES': return quoteJson(base64String(v as Uint8Array));
    case 'DATE': return quoteJson(formatIsoDate(v as number));
    case 'TIME': return quoteJson(formatIsoTime(v as number));
    case 'TIMESTAMP': return quoteJson(formatIsoTimestamp(v as number));
    case 'ARRAY': return '[' + (v as unknown[]).map((x) => toJsonText(x, t.element)).join(',') + ']';
    case 'MAP': {
      const entries = [...(v as Map<unknown, unknown>)].map(([k, x]) => [String(k), toJsonText(x, t.value)] as const);
      entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return '{' + entries.map(([k, x]) => quoteJson(k) + ':' + x).join(',') + '}';
    }
    case 'STRUCT': {
      const fields = [...t.fields].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      return '{' + fields.map((f) => quoteJson(f.name) + ':' + toJsonText((v as Record<string, unknown>)[f.name] ?? null, f.type)).join(',') + '}';
    }
  }
}

export const jsonFunctions: readonly ScalarFunction[] = [
  defineScalar({
    name: 'EXTRACTJSONFIELD', category: 'JSON', description: 'Given a STRING that contains JSON data, extract the value at the specified JSONPath.',
    overloads: [{ params: [P.STRING, P.STRING], names: ['input', 'path'], returns: STRING, invoke: strict((a) => extract(a[0] as string, a[1] as string)) }],
  }),
  defineScalar({
    name: 'IS_JSON_STRING', errorName: 'IS_JSON_STRING', category: 'JSON', description: 'Given a STRING, returns true if it can be parsed as a valid JSON value.',
    overloads: [{
      params: [P.STRING], names: ['input'], returns: BOOLEAN,
      invoke: (a) => {
        if (a[0] === null) return false;
        try { return parseJson(a[0] as string) !== undefined; } catch { return false; }
      },
    }],
  }),
  defineScalar({
    name: 'JSON_ARRAY_CONTAINS', errorName: 'JSON_ARRAY_CONTAINS', category: 'JSON', description: 'Parses a JSON array and determines whether or not the supplied value is contained within the array.',
    overloads: [{ params: [P.STRING, T], names: ['jsonArray', 'val'], returns: BOOLEAN, build: (m) => arrayContains(m.bindings.get('T')) }],
  }),
  defineScalar({
    name: 'JSON_ARRAY_LENGTH', errorName: 'JSON_ARRAY_LENGTH', category: 'JSON', description: 'Given a STRING that contains a JSON array, returns the number of its elements.',
    overloads: [{ params: [P.STRING], names: ['jsonArray'], returns: INTEGER, invoke: strict((a) => { const n = parseJson(a[0] as string); return n && n.t === 'arr' ? n.items.length : null; }) }],
  }),
  defineScalar({
    name: 'JSON_CONCAT', errorName: 'JSON_CONCAT', category: 'JSON', description: 'Merges JSON objects, or concatenates JSON arrays (wrapping non-arrays).',
    overloads: [{ params: [P.STRING], variadic: true, names: ['jsonStrings'], returns: STRING, invoke: concat }],
  }),
  defineScalar({
    name: 'JSON_ITEMS', errorName: 'JSON_ITEMS', category: 'JSON', description: 'Given a STRING that contains a JSON array, returns an array of its elements as JSON strings.',
    overloads: [{
      params: [P.STRING], names: ['jsonItems'], returns: arrayType(STRING),
      invoke: strict((a) => {
        const n = parseJson(a[0] as string);
        if (!n || n.t !== 'arr') throw new Error(`Invalid JSON format:${a[0] as string}`);
        return n.items.map(writeJson);
      }),
    }],
  }),
  defineScalar({
    name: 'JSON_KEYS', errorName: 'JSON_KEYS', category: 'JSON', description: 'Given a STRING that contains a JSON object, returns an array of its keys.',
    overloads: [{ params: [P.STRING], names: ['jsonObj'], returns: arrayType(STRING), invoke: strict((a) => { const n = parseObject(a[0] as string); return n && [...n.fields.keys()]; }) }],
  }),
  defineScalar({
    name: 'JSON_RECORDS', errorName: 'JSON_RECORDS', category: 'JSON', description: 'Given a STRING that contains a JSON object, returns a map of its keys to values as JSON strings.',
    overloads: [{
      params: [P.STRING], names: ['jsonObj'], returns: mapType(STRING, STRING),
      invoke: strict((a) => {
        const n = parseObject(a[0] as string);
        if (!n) return null;
        return new Map([...n.fields].map(([k, v]) => [k, v.t === 'str' ? v.v : writeJson(v)]));
      }),
    }],
  }),
  defineScalar({
    name: 'TO_JSON_STRING', errorName: 'TO_JSON_STRING', category: 'JSON', description: 'Given any ksqlDB type, returns the equivalent JSON string.',
    overloads: [{ params: [T], names: ['input'], returns: STRING, build: (m) => { const t = m.bindings.get('T') ?? STRING; return (a) => toJsonText(a[0], t); } }],
  }),
];
