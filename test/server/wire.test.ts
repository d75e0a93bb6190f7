// The wire layer byte for byte: value encoding, the three query formats, entities, errors, acks,
// Accept negotiation and request parsing. Pure functions; no server.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Decimal } from '../../src/common/decimal.ts';
import { KsqlError } from '../../src/common/errors.ts';
import { arrayType, BIGINT, BOOLEAN, BYTES, DATE, decimalType, DOUBLE, INTEGER, mapType, STRING, structType, TIME, TIMESTAMP } from '../../src/common/sql-type.ts';
import type { QueryColumn, SourceInfo, StatementOutcome } from '../../src/engine/engine-api.ts';
import { toEntities, type EntityContext } from '../../src/server/wire/entities.ts';
import { genericError, isQueryStatement, ksqlEndpointError, queryEndpointError } from '../../src/server/wire/errors.ts';
import { ackJson, createAckWriter, insertErrorJson, parseInsertRow } from '../../src/server/wire/inserts.ts';
import { negotiate } from '../../src/server/wire/media-types.ts';
import { createQueryWriter, type QueryWriter } from '../../src/server/wire/query-formats.ts';
import { parseCloseQueryArgs, parseKsqlRequest, parseQueryStreamArgs, RequestError } from '../../src/server/wire/requests.ts';
import { schemaInfo } from '../../src/server/wire/schema-info.ts';
import { encodeRow, encodeValue } from '../../src/server/wire/values.ts';

describe('row values', () => {
  test('numbers print the Java way and decimals keep their scale', () => {
    assert.equal(encodeValue(43, DOUBLE), '43.0');
    assert.equal(encodeValue(1e7, DOUBLE), '1.0E7');
    assert.equal(encodeValue(Number.NaN, DOUBLE), '"NaN"');
    assert.equal(encodeValue(43, INTEGER), '43');
    assert.equal(encodeValue(9007199254740993n, BIGINT), '9007199254740993');
    assert.equal(encodeValue(Decimal.parse('1.50'), decimalType(4, 2)), '1.50');
    assert.equal(encodeValue(Decimal.parse('-0.05'), decimalType(4, 2)), '-0.05');
  });

  test('temporal types and bytes are strings', () => {
    assert.equal(encodeValue(1, TIMESTAMP), '"1970-01-01T00:00:00.001"');
    assert.equal(encodeValue(18000, DATE), '"2019-04-14"');
    assert.equal(encodeValue(3_600_000 + 60_000, TIME), '"01:01"');
    assert.equal(encodeValue(3_600_000 + 61_500, TIME), '"01:01:01"');
    assert.equal(encodeValue(new Uint8Array([1, 2, 255]), BYTES), '"AQL/"');
  });

  test('nested values follow their declared types', () => {
    const t = structType([{ name: 'A', type: arrayType(DOUBLE) }, { name: 'm', type: mapType(STRING, decimalType(3, 1)) }]);
    const v = { A: [1, 2.5], m: new Map([['k', Decimal.parse('1.0')]]) };
    assert.equal(encodeValue(v, t), '{"A":[1.0,2.5],"m":{"k":1.0}}');
    assert.equal(encodeRow(['x', null, true], [STRING, INTEGER, BOOLEAN]), '["x",null,true]');
  });
});

const COLS: QueryColumn[] = [
  { name: 'K', type: STRING, isKey: true },
  { name: 'V', type: DOUBLE, isKey: false },
];
const META = { queryId: 'q1', columns: COLS };

function run(w: QueryWriter, events: (w: QueryWriter) => string[][]): string[] {
  return events(w).flat();
}

describe('query formats', () => {
  const pushEvents = (w: QueryWriter) => [w.header(), w.row({ values: ['a', 1] }), w.row({ values: ['b', 2.5] }), w.final('Limit Reached'), w.end()];

  test('delimited: metadata line then arrays, nothing at the end', () => {
    assert.deepEqual(run(createQueryWriter('delimited', META, false), pushEvents), [
      '{"queryId":"q1","columnNames":["K","V"],"columnTypes":["STRING","DOUBLE"]}\n',
      '["a",1.0]\n',
      '["b",2.5]\n',
    ]);
  });

  test('json: one array, no newlines', () => {
    assert.equal(run(createQueryWriter('json', META, false), pushEvents).join(''),
      '[{"queryId":"q1","columnNames":["K","V"],"columnTypes":["STRING","DOUBLE"]},["a",1.0],["b",2.5]]');
  });

  test('StreamedRow push: elements end in ",\\n", the final message closes the array', () => {
    assert.equal(run(createQueryWriter('streamed-row', META, false), pushEvents).join(''),
      '[{"header":{"queryId":"q1","schema":"`K` STRING KEY, `V` DOUBLE"}},\n' +
      '{"row":{"columns":["a",1.0]}},\n' +
      '{"row":{"columns":["b",2.5]}},\n' +
      '{"finalMessage":"Limit Reached"}]');
  });

  test('StreamedRow push closed without a final message, and an error mid-stream', () => {
    const w = createQueryWriter('streamed-row', META, false);
    assert.equal([w.header(), w.row({ values: ['a', 1] }), w.error(genericError(50000, 'boom')), w.end()].flat().join(''),
      '[{"header":{"queryId":"q1","schema":"`K` STRING KEY, `V` DOUBLE"}},\n' +
      '{"row":{"columns":["a",1.0]}},\n' +
      '{"errorMessage":{"@type":"generic_error","error_code":50000,"message":"boom"}},\n]');
  });

  test('StreamedRow pull (buffered): no trailing comma, no final message', () => {
    const w = createQueryWriter('streamed-row', META, true);
    assert.equal([w.header(), w.row({ values: ['a', 1] }), w.row({ values: ['b', 2] }), w.end()].flat().join(''),
      '[{"header":{"queryId":"q1","schema":"`K` STRING KEY, `V` DOUBLE"}},\n{"row":{"columns":["a",1.0]}},\n{"row":{"columns":["b",2.0]}}]');
    const empty = createQueryWriter('streamed-row', META, true);
    assert.equal([empty.header(), empty.end()].flat().join(''), '[{"header":{"queryId":"q1","schema":"`K` STRING KEY, `V` DOUBLE"}}]');
  });

  test('tombstones: flagged in StreamedRow, dropped elsewhere; sourceHost is kept', () => {
    const w = createQueryWriter('streamed-row', META, false);
    assert.deepEqual(w.row({ values: ['a', null], tombstone: true }), ['{"row":{"columns":["a",null],"tombstone":true}},\n']);
    assert.deepEqual(w.row({ values: ['a', 1], sourceHost: 'h:1' }), ['{"row":{"columns":["a",1.0]},"sourceHost":"h:1"},\n']);
    assert.deepEqual(createQueryWriter('delimited', META, false).row({ values: ['a', null], tombstone: true }), []);
    assert.deepEqual(createQueryWriter('json', META, false).row({ values: ['a', null], tombstone: true }), []);
  });
});

describe('inserts wire', () => {
  test('acks and errors', () => {
    assert.equal(ackJson(3), '{"seq":3,"status":"ok"}');
    assert.equal(insertErrorJson(1, 40000, 'bad'), '{"@type":"InsertError","error_code":40000,"message":"bad","status":"error","seq":1}');
    const json = createAckWriter('json');
    assert.equal(json.element('A') + json.element('B') + json.end(), '[A,B]');
    assert.equal(createAckWriter('json').end(), '[]');
    assert.equal(createAckWriter('delimited').element('A'), 'A\n');
  });

  test('rows keep exact DECIMAL and BIGINT values', () => {
    const types = new Map([['D', decimalType(4, 2)], ['B', BIGINT]]);
    const row = parseInsertRow('{"D":1.50,"B":9007199254740993,"X":1.5,"S":{"D":2.50}}', (k) => types.get(k));
    assert.equal(row['D'], '1.50');
    assert.equal(row['B'], 9007199254740993n);
    assert.equal(row['X'], 1.5);
    assert.deepEqual(row['S'], { D: 2.5 });
    assert.throws(() => parseInsertRow('[1]', () => undefined), SyntaxError);
    assert.throws(() => parseInsertRow('{"a":', () => undefined), SyntaxError);
  });
});

describe('errors', () => {
  test('/ksql: parse and statement errors are statement_error with statementText', () => {
    const e = ksqlEndpointError(new KsqlError('parse', 'line 1:1: Syntax Error', { statementText: 'FOO;' }), 'FOO; BAR;', [{ x: 1 }]);
    assert.deepEqual(e, { status: 400, body: { '@type': 'statement_error', error_code: 40001, message: 'line 1:1: Syntax Error', statementText: 'FOO;', entities: [{ x: 1 }] } });
    const q = ksqlEndpointError(new KsqlError('statement', 'no', { statementText: '  SELECT * FROM X;' }), '', []);
    assert.equal(q.body.error_code, 40002);
    assert.equal(ksqlEndpointError(new KsqlError('ksql', 'meh'), 'S;', []).body['@type'], 'generic_error');
    const internal = ksqlEndpointError(new Error('bug'), 'S;', []);
    assert.equal(internal.status, 500);
    assert.equal(internal.body.error_code, 50000);
  });

  test('query endpoints hide internal errors', () => {
    const e = queryEndpointError(new TypeError('x is undefined'), 'SELECT 1;');
    assert.equal(e.status, 500);
    assert.match(e.body.message, /^The server encountered an internal error/);
    assert.equal(queryEndpointError(new KsqlError('statement', 'nope'), 'SELECT 1;').body['@type'], 'statement_error');
  });

  test('isQueryStatement skips comments', () => {
    assert.ok(isQueryStatement('-- hi\n /* x */ select 1;'));
    assert.ok(isQueryStatement('PRINT t;'));
    assert.ok(!isQueryStatement('CREATE STREAM S AS SELECT * FROM T;'));
  });
});

describe('Accept negotiation', () => {
  const produces = ['application/vnd.ksqlapi.delimited.v1', 'application/json', 'application/vnd.ksql.v1+json'];
  test('exact, absent, wildcard, q-values and mismatches', () => {
    assert.deepEqual(negotiate(undefined, produces), { matched: true, type: undefined });
    assert.deepEqual(negotiate('application/json', produces), { matched: true, type: 'application/json' });
    assert.deepEqual(negotiate('*/*', produces, ['application/vnd.ksqlapi.delimited.v1']), { matched: true, type: 'application/vnd.ksqlapi.delimited.v1' });
    assert.deepEqual(negotiate('application/json;q=0.5, application/vnd.ksql.v1+json', produces), { matched: true, type: 'application/vnd.ksql.v1+json' });
    assert.deepEqual(negotiate('blahblah', produces), { matched: false });
    assert.deepEqual(negotiate('text/html', produces), { matched: false });
    assert.deepEqual(negotiate('anything', []), { matched: true, type: undefined });
  });
});

describe('requests', () => {
  test('Jackson-style messages', () => {
    assert.throws(() => parseQueryStreamArgs('{}'), (e: RequestError) => e.wire.status === 400 && e.message === "Invalid JSON in request: Missing required creator property 'sql' (index 0)");
    assert.throws(() => parseCloseQueryArgs('{"queryId": 5}'), (e: RequestError) => e.wire.body.error_code === 40000);
    assert.throws(() => parseKsqlRequest('{"ksql":'), (e: RequestError) => e.message.startsWith('Invalid JSON in request: '));
    assert.throws(() => parseKsqlRequest('[]'), RequestError);
    const r = parseKsqlRequest('{"ksql":"LIST STREAMS;","streamsProperties":{"a":"b","n":1,"z":null},"sessionVariables":{"v":"x"}}');
    assert.deepEqual(r.streamsProperties, { a: 'b', n: 1 });
    assert.deepEqual(r.sessionVariables, { v: 'x' });
  });
});

describe('entities', () => {
  const ctx: EntityContext = {
    nextCommandSequenceNumber: (() => {
      let n = 0;
      return () => ++n;
    })(),
    hostPort: 'localhost:8088',
    isQueryLevelProperty: (n) => n !== 'ksql.service.id',
    persistentQueries: () => [],
  };
  const source: SourceInfo = {
    name: 'S', type: 'STREAM', topic: 's',
    schema: { key: [{ name: 'K', type: STRING, namespace: 'KEY' }], value: [{ name: 'V', type: decimalType(4, 2), namespace: 'VALUE' }] },
    keyFormat: { info: { format: 'KAFKA', properties: {} }, features: [], window: undefined },
    valueFormat: { info: { format: 'JSON', properties: {} }, features: [] },
    timestampColumn: undefined, timestampFormat: undefined, isSource: false, statement: 'CREATE STREAM S ...;', partitions: 2, replicas: 1,
  };

  test('key order and shapes as Jackson writes them', () => {
    const outcomes: StatementOutcome[] = [
      { kind: 'CommandStatus', statement: 'CREATE STREAM S ...;', commandId: 'stream/S/create', message: 'Stream created', queryId: undefined },
      { kind: 'None', statement: 'SET x=1;' },
      { kind: 'Warning', statement: 'CREATE STREAM IF NOT EXISTS S ...;', message: "Cannot add stream 'S': A stream with the same name already exists" },
      { kind: 'SourceList', statement: 'SHOW TABLES;', sourceType: 'TABLE', sources: [], extended: false },
      { kind: 'TopicList', statement: 'LIST TOPICS;', topics: [{ name: 's', partitions: 2, replicas: 1 }], extended: false },
      { kind: 'SourceDescriptions', statement: 'DESCRIBE S;', sources: [{ source, readQueries: [], writeQueries: [] }], extended: false, single: true },
      { kind: 'TerminateTransient', statement: 'TERMINATE transient_S_1;', queryId: 'transient_S_1' },
    ];
    const [status, warning, tables, topics, describe, terminate] = toEntities(outcomes, ctx);
    assert.equal(JSON.stringify(status),
      '{"@type":"currentStatus","statementText":"CREATE STREAM S ...;","commandId":"stream/S/create","commandStatus":{"status":"SUCCESS","message":"Stream created","queryId":null},"commandSequenceNumber":1,"warnings":[]}');
    assert.equal(JSON.stringify(warning),
      '{"@type":"warning_entity","statementText":"CREATE STREAM IF NOT EXISTS S ...;","message":"Cannot add stream \'S\': A stream with the same name already exists","warnings":[]}');
    assert.equal(JSON.stringify(tables), '{"@type":"tables","statementText":"SHOW TABLES;","tables":[],"warnings":[]}');
    assert.equal(JSON.stringify(topics), '{"@type":"kafka_topics","statementText":"LIST TOPICS;","topics":[{"name":"s","replicaInfo":[1,1]}],"warnings":[]}');
    const d = (describe as { sourceDescription: Record<string, unknown> }).sourceDescription;
    assert.deepEqual(Object.keys(d), ['name', 'windowType', 'readQueries', 'writeQueries', 'fields', 'type', 'timestamp', 'statistics', 'errorStats', 'extended',
      'keyFormat', 'valueFormat', 'topic', 'partitions', 'replication', 'statement', 'queryOffsetSummaries', 'sourceConstraints', 'clusterStatistics', 'clusterErrorStats']);
    assert.deepEqual(d['fields'], [
      { name: 'K', schema: { type: 'STRING', fields: null, memberSchema: null }, type: 'KEY' },
      { name: 'V', schema: { type: 'DECIMAL', fields: null, memberSchema: null, parameters: { precision: 4, scale: 2 } } },
    ]);
    assert.equal(JSON.stringify(terminate), '{"@type":"terminate_query","statementText":"TERMINATE transient_S_1;","queryId":"transient_S_1","wasTerminated":true,"warnings":[]}');
  });

  test('SchemaInfo of nested types', () => {
    assert.deepEqual(schemaInfo(arrayType(mapType(STRING, INTEGER))), {
      type: 'ARRAY', fields: null, memberSchema: { type: 'MAP', fields: null, memberSchema: { type: 'INTEGER', fields: null, memberSchema: null } },
    });
    assert.deepEqual(schemaInfo(structType([{ name: 'F', type: BOOLEAN }])), {
      type: 'STRUCT', fields: [{ name: 'F', schema: { type: 'BOOLEAN', fields: null, memberSchema: null } }], memberSchema: null,
    });
  });
});
