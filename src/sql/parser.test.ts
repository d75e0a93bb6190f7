// Unit tests of the parser: every statement form, precedence, tricky identifiers, variable
// substitution, statement splitting, and ksqlDB-style error messages with their positions.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Expr, Statement } from './ast.ts';
import { isDiagnostic, parseExpression, parseScript, parseTableElements, parseType, splitStatements } from './parser.ts';

/** Parses one statement, failing the test on a parse error. */
function stmt(sql: string): Statement {
  const r = parseScript(sql);
  if (!r.ok) assert.fail(r.error.message);
  assert.equal(r.statements.length, 1);
  return r.statements[0]!.statement;
}

function error(sql: string): string {
  const r = parseScript(sql);
  assert.ok(!r.ok, `expected ${sql} to fail`);
  return r.error.message;
}

/** Prints an expression fully parenthesised, to check precedence at a glance. */
function show(e: Expr): string {
  switch (e.kind) {
    case 'ColumnRef': return e.source ? `${e.source}.${e.name}` : e.name;
    case 'IntegerLiteral': case 'DecimalLiteral': case 'DoubleLiteral': return e.text;
    case 'StringLiteral': return `'${e.value}'`;
    case 'Logical': return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case 'Comparison': return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case 'Arithmetic': return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case 'Concat': return `(${show(e.left)} || ${show(e.right)})`;
    case 'Not': return `(NOT ${show(e.operand)})`;
    case 'Negate': return `(-${show(e.operand)})`;
    case 'Subscript': return `${show(e.base)}[${show(e.index)}]`;
    case 'Dereference': return `${show(e.base)}->${e.field}`;
    case 'IsNull': return `(${show(e.operand)} IS ${e.negated ? 'NOT ' : ''}NULL)`;
    case 'Between': return `(${show(e.operand)} ${e.negated ? 'NOT ' : ''}BETWEEN ${show(e.low)} AND ${show(e.high)})`;
    case 'InList': return `(${show(e.operand)} ${e.negated ? 'NOT ' : ''}IN ${e.list.map(show).join(', ')})`;
    case 'Like': return `(${show(e.operand)} ${e.negated ? 'NOT ' : ''}LIKE ${show(e.pattern)}${e.escape ? ` ESCAPE '${e.escape}'` : ''})`;
    case 'FunctionCall': return `${e.name}(${e.star ? '*' : e.args.map(show).join(', ')})`;
    case 'Lambda': return `(${e.params.join(', ')}) => ${show(e.body)}`;
    case 'TimeUnitLiteral': return `<${e.unit}>`;
    case 'AtTimeZone': return `(${show(e.operand)} AT TIME ZONE '${e.zone}')`;
    default: return e.kind;
  }
}

function expr(text: string): string {
  const e = parseExpression(text);
  if (isDiagnostic(e)) assert.fail(e.message);
  return show(e);
}

void test('expression precedence', () => {
  assert.equal(expr('a OR b AND NOT c = d'), '(A OR (B AND (NOT (C = D))))');
  assert.equal(expr('a || b + c * d - e % f'), '(A || ((B + (C * D)) - (E % F)))');
  assert.equal(expr('a - b - c'), '((A - B) - C)');
  assert.equal(expr('-x[1]->f'), '(-X[1]->F)');
  assert.equal(expr('a + 1 > b * 2 AND c IS NOT NULL'), '(((A + 1) > (B * 2)) AND (C IS NOT NULL))');
  assert.equal(expr('x NOT BETWEEN 1 AND 2 AND y'), '((X NOT BETWEEN 1 AND 2) AND Y)');
  assert.equal(expr("a NOT IN (1, 2) OR b LIKE 'x%' ESCAPE '!'"), "((A NOT IN 1, 2) OR (B LIKE 'x%' ESCAPE '!'))");
  assert.equal(expr('a != b'), '(A <> B)');
  assert.equal(expr('a IS NOT DISTINCT FROM b'), '(A IS NOT DISTINCT FROM B)');
  assert.equal(expr("ts AT TIME ZONE 'UTC'"), "(TS AT TIME ZONE 'UTC')");
  assert.equal(expr('(a + b) * c'), '((A + B) * C)');
});

void test('a sign on a number is part of the literal', () => {
  assert.equal(expr('-9223372036854775808'), '-9223372036854775808');
  assert.equal(expr('1 - -2.50'), '(1 - -2.50)');
  assert.equal(expr('- a'), '(-A)');
});

void test('function calls, lambdas, time units, constructors', () => {
  assert.equal(expr('COUNT(*)'), 'COUNT(*)');
  assert.equal(expr('f()'), 'F()');
  assert.equal(expr('transform(m, (k, v) => k + v, x => x)'), 'TRANSFORM(M, (K, V) => (K + V), (X) => X)');
  assert.equal(expr('TIMESTAMPADD(MILLISECONDS, 5, ts)'), 'TIMESTAMPADD(<MILLISECONDS>, 5, TS)');
  assert.equal(expr('f((a), (b + 1))'), 'F(A, (B + 1))');
  const e = parseExpression("CASE WHEN a THEN 1 END + CAST(x AS MAP<STRING, ARRAY<INT>>) + ARRAY[] + MAP() + STRUCT(A := 1) + DATE '2020-01-01'");
  assert.ok(!isDiagnostic(e));
  assert.equal(show(e), '(((((SearchedCase + Cast) + ArrayConstructor) + MapConstructor) + StructConstructor) + TypedLiteral)');
});

void test('keywords that ksqlDB does not reserve work as identifiers', () => {
  const s = stmt('CREATE STREAM TEST (KEY STRING KEY, `Key` INT, TIMESTAMP BIGINT, DATE DATE, MAP MAP<STRING, INT>, STRUCT STRUCT<TYPE INT>, EMIT INT) WITH (KAFKA_TOPIC=\'t\', TIMESTAMP=\'TIMESTAMP\');');
  assert.equal(s.kind, 'CreateSource');
  if (s.kind !== 'CreateSource') return;
  assert.deepEqual(s.elements.map((e) => e.name), ['KEY', 'Key', 'TIMESTAMP', 'DATE', 'MAP', 'STRUCT', 'EMIT']);
  assert.deepEqual(s.properties.entries.map((p) => p.name), ['KAFKA_TOPIC', 'TIMESTAMP']);
  assert.equal(expr('map[key] + struct->date'), '(MAP[KEY] + STRUCT->DATE)');
});

void test('CREATE source: elements, constraints, properties', () => {
  const s = stmt("CREATE OR REPLACE SOURCE TABLE IF NOT EXISTS t (id INT PRIMARY KEY, h BYTES HEADER('k'), hs ARRAY<STRUCT<KEY STRING, VALUE BYTES>> HEADERS, d DECIMAL(4, 2), v VARCHAR(STRING)) WITH (kafka_topic='t', partitions=-1, wrap_single_value=false, \"Mixed\"=1.5);");
  assert.deepEqual(
    { ...s, pos: undefined, elements: undefined, properties: undefined },
    { kind: 'CreateSource', sourceType: 'TABLE', name: 'T', orReplace: true, isSource: true, ifNotExists: true, pos: undefined, elements: undefined, properties: undefined },
  );
  if (s.kind !== 'CreateSource') return;
  assert.deepEqual(s.elements.map((e) => e.constraint), ['PRIMARY KEY', { header: 'k' }, 'HEADERS', undefined, undefined]);
  assert.deepEqual(s.elements[3]!.type, { kind: 'DecimalType', precision: 4, scale: 2 });
  assert.deepEqual(s.elements[4]!.type, { kind: 'PrimitiveType', name: 'STRING' });
  assert.deepEqual(s.properties.entries.map((p) => [p.name, p.value.kind]), [
    ['KAFKA_TOPIC', 'StringLiteral'], ['PARTITIONS', 'IntegerLiteral'], ['WRAP_SINGLE_VALUE', 'BooleanLiteral'], ['Mixed', 'DecimalLiteral'],
  ]);
});

void test('every statement form parses to its kind', () => {
  const cases: [string, string][] = [
    ['CREATE STREAM s WITH (kafka_topic=\'t\', value_format=\'JSON\');', 'CreateSource'],
    ['CREATE TABLE t WITH (kafka_topic=\'t\') AS SELECT k, COUNT(*) FROM s GROUP BY k EMIT CHANGES;', 'CreateAsSelect'],
    ['CREATE OR REPLACE STREAM s2 AS SELECT * FROM s;', 'CreateAsSelect'],
    ['INSERT INTO s2 WITH (QUERY_ID=\'q\') SELECT * FROM s;', 'InsertInto'],
    ['INSERT INTO s2 SELECT * FROM s;', 'InsertInto'],
    ["INSERT INTO s (a, `b`) VALUES (1, 'x');", 'InsertValues'],
    ['INSERT INTO s VALUES (1);', 'InsertValues'],
    ['DROP STREAM IF EXISTS s DELETE TOPIC;', 'DropSource'],
    ['DROP TABLE t;', 'DropSource'],
    ['CREATE TYPE IF NOT EXISTS ADDRESS AS STRUCT<number INTEGER, street VARCHAR>;', 'CreateType'],
    ['DROP TYPE IF EXISTS ADDRESS;', 'DropType'],
    ['ALTER STREAM s ADD COLUMN c INT, ADD COLUMN d STRING;', 'AlterSource'],
    ["ALTER SYSTEM 'ksql.x'='y';", 'AlterSystem'],
    ['SELECT * FROM t WHERE k = 1;', 'Select'],
    ["PRINT 'topic' FROM BEGINNING SAMPLE 2 LIMIT 1;", 'Print'],
    ['TERMINATE CSAS_S2_0;', 'Terminate'],
    ['TERMINATE ALL;', 'Terminate'],
    ['PAUSE ALL;', 'PauseResume'],
    ['RESUME q1;', 'PauseResume'],
    ['LIST STREAMS EXTENDED;', 'ListStreams'],
    ['SHOW TABLES;', 'ListTables'],
    ['SHOW QUERIES EXTENDED;', 'ListQueries'],
    ['SHOW ALL TOPICS EXTENDED;', 'ListTopics'],
    ['LIST PROPERTIES;', 'ListProperties'],
    ['SHOW FUNCTIONS;', 'ListFunctions'],
    ['SHOW TYPES;', 'ListTypes'],
    ['SHOW VARIABLES;', 'ListVariables'],
    ['SHOW SINK CONNECTORS;', 'ListConnectors'],
    ['SHOW CONNECTOR PLUGINS;', 'ListConnectorPlugins'],
    ['DESCRIBE s EXTENDED;', 'DescribeSource'],
    ['DESCRIBE `TABLES`;', 'DescribeSource'],
    ['DESCRIBE TABLES EXTENDED;', 'DescribeSources'],
    ['DESCRIBE STREAMS;', 'DescribeSources'],
    ['DESCRIBE FUNCTION substring;', 'DescribeFunction'],
    ['DESCRIBE CONNECTOR c;', 'DescribeConnector'],
    ['EXPLAIN SELECT * FROM s EMIT CHANGES;', 'Explain'],
    ['EXPLAIN CSAS_S2_0;', 'Explain'],
    ["SET 'auto.offset.reset'='earliest';", 'SetProperty'],
    ["UNSET 'auto.offset.reset';", 'UnsetProperty'],
    ["DEFINE x = 'y';", 'DefineVariable'],
    ['UNDEFINE x;', 'UndefineVariable'],
    ["CREATE SOURCE CONNECTOR IF NOT EXISTS c WITH ('connector.class'='x', \"tasks.max\"='1');", 'CreateConnector'],
    ["CREATE SINK CONNECTOR c WITH ('a'='b');", 'CreateConnector'],
    ['DROP CONNECTOR IF EXISTS c;', 'DropConnector'],
    ["ASSERT NOT EXISTS TOPIC 'my-topic' WITH (partitions=1) TIMEOUT 3 SECONDS;", 'AssertTopic'],
    ["ASSERT SCHEMA SUBJECT 'sub' ID 4;", 'AssertSchema'],
    ['ASSERT SCHEMA ID 4 TIMEOUT 1 MINUTE;', 'AssertSchema'],
  ];
  for (const [sql, kind] of cases) assert.equal(stmt(sql).kind, kind, sql);
});

void test('queries: joins, windows, group by forms, emit, limit', () => {
  const s = stmt('SELECT l.id, r.* FROM left_s l FULL OUTER JOIN right_t AS r WITHIN 10 SECONDS GRACE PERIOD 1 MINUTE ON l.id = r.id RIGHT JOIN x ON x.a = l.a WINDOW SESSION (5 MINUTES, RETENTION 2 DAYS) WHERE l.v > 0 GROUP BY l.id, r.id HAVING COUNT(*) > 1 EMIT FINAL LIMIT 5;');
  if (s.kind !== 'Select') assert.fail(s.kind);
  const q = s.query;
  assert.equal(q.from.kind, 'Join');
  if (q.from.kind !== 'Join' || q.from.left.kind !== 'Join') assert.fail('expected a 3-way join');
  assert.equal(q.from.type, 'RIGHT');
  assert.equal(q.from.left.type, 'FULL');
  assert.deepEqual(q.from.left.right, { kind: 'AliasedSource', name: 'RIGHT_T', alias: 'R', pos: { line: 1, column: 48 } });
  assert.deepEqual(q.from.left.within, { before: { value: 10, unit: 'SECONDS' }, after: { value: 10, unit: 'SECONDS' }, grace: { value: 1, unit: 'MINUTES' } });
  assert.deepEqual(q.window, { kind: 'Session', gap: { value: 5, unit: 'MINUTES' }, retention: { value: 2, unit: 'DAYS' }, grace: undefined, pos: q.window!.pos });
  assert.equal(q.groupBy!.length, 2);
  assert.equal(q.emit, 'FINAL');
  assert.equal(q.limit, 5);

  const g = stmt('SELECT a FROM s WINDOW TUMBLING (SIZE 1 HOUR, GRACE PERIOD 0 SECONDS) GROUP BY (a + 1) * 2, b EMIT CHANGES;');
  if (g.kind !== 'Select') assert.fail(g.kind);
  assert.deepEqual(g.query.groupBy!.map(show), ['((A + 1) * 2)', 'B']);
  assert.equal(g.query.window!.kind, 'Tumbling');
  const p = stmt('SELECT * FROM s AS x PARTITION BY a, b->c;');
  if (p.kind !== 'Select') assert.fail(p.kind);
  assert.deepEqual(p.query.partitionBy!.map(show), ['A', 'B->C']);
  assert.deepEqual(p.query.from, { kind: 'AliasedSource', name: 'S', alias: 'X', pos: { line: 1, column: 15 } });
  assert.equal(p.query.emit, undefined);
});

void test('select items: aliases with and without AS, src.*, struct->*', () => {
  const s = stmt('SELECT a AS x, b y, s.*, c->d->*, * FROM s EMIT CHANGES;');
  if (s.kind !== 'Select') assert.fail(s.kind);
  assert.deepEqual(s.query.select.map((i) => (i.kind === 'SingleColumn' ? `${show(i.expr)} AS ${i.alias}` : i.kind === 'AllColumns' ? `${i.source ?? ''}*` : `${show(i.base)}->*`)), [
    'A AS X', 'B AS Y', 'S*', 'C->D->*', '*',
  ]);
});

void test('statement text, positions and splitting', () => {
  const sql = "-- lead\nSELECT ';' FROM s;\n  /* c; */ SHOW `A;B`;\nLIST STREAMS";
  assert.deepEqual(splitStatements(sql).map((s) => [s.text, s.pos.line, s.pos.column]), [
    ["SELECT ';' FROM s;", 2, 1],
    ['SHOW `A;B`;', 3, 12],
    ['LIST STREAMS', 4, 1],
  ]);
  const r = parseScript("SELECT 1 FROM s;\n\nDROP STREAM s");
  assert.ok(r.ok);
  assert.deepEqual(r.statements.map((s) => [s.text, s.pos]), [['SELECT 1 FROM s;', { line: 1, column: 1 }], ['DROP STREAM s', { line: 3, column: 1 }]]);
  assert.deepEqual(parseScript(' \n -- nothing\n'), { ok: true, statements: [] });
});

void test('variable substitution follows DEFINE / UNDEFINE in order', () => {
  const r = parseScript(
    "DEFINE topic = 'T1'; DEFINE Name = 'S1';\nCREATE STREAM ${name} WITH (kafka_topic='${TOPIC}', x='$${topic}');\nUNDEFINE name; DROP STREAM ${name};",
  );
  if (!r.ok) assert.fail(r.error.message);
  const create = r.statements[2]!;
  assert.equal(create.text, "CREATE STREAM ${name} WITH (kafka_topic='${TOPIC}', x='$${topic}');");
  assert.equal(create.substitutedText, "CREATE STREAM S1 WITH (kafka_topic='T1', x='${topic}');");
  assert.ok(create.statement.kind === 'CreateSource' && create.statement.name === 'S1');
  assert.deepEqual(create.statement.kind === 'CreateSource' && create.statement.properties.entries.map((e) => e.value.kind === 'StringLiteral' && e.value.value), ['T1', '${topic}']);
  const drop = r.statements[4]!.statement;
  assert.ok(drop.kind === 'DropSource' && drop.name === '${name}', 'an undefined variable is left as written');
  const pre = parseScript('SELECT * FROM ${src};', { variables: new Map([['SRC', 'orders']]) });
  assert.ok(pre.ok && pre.statements[0]!.statement.kind === 'Select' && pre.statements[0]!.statement.query.from.kind === 'AliasedSource' && pre.statements[0]!.statement.query.from.name === 'ORDERS');
});

void test('ksqlDB-style syntax errors', () => {
  assert.equal(error("RUN SCRIPT 'foo';"), "line 1:1: Syntax Error\nUnknown statement 'RUN'");
  assert.equal(error('ASSERT VALUES foo (id INT) VALUES (123);'), "line 1:8: Syntax Error\nSyntax error at or near 'VALUES' at line 1:8");
  assert.equal(error("CREATE STREAM INPUT (K INTEGER (KEY)) WITH (kafka_topic='input');"), "line 1:33: Syntax Error\nExpecting {'STRING', INTEGER_VALUE}");
  assert.equal(error("CREATE STREAM INPUT (K VARCHAR(STRING) (KEY)) WITH (kafka_topic='input');"), "line 1:40: Syntax Error\nExpecting {',', ')'}");
  assert.equal(error('SELECT * FROM s WHERE id IN ( );'), "line 1:31: Syntax Error\nSyntax error at or near ')' at line 1:31");
  assert.equal(error('SELECT * FROM s ORDER BY k;'), "line 1:23: Syntax Error\nSyntax error at or near 'BY' at line 1:23");
  assert.equal(error('SELECT * FROM s LIMIT 2.5;'), 'Value must be integer for command: LIMIT');
  assert.equal(error('CREATE STREAM s (c NULL);'), "line 1:20: Syntax Error\nSyntax error at or near 'NULL' at line 1:20");
  assert.equal(error('SELECT * FROM'), "line 1:14: Syntax Error\nSyntax error at or near '<EOF>' at line 1:14");
});

void test('errors carry script-relative positions and the failing statement text', () => {
  const r = parseScript('SHOW STREAMS;\nSELECT *\n  FROM s WHERE;');
  assert.ok(!r.ok);
  assert.equal(r.statementText, 'SELECT *\n  FROM s WHERE;');
  assert.deepEqual(r.error.pos, { line: 3, column: 15 });
  assert.equal(r.error.message, "line 3:15: Syntax Error\nSyntax error at or near ';' at line 3:15");
});

void test('numeric literal range checks', () => {
  assert.equal(error('SELECT 9223372036854775808 FROM s;'), 'line 1:8: Invalid numeric literal: 9223372036854775808');
  assert.equal(error('SELECT -9223372036854775809 FROM s;'), 'line 1:8: Invalid numeric literal: -9223372036854775809');
  assert.equal(error('SELECT 1.7976931348623159E308 FROM s;'), 'line 1:8: Number overflows DOUBLE: 1.7976931348623159E308');
  assert.equal(stmt('SELECT -9223372036854775808, 1.7976931348623157E308 FROM s;').kind, 'Select');
});

void test('checks ksqlDB makes while building CREATE statements', () => {
  assert.equal(error('CREATE TABLE T (ID INT KEY) WITH (kafka_topic=\'t\');'), "Line: 1, Col: 17: Column `ID` is a 'KEY' column: please use 'PRIMARY KEY' for tables.");
  assert.equal(error('CREATE STREAM S (ID INT PRIMARY KEY) WITH (kafka_topic=\'t\');'), "Line: 1, Col: 18: Column `ID` is a 'PRIMARY KEY' column: please use 'KEY' for streams.");
  assert.equal(error("CREATE TABLE T (K INT PRIMARY KEY) WITH (WINDOW_TYPE='Hopping', WINDOW_SIZE='30 bobs');"), "Configuration WINDOW_SIZE is invalid: Invalid duration: '30 bobs'. Unknown time unit: 'BOBS'");
  assert.equal(error("CREATE TABLE T (K INT PRIMARY KEY) WITH (WINDOW_TYPE='Session', WINDOW_SIZE='30 seconds');"), "'WINDOW_SIZE' should not be set for SESSION windows.");
  assert.equal(stmt("CREATE TABLE T (K INT PRIMARY KEY) WITH (WINDOW_TYPE='Tumbling', WINDOW_SIZE='30 second');").kind, 'CreateSource');
});

void test('parseType and parseTableElements', () => {
  assert.deepEqual(parseType('map<string, array<decimal(10,2)>>'), {
    kind: 'MapType', key: { kind: 'PrimitiveType', name: 'STRING' }, value: { kind: 'ArrayType', element: { kind: 'DecimalType', precision: 10, scale: 2 } },
  });
  assert.deepEqual(parseType('STRUCT<`a` INT, B MyType>'), {
    kind: 'StructType', fields: [{ name: 'a', type: { kind: 'PrimitiveType', name: 'INTEGER' } }, { name: 'B', type: { kind: 'CustomType', name: 'MYTYPE' } }],
  });
  assert.deepEqual(parseType('INT ARRAY'), { kind: 'ArrayType', element: { kind: 'PrimitiveType', name: 'INTEGER' } });
  assert.ok(isDiagnostic(parseType('ARRAY<NULL>')));
  assert.ok(isDiagnostic(parseType('INT extra')));
  const els = parseTableElements('ID BIGINT KEY, NAME STRING');
  assert.ok(!isDiagnostic(els));
  assert.deepEqual(els.map((e) => [e.name, e.constraint]), [['ID', 'KEY'], ['NAME', undefined]]);
  assert.deepEqual(parseTableElements(''), []);
  assert.ok(isDiagnostic(parseExpression('a +')));
});
