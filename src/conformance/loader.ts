// Finds ksqlDB-format test files and expands each test node into cases the way TestCaseBuilder
// does: formats x configs, full names, {FORMAT} substitution, disabled and schema-registry skips.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { parseLossless, type JsonObject, type JsonValue } from './json.ts';
import {
  arr, num, obj, propertyText, readRecord, readTopic, str,
  type ExpectedError, type ExpectedException, type RecordSpec, type TestCase, type TopicSpec,
} from './model.ts';
import { statementFormats } from './sql-scan.ts';

/** Formats that need a schema registry (or protobuf) the project does not support yet. */
export const UNSUPPORTED_FORMATS: ReadonlySet<string> = new Set(['AVRO', 'PROTOBUF', 'PROTOBUF_NOSR', 'JSON_SR']);

const FORMAT_REPLACE_ERROR = "To use {FORMAT} in your statements please set the 'format' test case element";

export interface TestFile {
  /** Absolute path. */
  readonly path: string;
  /** Path shown in reports, relative to the root it was found under. */
  readonly display: string;
}

/** Every *.json under the given files/directories (recursively), sorted by display path. */
export function findTestFiles(paths: readonly string[]): TestFile[] {
  const out: TestFile[] = [];
  for (const p of paths) {
    if (statSync(p).isDirectory()) walk(p, p, out);
    else out.push({ path: p, display: join(basename(dirname(p)), basename(p)).split(sep).join('/') });
  }
  const seen = new Set<string>();
  return out
    .filter((f) => !seen.has(f.path) && seen.add(f.path))
    .sort((a, b) => (a.display < b.display ? -1 : a.display > b.display ? 1 : 0));
}

function walk(root: string, dir: string, out: TestFile[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) walk(root, full, out);
    else if (entry.isFile() && entry.name.endsWith('.json')) {
      out.push({ path: full, display: relative(root, full).split(sep).join('/') });
    }
  }
}

/** Loads one file into cases. A file that cannot be loaded yields one failed (invalid) case. */
export function loadFile(file: TestFile): TestCase[] {
  const prefix = basename(file.path, '.json');
  let doc: JsonValue;
  try {
    doc = parseLossless(readFileSync(file.path, 'utf8'));
  } catch (e) {
    return [invalidCase(file, `${prefix} - <file>`, `cannot parse file: ${(e as Error).message}`)];
  }
  const tests = arr(obj(doc)?.['tests']);
  if (tests.length === 0) return [invalidCase(file, `${prefix} - <file>`, 'file has no "tests"')];
  const rest = /(^|\/)rqtt\//.test(file.display) || tests.some((t) => obj(t)?.['responses'] !== undefined);
  const cases: TestCase[] = [];
  const names = new Set<string>();
  for (const node of tests) {
    for (const c of expandNode(file, prefix, obj(node) ?? {}, rest ? 'rqtt' : 'qtt')) {
      if (names.has(c.name)) cases.push({ ...c, invalid: 'duplicate full test name', skip: undefined });
      else cases.push(c);
      names.add(c.name);
    }
  }
  return cases;
}

export function loadCases(paths: readonly string[]): TestCase[] {
  return findTestFiles(paths).flatMap(loadFile);
}

/** TestCaseBuilder.buildTests: one case per format x config, format-major. */
export function expandNode(file: TestFile, prefix: string, node: JsonObject, suite: 'qtt' | 'rqtt'): TestCase[] {
  const name = str(node['name']) ?? '';
  const formats = arr(node['format']).map((f) => str(f) ?? '');
  const configs = suite === 'qtt' ? arr(node['config']).map((c) => str(c) ?? '') : [];
  const props = obj(node['properties']) ?? {};
  const configKeys = Object.keys(props).filter((k) => str(props[k])?.toUpperCase() === '{CONFIG}');
  const out: TestCase[] = [];
  for (const format of formats.length ? formats : [undefined]) {
    for (const config of configs.length ? configs : [undefined]) {
      let full = `${prefix} - ${name}`;
      if (format !== undefined) full += ` - ${format}`;
      const properties: Record<string, string> = {};
      for (const [k, v] of Object.entries(props)) properties[k] = propertyText(v);
      if (config !== undefined && configKeys.length === 1) {
        properties[configKeys[0]!] = config;
        full += ` - ${configKeys[0]}=${config}`;
      }
      let c: TestCase;
      try {
        c = buildCase(file, full, node, suite, format, properties);
      } catch (e) {
        c = invalidCase(file, full, `invalid test node: ${(e as Error).message}`);
      }
      if (config !== undefined && configKeys.length !== 1) {
        c = { ...c, invalid: 'config requires exactly one property with value {CONFIG}' };
      }
      out.push(c);
    }
  }
  return out;
}

function buildCase(
  file: TestFile, name: string, node: JsonObject, suite: 'qtt' | 'rqtt', format: string | undefined,
  properties: Record<string, string>,
): TestCase {
  const statements = arr(node['statements']).map((s) => (str(s) ?? '').replaceAll('{FORMAT}', format ?? FORMAT_REPLACE_ERROR));
  const inputs = arr(node['inputs']).map(readRecord);
  const outputs = arr(node['outputs']).map(readRecord);
  const topics = arr(node['topics']).map(readTopic);
  const ee = obj(node['expectedException']);
  const expectedException: ExpectedException | undefined = ee && {
    type: str(ee['type']), message: str(ee['message']), cause: str(ee['cause']), causeMessage: str(ee['causeMessage']),
  };
  const er = obj(node['expectedError']);
  const expectedError: ExpectedError | undefined = er && {
    type: str(er['type']), message: str(er['message']), status: num(er['status']),
  };
  const responses = arr(node['responses']).map((r) => obj(r) ?? {});
  const testPullWithProtoFormat = node['testPullWithProtoFormat'] === true;
  const base = {
    file: file.display, suite, name, statements, properties, inputs, outputs, topics,
    expectedException, expectedError, post: obj(node['post']), responses,
    waitForActivePushQuery: obj(node['inputConditions'])?.['waitForActivePushQuery'] === true,
    verifyOrder: obj(node['outputConditions'])?.['verifyOrder'] === true,
    testPullWithProtoFormat,
  };
  let invalid: string | undefined;
  if (name.trim() === '' || str(node['name']) === '') invalid = 'test name is empty';
  else if (statements.length === 0) invalid = 'statements is empty';
  else if (suite === 'qtt' && !expectedException && inputs.length === 0 && outputs.length === 0) {
    invalid = 'test has neither inputs nor outputs nor expectedException';
  } else if (ee && !expectedException?.type && !expectedException?.message) {
    invalid = 'expectedException needs type or message';
  }
  let skip: string | undefined;
  if (node['enabled'] === false) skip = 'disabled (enabled: false)';
  else {
    const needs = neededUnsupportedFormat({ format, statements, topics, properties, post: base.post, inputs, outputs });
    if (needs) skip = `needs ${needs}`;
    else if (testPullWithProtoFormat) skip = 'needs PROTOBUF (testPullWithProtoFormat)';
  }
  return { ...base, skip, invalid };
}

function invalidCase(file: TestFile, name: string, reason: string): TestCase {
  return {
    file: file.display, suite: 'qtt', name, statements: [], properties: {}, inputs: [], outputs: [], topics: [],
    expectedException: undefined, expectedError: undefined, post: undefined, responses: [],
    waitForActivePushQuery: false, verifyOrder: false, testPullWithProtoFormat: false, skip: undefined, invalid: reason,
  };
}

/** The first schema-registry format the case uses anywhere, or undefined. */
export function neededUnsupportedFormat(c: {
  format: string | undefined;
  statements: readonly string[];
  topics: readonly TopicSpec[];
  properties: Readonly<Record<string, string>>;
  post: JsonObject | undefined;
  inputs?: readonly RecordSpec[];
  outputs?: readonly RecordSpec[];
}): string | undefined {
  const seen: string[] = [];
  if (c.format) seen.push(c.format.toUpperCase());
  for (const s of c.statements) seen.push(...statementFormats(s));
  for (const t of c.topics) {
    if (t.keyFormat) seen.push(t.keyFormat);
    if (t.valueFormat) seen.push(t.valueFormat);
    // A schema given without a format is treated as AVRO (legacy).
    if ((t.hasKeySchema && !t.keyFormat) || (t.hasValueSchema && !t.valueFormat)) seen.push('AVRO');
  }
  for (const [k, v] of Object.entries(c.properties)) {
    if (/^ksql\.persistence\.default\.format\.(key|value)$/i.test(k)) seen.push(v.toUpperCase());
  }
  for (const s of arr(c.post?.['sources'])) {
    const so = obj(s) ?? {};
    const kf = str(obj(so['keyFormat'])?.['format']);
    const vf = str(so['valueFormat']);
    if (kf) seen.push(kf.toUpperCase());
    if (vf) seen.push(vf.toUpperCase());
  }
  return seen.find((f) => UNSUPPORTED_FORMATS.has(f));
}
