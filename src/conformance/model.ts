// The runner's view of one expanded test case (a TestCaseNode or RestTestCaseNode after format x
// config expansion), plus small readers that turn raw JSON nodes into it.

import { JsonNumber, isJsonObject, type JsonObject, type JsonValue } from './json.ts';

export interface WindowSpec {
  readonly start: number;
  readonly end: number;
  readonly type: 'TIME' | 'SESSION';
}

export interface HeaderSpec {
  readonly key: string;
  readonly value: Uint8Array | null;
}

export interface RecordSpec {
  readonly topic: string;
  /** Absent key = null. */
  readonly key: JsonValue;
  readonly value: JsonValue;
  readonly timestamp: number | undefined;
  readonly window: WindowSpec | undefined;
  readonly headers: readonly HeaderSpec[] | undefined;
}

export interface TopicSpec {
  readonly name: string;
  readonly keyFormat: string | undefined;
  readonly valueFormat: string | undefined;
  readonly partitions: number | undefined;
  readonly hasKeySchema: boolean;
  readonly hasValueSchema: boolean;
}

export interface ExpectedException {
  readonly type: string | undefined;
  readonly message: string | undefined;
  readonly cause: string | undefined;
  readonly causeMessage: string | undefined;
}

export interface ExpectedError {
  readonly type: string | undefined;
  readonly message: string | undefined;
  readonly status: number | undefined;
}

export interface TestCase {
  /** Path of the file relative to the run's root, e.g. `qtt/x.json`. */
  readonly file: string;
  readonly suite: 'qtt' | 'rqtt';
  /** ksqlDB's full test name: `<file> - <name>[ - <FORMAT>][ - <prop>=<value>]`. */
  readonly name: string;
  readonly statements: readonly string[];
  readonly properties: Readonly<Record<string, string>>;
  readonly inputs: readonly RecordSpec[];
  readonly outputs: readonly RecordSpec[];
  readonly topics: readonly TopicSpec[];
  readonly expectedException: ExpectedException | undefined;
  readonly expectedError: ExpectedError | undefined;
  readonly post: JsonObject | undefined;
  readonly responses: readonly JsonObject[];
  readonly waitForActivePushQuery: boolean;
  readonly verifyOrder: boolean;
  readonly testPullWithProtoFormat: boolean;
  /** Set when the case is not run: the reason. */
  readonly skip: string | undefined;
  /** Set when the node is invalid (ksqlDB would fail to load it): the case fails with this reason. */
  readonly invalid: string | undefined;
}

export function str(v: JsonValue | undefined): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (v instanceof JsonNumber) return v.text;
  if (typeof v === 'boolean') return String(v);
  return undefined;
}

export function num(v: JsonValue | undefined): number | undefined {
  if (v instanceof JsonNumber) return v.toNumber();
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  return undefined;
}

export function arr(v: JsonValue | undefined): JsonValue[] {
  return Array.isArray(v) ? v : [];
}

export function obj(v: JsonValue | undefined): JsonObject | undefined {
  return isJsonObject(v) ? v : undefined;
}

/** A property value as KsqlConfig sees it: strings as-is, booleans/numbers as their text. */
export function propertyText(v: JsonValue): string {
  return str(v) ?? JSON.stringify(v);
}

export function readRecord(v: JsonValue): RecordSpec {
  const o = obj(v);
  if (!o) throw new Error('record is not an object');
  const topic = str(o['topic']);
  if (topic === undefined) throw new Error('record without topic');
  if (!('value' in o)) throw new Error(`record on ${topic} without value`);
  const w = obj(o['window']);
  let window: WindowSpec | undefined;
  if (w) {
    const type = (str(w['type']) ?? 'time').toUpperCase();
    window = { start: num(w['start']) ?? 0, end: num(w['end']) ?? 0, type: type === 'SESSION' ? 'SESSION' : 'TIME' };
  }
  const headers = Array.isArray(o['headers'])
    ? o['headers'].map((h) => {
      const ho = obj(h) ?? {};
      const key = str(ho['KEY'] ?? ho['key']) ?? '';
      const value = ho['VALUE'] ?? ho['value'] ?? null;
      return { key, value: typeof value === 'string' ? new Uint8Array(Buffer.from(value, 'base64')) : null };
    })
    : undefined;
  return {
    topic,
    key: o['key'] ?? null,
    value: o['value'] ?? null,
    timestamp: num(o['timestamp']),
    window,
    headers,
  };
}

export function readTopic(v: JsonValue): TopicSpec {
  const o = obj(v) ?? {};
  const legacy = str(o['format']);
  return {
    name: str(o['name']) ?? '',
    keyFormat: str(o['keyFormat'])?.toUpperCase(),
    valueFormat: (str(o['valueFormat']) ?? legacy)?.toUpperCase(),
    partitions: num(o['partitions']),
    hasKeySchema: o['keySchema'] !== undefined && o['keySchema'] !== null,
    hasValueSchema: o['valueSchema'] !== undefined && o['valueSchema'] !== null,
  };
}
