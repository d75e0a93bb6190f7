// The shell's pure parts: where statements end, what the shell does with each, how tables,
// entities and positioned errors print, and tab completion's candidates.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyStatement } from '../../src/cli/client-statement.ts';
import { Completer } from '../../src/cli/completion.ts';
import { formatError } from '../../src/cli/error-format.ts';
import { renderEntity } from '../../src/cli/render-entities.ts';
import { BoxTable, formatValue, listTable } from '../../src/cli/render.ts';
import { RestClient, RestError } from '../../src/cli/rest-client.ts';
import { Session } from '../../src/cli/session.ts';
import { StatementBuffer } from '../../src/cli/statement-buffer.ts';
import { startShellTestServer } from './riffle-test-server.ts';

test('a statement ends at a ; outside strings, quoted names and comments', () => {
  const b = new StatementBuffer();
  assert.equal(b.push("SELECT 'a;b', `c;d`"), undefined);
  assert.equal(b.push('-- not the end;'), undefined);
  assert.equal(b.push('/* nor; this */ FROM s'), undefined);
  assert.ok(b.pending);
  const done = b.push('EMIT CHANGES;');
  assert.deepEqual(done?.map((s) => s.text), ["SELECT 'a;b', `c;d`\n-- not the end;\n/* nor; this */ FROM s\nEMIT CHANGES;"]);
  assert.ok(!b.pending);
  assert.deepEqual(b.push('SHOW STREAMS; SHOW TABLES;')?.map((s) => s.text), ['SHOW STREAMS;', 'SHOW TABLES;']);
  assert.deepEqual(b.push('   '), []);
  assert.equal(b.push('SHOW STREAMS; /* open'), undefined);
  assert.deepEqual(b.push('*/')?.map((s) => s.text), ['SHOW STREAMS;']);
  assert.equal(b.push("SELECT 'unterminated;"), undefined);
  b.clear();
  assert.ok(!b.pending);
});

test('client-side statements are recognised; the rest go to the server', () => {
  assert.deepEqual(classifyStatement("set 'auto.offset.reset'='earliest';"), { kind: 'set', name: 'auto.offset.reset', value: 'earliest' });
  assert.deepEqual(classifyStatement("UNSET 'a';"), { kind: 'unset', name: 'a' });
  assert.deepEqual(classifyStatement("DEFINE x = 'it''s';"), { kind: 'define', name: 'x', value: "it's" });
  assert.deepEqual(classifyStatement('UNDEFINE x;'), { kind: 'undefine', name: 'x' });
  assert.deepEqual(classifyStatement("RUN SCRIPT '/tmp/a.sql';"), { kind: 'runScript', path: '/tmp/a.sql' });
  assert.deepEqual(classifyStatement('-- hi\nselect * from s;'), { kind: 'query', text: 'select * from s;' });
  assert.equal(classifyStatement("PRINT 'topic';").kind, 'query');
  assert.deepEqual(classifyStatement('DROP STREAM s;'), { kind: 'server', text: 'DROP STREAM s;', changesCatalog: true });
  assert.deepEqual(classifyStatement('SHOW STREAMS;'), { kind: 'server', text: 'SHOW STREAMS;', changesCatalog: false });
});

test('values and tables print as ksqlDB prints them', () => {
  assert.equal(formatValue(null), 'null');
  assert.equal(formatValue('a'), 'a');
  assert.equal(formatValue({ A: [1, 2] }), '{"A":[1,2]}');
  const t = new BoxTable(['ID', 'NAME'], 21);
  assert.equal(t.header(['ID', 'NAME']) + t.line(['1', 'a long value']) + t.border(), [
    '+---------+---------+',
    '|ID       |NAME     |',
    '+---------+---------+',
    '|1        |a long va|',
    '|         |lue      |',
    '+---------+---------+',
    '',
  ].join('\n'));
  assert.equal(listTable(['A', 'Bee'], [['xx', 'y']]), ' A  | Bee\n----------\n xx | y\n----------\n');
});

test('entities: command status, listings, descriptions, warnings, unknown types', () => {
  assert.equal(
    renderEntity({ '@type': 'currentStatus', commandStatus: { status: 'SUCCESS', message: 'Created query with ID CSAS_X_1' }, warnings: [{ message: 'careful' }] }),
    ' Message\n--------------------------------\n Created query with ID CSAS_X_1\n--------------------------------\nWARNING: careful\n',
  );
  const queries = renderEntity({ '@type': 'queries', queries: [{ id: 'CSAS_X_1', queryType: 'PERSISTENT', statusCount: { RUNNING: 1 }, sinks: ['X'], sinkKafkaTopics: ['x'], queryString: 'CREATE STREAM X AS\nSELECT * FROM S;' }] });
  assert.match(queries, / CSAS_X_1 \| PERSISTENT \| RUNNING:1 \| X {9}\| x {16}\| CREATE STREAM X AS SELECT \* FROM S;\n/);
  const extended = renderEntity({
    '@type': 'sourceDescription',
    sourceDescription: {
      name: 'S', type: 'STREAM', extended: true, timestamp: '', keyFormat: 'KAFKA', valueFormat: 'JSON', topic: 's', partitions: 1, replication: 1, statement: 'CREATE STREAM S ...;',
      fields: [{ name: 'K', schema: { type: 'DECIMAL', parameters: { precision: 4, scale: 2 } }, type: 'KEY' }, { name: 'M', schema: { type: 'MAP', memberSchema: { type: 'STRING' } } }],
      readQueries: [{ id: 'CSAS_T_2', queryString: 'CREATE STREAM T AS SELECT * FROM S;', state: 'RUNNING' }], writeQueries: [], statistics: '', errorStats: '',
    },
  });
  assert.match(extended, /Timestamp field {6}: Not set - using <ROWTIME>\n/);
  assert.match(extended, /Kafka topic {10}: s \(partitions: 1, replication: 1\)\n/);
  assert.match(extended, / K {5}\| DECIMAL\(4, 2\) {4}\(key\)\n M {5}\| MAP<STRING, VARCHAR\(STRING\)>\n/);
  assert.match(extended, /Queries that read from this STREAM\n-+\nCSAS_T_2 \(RUNNING\) : CREATE STREAM T AS SELECT \* FROM S;\n/);
  assert.equal(renderEntity({ '@type': 'mystery', x: 1 }), '{\n  "@type": "mystery",\n  "x": 1\n}\n');
});

test('errors show the line of the statement and a caret at the position named in the message', () => {
  const err = new RestError(400, 40001, "line 2:7: Syntax Error\nSyntax error at or near 'FROM'", 'SELECT a,\n  b, , FROM s;');
  assert.equal(formatError(err), "line 2:7: Syntax Error\nSyntax error at or near 'FROM'\n  b, , FROM s;\n      ^\n");
  const inFile = formatError(new RestError(400, 40001, 'line 1:8: bad'), { text: 'SELECT !;', file: { name: 'x.sql', line: 3, column: 5 } });
  assert.equal(inFile, 'line 1:8: bad\nIn x.sql at line 3, column 12:\nSELECT !;\n       ^\n');
  assert.equal(formatError(new RestError(400, 40001, 'S does not exist.')), 'S does not exist.\n');
});

test('completion offers keywords, and the server\'s source and column names, in the case typed', async () => {
  const server = await startShellTestServer();
  const client = new RestClient(server.url);
  try {
    const session: Session = new Session({ client, out: { write: () => {}, columns: 80 }, onCatalogChange: () => completer.invalidate() });
    const completer = new Completer(session);
    assert.ok(await session.execute("CREATE STREAM riders (id INT KEY, rider_name STRING) WITH (kafka_topic='r', value_format='json', partitions=1);"));
    assert.deepEqual(await completer.complete('sel'), [['select'], 'sel']);
    assert.deepEqual(await completer.complete('SELECT RI'), [['RIDERS', 'RIDER_NAME', 'RIGHT'], 'RI']);
    assert.deepEqual(await completer.complete('select * from '), [['RIDERS'], '']);
    assert.deepEqual(await completer.complete('select r.rid'), [['r.rider_name'], 'r.rid']);
    assert.deepEqual(await completer.complete('SELECT '), [[], '']);
    // Names are cached, and fetched again after a DDL statement.
    const requests = server.requests.length;
    await completer.complete('SELECT RI');
    assert.equal(server.requests.length, requests);
    assert.ok(await session.execute("CREATE TABLE rides (id INT PRIMARY KEY) WITH (kafka_topic='t', value_format='json', partitions=1);"));
    assert.deepEqual(await completer.complete('DESCRIBE RIDE'), [['RIDERS', 'RIDES'], 'RIDE']);
    assert.ok(server.requests.length > requests + 1, 'the DDL and a fresh listing reached the server');
  } finally {
    client.dispose();
    await server.close();
  }
});
