// ksqlDB's ExpectedRecordComparator: does an actual value (test representation) match the
// expected JSON of a test file? Dispatches on the expected JSON node type, as the Java code does.

import { JsonNumber, type JsonValue } from './json.ts';
import { JBigDecimal, JDouble, JInt, JLong, type JavaValue } from './java-values.ts';

export function matches(actual: JavaValue, expected: JsonValue): boolean {
  if (expected === null) return actual === null;
  if (expected instanceof JsonNumber) return compareNumber(actual, expected);
  if (typeof expected === 'string') return compareText(actual, expected);
  if (typeof expected === 'boolean') return typeof actual === 'boolean' && actual === expected;
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => matches(actual[i]!, e));
  }
  // Object: Struct or Map, same field count, lookup by exact name then UPPERCASE(name).
  if (!(actual instanceof Map)) return false;
  const entries = Object.entries(expected);
  if (actual.size !== entries.length) return false;
  for (const [name, e] of entries) {
    let v = actual.get(name) ?? null;
    if (v === null) v = actual.get(name.toUpperCase()) ?? null;
    if (!matches(v, e)) return false;
  }
  return true;
}

/** The expected number as BigDecimal (its exact value); integer tokens have scale 0. */
function expectedDecimal(e: JsonNumber): JBigDecimal {
  return JBigDecimal.parse(e.text);
}

function compareNumber(actual: JavaValue, expected: JsonNumber): boolean {
  if (actual instanceof JInt) {
    // NumericNode.intValue(): truncation toward zero, then narrowing to 32 bits.
    return Number(BigInt.asIntN(32, expectedDecimal(expected).truncated())) === actual.v;
  }
  if (actual instanceof JLong) return BigInt.asIntN(64, expectedDecimal(expected).truncated()) === actual.v;
  if (actual instanceof JDouble) return Math.abs(expected.toNumber() - actual.v) < 0.000_001;
  if (actual instanceof JBigDecimal) {
    if (expected.isInteger) {
      // Only match if actual has no decimal places.
      if (actual.scale > 0) return false;
      return actual.truncated() === BigInt(expected.text);
    }
    return expectedDecimal(expected).equals(actual);
  }
  return false;
}

function compareText(actual: JavaValue, expected: string): boolean {
  if (typeof actual === 'string') return actual === expected;
  if (actual instanceof JBigDecimal) {
    try {
      return JBigDecimal.parse(expected).equals(actual);
    } catch {
      return false;
    }
  }
  if (actual instanceof Uint8Array) return Buffer.from(actual).toString('base64') === expected;
  return false;
}

export interface ActualHeader {
  readonly key: string;
  readonly value: Uint8Array | null;
}
export interface ExpectedHeader {
  readonly key: string;
  readonly value: Uint8Array | null;
}

/** Headers: same length, pairwise equal key and byte-equal value. */
export function headersMatch(actual: readonly ActualHeader[], expected: readonly ExpectedHeader[]): boolean {
  if (actual.length !== expected.length) return false;
  return actual.every((a, i) => {
    const e = expected[i]!;
    if (a.key !== e.key) return false;
    if (a.value === null || e.value === null) return a.value === e.value;
    return Buffer.from(a.value).equals(Buffer.from(e.value));
  });
}

/**
 * TestExecutor.coerceRecordFields: ByteBuffers among the top-level fields of a Map key/value become
 * base64 strings (an empty buffer becomes null) before comparison.
 */
export function coerceRecordFields(v: JavaValue): JavaValue {
  if (!(v instanceof Map)) return v;
  const out = new Map<string, JavaValue>();
  for (const [k, x] of v) {
    out.set(k, x instanceof Uint8Array ? (x.length > 0 ? Buffer.from(x).toString('base64') : null) : x);
  }
  return out;
}
