// Output verification (§1.9): per expected topic, exact count, in emission order, then key (with
// window), value, headers and timestamp of each record. QTT and RQTT differ only in key equality
// and timestamp rules, selected by `mode`.

import { coerceRecordFields, headersMatch, matches } from './comparator.ts';
import type { EngineHost } from './engine-host.ts';
import { stringifyLossless } from './json.ts';
import {
  JBigDecimal, JDouble, JInt, JLong, JWindowed, describeJava, javaEquals, javaFromJson, type JavaValue,
} from './java-values.ts';
import type { RecordSpec, TestCase } from './model.ts';
import { decodeKey, decodeValue } from './test-serde.ts';

/** A verification failure. `countMismatch` is the KsqlException ksqlDB throws ("Expected <n> records"). */
export class VerificationError extends Error {
  readonly countMismatch: boolean;
  constructor(message: string, countMismatch = false) {
    super(message);
    this.name = 'VerificationError';
    this.countMismatch = countMismatch;
  }
}

export async function verifyOutputs(host: EngineHost, tc: TestCase, mode: 'qtt' | 'rqtt'): Promise<void> {
  const byTopic = new Map<string, RecordSpec[]>();
  for (const r of tc.outputs) {
    const list = byTopic.get(r.topic) ?? [];
    list.push(r);
    byTopic.set(r.topic, list);
  }
  const exact = tc.properties['use.exact.numeric.comparison']?.toLowerCase() !== 'false';
  const insertOnly = tc.inputs.length === 0;
  for (const [topic, expected] of byTopic) {
    const actual = await host.order.readAll(host.engine.log, topic);
    if (actual.length !== expected.length) {
      throw new VerificationError(`Topic ${topic}. Expected <${expected.length}> records but it was <${actual.length}>`, true);
    }
    const formats = host.formatsOf(tc, topic);
    for (let i = 0; i < expected.length; i++) {
      const e = expected[i]!;
      const a = actual[i]!;
      let key: JavaValue;
      let value: JavaValue;
      try {
        key = decodeKey(a.key, formats, exact);
        value = decodeValue(a.value, formats, exact);
      } catch (err) {
        throw new VerificationError(`Topic '${topic}', message ${i}: cannot deserialize: ${(err as Error).message}`);
      }
      const fail = (what: string): VerificationError => new VerificationError(
        `Topic '${topic}', message ${i}: ${what} mismatch: expected <${stringifyLossless(e.key)}${e.window ? ` @${e.window.start}/${e.window.end}` : ''}, ` +
        `${stringifyLossless(e.value)}> timestamp=${e.timestamp ?? 'any'} but was <${describeJava(key)}, ${describeJava(value)}> timestamp=${a.timestamp}`,
      );
      if (mode === 'qtt' ? !qttKeyMatches(key, e) : !rqttKeyMatches(key, e)) throw fail('key');
      if (!matches(coerceRecordFields(value), e.value)) throw fail('value');
      if (mode === 'qtt' && !headersMatch(a.headers, e.headers ?? [])) {
        throw fail(`headers (${a.headers.length} actual vs ${(e.headers ?? []).length} expected)`);
      }
      if (e.timestamp !== undefined && e.timestamp !== a.timestamp && !(mode === 'qtt' && insertOnly && e.timestamp === 0)) {
        throw fail('timestamp');
      }
    }
  }
}

function qttKeyMatches(key: JavaValue, e: RecordSpec): boolean {
  if (e.window) {
    if (!(key instanceof JWindowed)) return false;
    if (key.start !== e.window.start || key.end !== e.window.end || key.type !== e.window.type) return false;
    return matches(coerceRecordFields(key.key), e.key);
  }
  return matches(coerceRecordFields(key), e.key);
}

/** RestTestExecutor: Objects.equals after coercing Integer->Long and BigDecimal->Double. */
function rqttKeyMatches(key: JavaValue, e: RecordSpec): boolean {
  let expected = javaFromJson(e.key);
  if (key instanceof JLong && expected instanceof JInt) expected = new JLong(BigInt(expected.v));
  if (key instanceof JDouble && expected instanceof JBigDecimal) expected = new JDouble(Number(stringifyLossless(e.key)));
  return javaEquals(key, expected);
}
