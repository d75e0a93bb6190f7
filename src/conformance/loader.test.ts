// Loader: file discovery, format x config expansion, full names, {FORMAT} substitution, skips.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { JsonNumber } from './json.ts';
import { findTestFiles, loadCases, loadFile } from './loader.ts';

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'conf-loader-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const stmt = (s: string): string => JSON.stringify(s);

void test('finds json files recursively, sorted, with paths relative to the root', () => {
  const dir = dirWith({ 'qtt/b.json': '{}', 'qtt/a.json': '{}', 'rqtt/deep/c.json': '{}', 'qtt/x.txt': '' });
  assert.deepEqual(findTestFiles([dir]).map((f) => f.display), ['qtt/a.json', 'qtt/b.json', 'rqtt/deep/c.json']);
});

void test('expands format x config format-major with ksqlDB full names and substitutes {FORMAT}', () => {
  const dir = dirWith({
    'qtt/sample.json': `{
      // comments are allowed
      "tests": [{
        "name": "t1", "format": ["JSON", "DELIMITED"], "config": ["true", "false"],
        "properties": {"ksql.new.query.planner.enabled": "{CONFIG}", "other": 5},
        "statements": [${stmt("CREATE STREAM S (V INT) WITH (kafka_topic='s', value_format='{FORMAT}');")}],
        "inputs": [{"topic": "s", "value": {"V": 1.50}}], "outputs": []
      }]}`,
  });
  const cases = loadCases([dir]);
  assert.deepEqual(cases.map((c) => c.name), [
    'sample - t1 - JSON - ksql.new.query.planner.enabled=true',
    'sample - t1 - JSON - ksql.new.query.planner.enabled=false',
    'sample - t1 - DELIMITED - ksql.new.query.planner.enabled=true',
    'sample - t1 - DELIMITED - ksql.new.query.planner.enabled=false',
  ]);
  assert.equal(cases[2]!.statements[0], "CREATE STREAM S (V INT) WITH (kafka_topic='s', value_format='DELIMITED');");
  assert.equal(cases[1]!.properties['ksql.new.query.planner.enabled'], 'false');
  assert.equal(cases[0]!.properties['other'], '5');
  assert.equal(cases[0]!.file, 'qtt/sample.json');
  assert.equal(cases[0]!.suite, 'qtt');
  // Number lexemes survive loading.
  const v = cases[0]!.inputs[0]!.value as Record<string, unknown>;
  assert.ok(v['V'] instanceof JsonNumber && v['V'].text === '1.50');
});

void test('without a format array {FORMAT} becomes the error sentence', () => {
  const dir = dirWith({ 'f.json': `{"tests":[{"name":"n","statements":[${stmt("X '{FORMAT}'")}],"outputs":[{"topic":"t","value":1}]}]}` });
  const [c] = loadCases([dir]);
  assert.equal(c!.name, 'f - n');
  assert.match(c!.statements[0]!, /To use \{FORMAT\} in your statements please set the 'format' test case element/);
});

void test('skips disabled cases and cases needing schema-registry formats', () => {
  const node = (name: string, extra: string, s = "CREATE STREAM S (V INT) WITH (kafka_topic='s', value_format='JSON');"): string =>
    `{"name":"${name}","statements":[${stmt(s)}],"inputs":[{"topic":"s","value":{}}]${extra}}`;
  const dir = dirWith({
    'qtt/s.json': `{"tests":[
      ${node('disabled', ',"enabled":false')},
      ${node('fmt', ',"format":["AVRO","JSON"]', "CREATE STREAM S (V INT) WITH (kafka_topic='s', value_format='{FORMAT}');")},
      ${node('stmt', '', "CREATE STREAM S (V INT) WITH (kafka_topic='s', key_format='KAFKA', value_format='protobuf');")},
      ${node('topic', ',"topics":[{"name":"s","valueSchema":{"type":"int"}}]')},
      ${node('topicfmt', ',"topics":[{"name":"s","valueFormat":"JSON_SR"}]')},
      ${node('prop', ',"properties":{"ksql.persistence.default.format.value":"PROTOBUF_NOSR"}')},
      ${node('plain', '')}
    ]}`,
  });
  const got = Object.fromEntries(loadCases([dir]).map((c) => [c.name, c.skip ?? 'run']));
  assert.deepEqual(got, {
    's - disabled': 'disabled (enabled: false)',
    's - fmt - AVRO': 'needs AVRO',
    's - fmt - JSON': 'run',
    's - stmt': 'needs PROTOBUF',
    's - topic': 'needs AVRO',
    's - topicfmt': 'needs JSON_SR',
    's - prop': 'needs PROTOBUF_NOSR',
    's - plain': 'run',
  });
});

void test('rqtt files are recognised and broken files or nodes become failed cases', () => {
  const dir = dirWith({
    'rqtt/r.json': `{"tests":[{"name":"q","statements":["SELECT 1 FROM X;"],"responses":[{"admin":{}}],
      "inputConditions":{"waitForActivePushQuery":true}}]}`,
    'qtt/bad.json': '{"tests": [',
    'qtt/empty.json': '{"tests": []}',
    'qtt/dup.json': `{"tests":[{"name":"a","statements":["x"],"outputs":[{"topic":"t","value":1}]},
                               {"name":"a","statements":["x"],"outputs":[{"topic":"t","value":1}]},
                               {"name":"noio","statements":["x"]}]}`,
  });
  const files = findTestFiles([dir]);
  const r = loadFile(files.find((f) => f.display === 'rqtt/r.json')!);
  assert.equal(r[0]!.suite, 'rqtt');
  assert.equal(r[0]!.waitForActivePushQuery, true);
  assert.match(loadFile(files.find((f) => f.display === 'qtt/bad.json')!)[0]!.invalid!, /cannot parse/);
  assert.match(loadFile(files.find((f) => f.display === 'qtt/empty.json')!)[0]!.invalid!, /no "tests"/);
  const dup = loadFile(files.find((f) => f.display === 'qtt/dup.json')!);
  assert.deepEqual(dup.map((c) => c.invalid), [undefined, 'duplicate full test name', 'test has neither inputs nor outputs nor expectedException']);
});

void test('records: window, headers, timestamps and absent keys', () => {
  const dir = dirWith({ 'w.json': `{"tests":[{"name":"n","statements":["x"],"outputs":[
    {"topic":"t","value":1,"timestamp":5,"window":{"start":0,"end":10,"type":"Session"},"headers":[{"KEY":"h","VALUE":"AQI="},{"KEY":"n","VALUE":null}]}]}]}` });
  const r = loadCases([dir])[0]!.outputs[0]!;
  assert.equal(r.key, null);
  assert.equal(r.timestamp, 5);
  assert.deepEqual(r.window, { start: 0, end: 10, type: 'SESSION' });
  assert.deepEqual(r.headers, [{ key: 'h', value: new Uint8Array([1, 2]) }, { key: 'n', value: null }]);
});
