// The HTTP RQTT driver end to end: a tiny rqtt file written here runs against the real engine and the
// real server over HTTP/1.1 (admin entities, pull and push rows, finalMessage, waitForActivePushQuery,
// expected errors), plus the StreamedRow line framing and the error-body mapping.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { JsonNumber } from '../serde/lossless-json.ts';
import { loadCases } from './loader.ts';
import { errorFromBody, streamedRowText } from './rest-driver-http.ts';
import { setRqttDriver } from './rqtt-executor.ts';
import { runCases, type CaseResult } from './runner.ts';

const CREATE = "CREATE STREAM S (K STRING KEY, V INT, D DECIMAL(4, 2)) WITH (kafka_topic='test_topic', value_format='JSON');";
const INPUTS = [
  { topic: 'test_topic', timestamp: 1, key: 'a', value: { V: 1, D: 1.5 } },
  { topic: 'test_topic', timestamp: 2, key: 'a', value: { V: 2, D: 2.25 } },
];
const ADMIN = { admin: { '@type': 'currentStatus' } };

const TESTS = [
  {
    name: 'pull and limited push',
    statements: [CREATE, 'CREATE TABLE T AS SELECT K, COUNT(*) AS C FROM S GROUP BY K;', "SELECT * FROM T WHERE K='a';",
      'SELECT K, D FROM S EMIT CHANGES LIMIT 2;'],
    inputs: INPUTS,
    responses: [ADMIN, ADMIN,
      { query: [{ header: { schema: '`K` STRING KEY, `C` BIGINT' } }, { row: { columns: ['a', 2] } }] },
      { query: [{ header: { schema: '`K` STRING, `D` DECIMAL(4, 2)' } }, { row: { columns: ['a', '__1.50__'] } },
        { row: { columns: ['a', '__2.25__'] } }, { finalMessage: 'Limit Reached' }] }],
  },
  {
    name: 'push query waits for inputs',
    statements: [CREATE, 'SELECT K, V FROM S EMIT CHANGES;'],
    inputs: INPUTS,
    inputConditions: { waitForActivePushQuery: true },
    outputConditions: { verifyOrder: true },
    responses: [ADMIN, { query: [{ header: { schema: '`K` STRING, `V` INTEGER' } }, { row: { columns: ['a', 1] } }, { row: { columns: ['a', 2] } }] }],
  },
  {
    name: 'decimal scale is compared exactly',
    statements: [CREATE, 'SELECT K, D FROM S EMIT CHANGES LIMIT 1;'],
    inputs: INPUTS,
    responses: [ADMIN, { query: [{ header: { schema: '`K` STRING, `D` DECIMAL(4, 2)' } }, { row: { columns: ['a', '__1.5__'] } }, { finalMessage: 'Limit Reached' }] }],
  },
  {
    name: 'statement error',
    statements: [CREATE, 'CREATE STREAM X AS SELECT * FROM MISSING;'],
    expectedError: { type: 'io.confluent.ksql.rest.entity.KsqlStatementErrorMessage', status: 400 },
  },
  {
    name: 'wrong status',
    statements: [CREATE, 'CREATE STREAM X AS SELECT * FROM MISSING;'],
    expectedError: { type: 'io.confluent.ksql.rest.entity.KsqlErrorMessage', status: 500 },
  },
];

let dir: string;
let results: Map<string, CaseResult>;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rqtt-http-test-'));
  mkdirSync(join(dir, 'rqtt'));
  // Decimal lexemes must reach the file as written: "__1.50__" placeholders become bare numbers.
  const text = JSON.stringify({ tests: TESTS }).replace(/"__([\d.]+)__"/g, '$1');
  writeFileSync(join(dir, 'rqtt', 'tiny.json'), text);
  setRqttDriver('http');
  const cases = loadCases([join(dir, 'rqtt')]);
  results = new Map((await runCases(cases, { timeoutMs: 15_000 })).map((r) => [r.name.replace(/^tiny - /, ''), r]));
});
after(() => rmSync(dir, { recursive: true, force: true }));

void test('admin entities, pull rows and a LIMIT push query with its final message pass over HTTP', () => {
  const r = results.get('pull and limited push')!;
  assert.deepEqual([r.status, r.reason], ['passed', '']);
});

void test('waitForActivePushQuery: inputs are produced once the push query answered its header', () => {
  const r = results.get('push query waits for inputs')!;
  assert.deepEqual([r.status, r.reason], ['passed', '']);
});

void test('row values keep their lexemes: 1.50 is not 1.5', () => {
  const r = results.get('decimal scale is compared exactly')!;
  assert.equal(r.status, 'failed');
  assert.match(r.reason, /unexpected row columns \["a",150E-2m\]/);
});

void test('expected errors match the error body type and HTTP status', () => {
  assert.equal(results.get('statement error')!.status, 'passed');
  const wrong = results.get('wrong status')!;
  assert.equal(wrong.status, 'failed');
  assert.match(wrong.reason, /KsqlStatementErrorMessage status 400/);
});

void test('StreamedRow lines lose their array framing', () => {
  assert.equal(streamedRowText('[{"header":{"queryId":"q","schema":"`A` INTEGER"}},'), '{"header":{"queryId":"q","schema":"`A` INTEGER"}}');
  assert.equal(streamedRowText('{"row":{"columns":[1,[2]]}},'), '{"row":{"columns":[1,[2]]}}');
  assert.equal(streamedRowText('{"finalMessage":"Limit Reached"}]'), '{"finalMessage":"Limit Reached"}');
  assert.equal(streamedRowText(']'), '');
});

void test('error bodies: statement_error is a KsqlStatementErrorMessage, generic_error a KsqlErrorMessage', () => {
  const s = errorFromBody(400, '{"@type":"statement_error","error_code":40001,"message":"bad","statementText":"x","entities":[]}');
  assert.deepEqual(s, { category: 'statement', message: 'bad', status: 400, type: 'KsqlStatementErrorMessage' });
  const g = errorFromBody(503, '{"@type":"generic_error","error_code":50303,"message":"down"}');
  assert.deepEqual(g, { category: 'ksql', message: 'down', status: 503, type: 'KsqlErrorMessage' });
  assert.equal(errorFromBody(404, 'Not Found').message, 'Not Found');
  assert.ok(new JsonNumber('1.50').text === '1.50');
});
