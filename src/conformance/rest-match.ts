// RQTT response matching (RestTestExecutor.verifyResponses / matchResponseFields): expected
// responses are walked by index and subset-matched; leaves use Java equals after a Jackson round
// trip; `key|starts_with` is a prefix match; row columns are a multiset unless verifyOrder.

import { isJsonObject, stringifyLossless, type JsonObject, type JsonValue } from './json.ts';
import { JBigDecimal, JDouble, JInt, JLong, JOther, JWindowed, javaEquals, javaFromJson, type JavaValue } from './java-values.ts';

/** One actual response: an admin entity (/ksql) or the StreamedRows of one query (/query). */
export type RestResponse =
  | { readonly kind: 'admin'; readonly entity: JsonValue }
  | { readonly kind: 'query'; readonly rows: readonly JsonValue[] };

class Mismatch extends Error {}

/** Returns a failure reason, or undefined when the actual responses satisfy the expected ones. */
export function verifyResponses(
  actual: readonly RestResponse[], expected: readonly JsonObject[], statements: readonly string[], verifyOrder: boolean,
): string | undefined {
  if (actual.length < expected.length) {
    return `Not enough responses: expected at least ${expected.length} but got ${actual.length}`;
  }
  try {
    expected.forEach((exp, idx) => verifyOne(actual[idx]!, exp, statements, idx, verifyOrder));
  } catch (e) {
    if (e instanceof Mismatch) return e.message;
    throw e;
  }
  return undefined;
}

function verifyOne(actual: RestResponse, expected: JsonObject, statements: readonly string[], idx: number, verifyOrder: boolean): void {
  const keys = Object.keys(expected);
  if (keys.length !== 1) throw new Mismatch(`responses[${idx}]: expected exactly one key`);
  const type = keys[0]!;
  const payload = expected[type]!;
  const actualRecords = new Map<string, number>();
  const expectedRecords = new Map<string, number>();
  if (type === 'admin') {
    if (actual.kind !== 'admin') throw new Mismatch(`responses[${idx}]: expected admin response but got a query response`);
    if (!isJsonObject(payload)) throw new Mismatch(`responses[${idx}]: admin payload should be a JSON object`);
    if (!isJsonObject(actual.entity)) throw new Mismatch(`responses[${idx}]: admin entity is not an object`);
    matchFields(actual.entity, payload, statements, idx, `responses[${idx}]->admin`, actualRecords, expectedRecords, verifyOrder);
  } else if (type === 'query') {
    if (actual.kind !== 'query') throw new Mismatch(`responses[${idx}]: expected query response but got an admin response`);
    if (!Array.isArray(payload)) throw new Mismatch(`responses[${idx}]: query response should be an array`);
    if (actual.rows.length !== payload.length) {
      throw new Mismatch(`responses[${idx}]: row count mismatch: expected ${payload.length} but got ${actual.rows.length}: ` +
        actual.rows.map((r) => stringifyLossless(r)).join(' '));
    }
    actual.rows.forEach((row, i) => {
      const exp = payload[i]!;
      if (!isJsonObject(exp)) throw new Mismatch(`responses[${idx}]->query[${i}]: each row should be a JSON object`);
      if (!isJsonObject(row)) throw new Mismatch(`responses[${idx}]->query[${i}]: actual row is not an object`);
      matchFields(row, exp, statements, idx, `responses[${idx}]->query[${i}]`, actualRecords, expectedRecords, verifyOrder);
    });
  } else {
    throw new Mismatch(`responses[${idx}]: unsupported expected response type ${type}`);
  }
  // Order-insensitive rows: the multisets of column lists must be equal.
  for (const [k, n] of actualRecords) {
    if (!expectedRecords.has(k)) throw new Mismatch(`responses[${idx}]: unexpected row columns ${k}; expected ${[...expectedRecords.keys()].join(' ')}`);
    if (expectedRecords.get(k) !== n) throw new Mismatch(`responses[${idx}]: uneven occurrence of row ${k}: ${n} vs ${expectedRecords.get(k)}`);
  }
}

function matchFields(
  actual: JsonObject, expected: JsonObject, statements: readonly string[], idx: number, path: string,
  actualRecords: Map<string, number>, expectedRecords: Map<string, number>, verifyOrder: boolean,
): void {
  for (const [rawKey, rawValue] of Object.entries(expected)) {
    const bar = rawKey.indexOf('|');
    const key = bar < 0 ? rawKey : rawKey.slice(0, bar);
    const operator = bar < 0 ? 'EQUALS' : rawKey.slice(bar + 1).toUpperCase();
    const value = typeof rawValue === 'string' && idx < statements.length
      ? rawValue.replaceAll('{STATEMENT}', statements[idx]!) : rawValue;
    if (!(key in actual)) throw new Mismatch(`Response mismatch at ${path}: missing key ${key}`);
    const act = actual[key]!;
    const newPath = `${path}->${key}`;
    if (isJsonObject(value)) {
      if (!isJsonObject(act)) throw new Mismatch(`Response mismatch at ${newPath}: expected an object`);
      matchFields(act, value, statements, idx, newPath, actualRecords, expectedRecords, verifyOrder);
    } else if (operator === 'STARTS_WITH') {
      if (typeof act !== 'string' || typeof value !== 'string' || !act.startsWith(value)) {
        throw new Mismatch(`Response mismatch at ${newPath}: ${stringifyLossless(act)} does not start with ${stringifyLossless(value)}`);
      }
    } else if (!verifyOrder && newPath.includes('query') && newPath.includes('row') && key.toLowerCase() === 'columns') {
      bump(actualRecords, javaKey(javaFromJson(act)));
      bump(expectedRecords, javaKey(javaFromJson(value)));
    } else if (!javaEquals(javaFromJson(act), javaFromJson(value))) {
      throw new Mismatch(`Response mismatch at ${newPath}: expected ${stringifyLossless(value)} but was ${stringifyLossless(act)}`);
    }
  }
}

function bump(m: Map<string, number>, k: string): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}

/** A string equal for exactly the values Java's equals/hashCode treat as equal (maps unordered). */
export function javaKey(v: JavaValue): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'boolean') return String(v);
  if (v instanceof JInt) return `${v.v}`;
  if (v instanceof JLong) return `${v.v}L`;
  if (v instanceof JDouble) return `${v.v}d`;
  if (v instanceof JBigDecimal) return `${v.unscaled}E${-v.scale}m`;
  if (v instanceof JOther) return `<${v.description}>`;
  if (v instanceof JWindowed) return `W(${javaKey(v.key)},${v.start},${v.end},${v.type})`;
  if (v instanceof Uint8Array) return `b64:${Buffer.from(v).toString('base64')}`;
  if (Array.isArray(v)) return '[' + v.map(javaKey).join(',') + ']';
  return '{' + [...v].map(([k, x]) => `${JSON.stringify(k)}:${javaKey(x)}`).sort().join(',') + '}';
}
