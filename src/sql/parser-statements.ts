// Parses one statement (without its `;`): dispatches on the first word to DDL, DML, queries,
// introspection, session, connector and assertion statements.

import type { Duration, Statement, TableElement } from './ast.ts';
import type { Token } from './lexer.ts';
import type { Cursor } from './parser-core.ts';
import { checkCreateSource, NO_PROPERTIES, parseProperties, parseTableElements } from './parser-ddl.ts';
import { commaList, parseExpr } from './parser-expressions.ts';
import { parseDuration, parseQuery } from './parser-query.ts';
import { parseTypeNode } from './parser-types.ts';

type Parse = (c: Cursor, start: Token) => Statement;

const STATEMENTS: Readonly<Record<string, Parse>> = {
  SELECT: (c, t) => ({ kind: 'Select', query: parseQuery(c), pos: t.pos }),
  CREATE: parseCreate,
  INSERT: parseInsert,
  DROP: parseDrop,
  ALTER: parseAlter,
  PRINT: parsePrint,
  TERMINATE: (c, t) => {
    c.next();
    return { kind: 'Terminate', queryId: queryIdOrAll(c), pos: t.pos };
  },
  PAUSE: (c, t) => {
    c.next();
    return { kind: 'PauseResume', action: 'PAUSE', queryId: queryIdOrAll(c), pos: t.pos };
  },
  RESUME: (c, t) => {
    c.next();
    return { kind: 'PauseResume', action: 'RESUME', queryId: queryIdOrAll(c), pos: t.pos };
  },
  LIST: parseList,
  SHOW: parseList,
  DESCRIBE: parseDescribe,
  EXPLAIN: (c, t) => {
    c.next();
    const n = c.peek();
    if (n.type === 'identifier' && Object.hasOwn(STATEMENTS, n.value)) return { kind: 'Explain', queryId: undefined, statement: parseStatement(c), pos: t.pos };
    return { kind: 'Explain', queryId: c.identifier(), statement: undefined, pos: t.pos };
  },
  SET: (c, t) => {
    c.next();
    const name = c.expectString();
    c.expectOp('=');
    return { kind: 'SetProperty', name, value: c.expectString(), pos: t.pos };
  },
  UNSET: (c, t) => {
    c.next();
    return { kind: 'UnsetProperty', name: c.expectString(), pos: t.pos };
  },
  DEFINE: (c, t) => {
    c.next();
    const name = rawName(c);
    c.expectOp('=');
    return { kind: 'DefineVariable', name, value: c.expectString(), pos: t.pos };
  },
  UNDEFINE: (c, t) => {
    c.next();
    return { kind: 'UndefineVariable', name: rawName(c), pos: t.pos };
  },
  ASSERT: parseAssert,
};

export function parseStatement(c: Cursor): Statement {
  const t = c.peek();
  if (t.type === 'identifier' && Object.hasOwn(STATEMENTS, t.value)) return STATEMENTS[t.value]!(c, t);
  if (t.type === 'identifier') c.syntaxError(`Unknown statement '${c.raw(t)}'`);
  return c.failNear();
}

function parseCreate(c: Cursor, t: Token): Statement {
  const pos = t.pos;
  c.next();
  const orReplace = c.acceptWords('OR', 'REPLACE');
  if (!orReplace && (c.isWord('SOURCE') || c.isWord('SINK')) && c.isWord('CONNECTOR', 1)) {
    const connectorType = c.next().value as 'SOURCE' | 'SINK';
    c.next();
    const ifNotExists = c.acceptWords('IF', 'NOT', 'EXISTS');
    const name = c.identifier();
    c.expectWord('WITH');
    return { kind: 'CreateConnector', connectorType, name, ifNotExists, properties: parseProperties(c), pos };
  }
  if (!orReplace && c.acceptWords('TYPE')) {
    const ifNotExists = c.acceptWords('IF', 'NOT', 'EXISTS');
    const name = c.identifier();
    c.expectWord('AS');
    return { kind: 'CreateType', name, ifNotExists, type: parseTypeNode(c), pos };
  }
  const isSource = c.acceptWords('SOURCE');
  let sourceType: 'STREAM' | 'TABLE';
  if (c.acceptWords('STREAM')) sourceType = 'STREAM';
  else if (c.acceptWords('TABLE')) sourceType = 'TABLE';
  else return c.failNear();
  const ifNotExists = c.acceptWords('IF', 'NOT', 'EXISTS');
  const name = c.identifier();
  let elements: TableElement[] = [];
  const hasElements = c.acceptOp('(');
  if (hasElements) {
    elements = c.isOp(')') ? [] : parseTableElements(c, ')');
    c.expectOp(')');
  }
  const properties = c.acceptWords('WITH') ? parseProperties(c) : NO_PROPERTIES;
  if (!hasElements && !isSource && c.acceptWords('AS')) {
    return { kind: 'CreateAsSelect', sourceType, name, orReplace, ifNotExists, properties, query: parseQuery(c), pos };
  }
  checkCreateSource(c, sourceType, elements, properties, pos);
  return { kind: 'CreateSource', sourceType, name, orReplace, isSource, ifNotExists, elements, properties, pos };
}

function parseInsert(c: Cursor, t: Token): Statement {
  const pos = t.pos;
  c.next();
  c.expectWord('INTO');
  const target = c.identifier();
  let columns: string[] | undefined;
  if (c.acceptOp('(')) {
    columns = commaList(c, ')', (cc) => cc.identifier());
    c.expectOp(')', ["','"]);
  }
  if (c.acceptWords('VALUES')) {
    c.expectOp('(');
    const values = commaList(c, ')', parseExpr);
    c.expectOp(')', ["','"]);
    return { kind: 'InsertValues', target, columns, values, pos };
  }
  if (columns !== undefined) c.failExpecting(["'VALUES'"]);
  const properties = c.acceptWords('WITH') ? parseProperties(c) : NO_PROPERTIES;
  if (!c.isWord('SELECT')) c.failNear();
  return { kind: 'InsertInto', target, properties, query: parseQuery(c), pos };
}

function parseDrop(c: Cursor, t: Token): Statement {
  const pos = t.pos;
  c.next();
  if (c.acceptWords('TYPE')) {
    const ifExists = c.acceptWords('IF', 'EXISTS');
    return { kind: 'DropType', name: c.identifier(), ifExists, pos };
  }
  if (c.acceptWords('CONNECTOR')) {
    const ifExists = c.acceptWords('IF', 'EXISTS');
    return { kind: 'DropConnector', name: c.identifier(), ifExists, pos };
  }
  const sourceType = c.acceptWords('STREAM') ? 'STREAM' : c.acceptWords('TABLE') ? 'TABLE' : undefined;
  if (sourceType === undefined) return c.failNear();
  const ifExists = c.acceptWords('IF', 'EXISTS');
  const name = c.identifier();
  const deleteTopic = c.acceptWords('DELETE', 'TOPIC');
  return { kind: 'DropSource', sourceType, name, ifExists, deleteTopic, pos };
}

function parseAlter(c: Cursor, t: Token): Statement {
  const pos = t.pos;
  c.next();
  if (c.acceptWords('SYSTEM')) {
    const name = c.expectString();
    c.expectOp('=');
    return { kind: 'AlterSystem', name, value: c.expectString(), pos };
  }
  const sourceType = c.acceptWords('STREAM') ? 'STREAM' : c.acceptWords('TABLE') ? 'TABLE' : undefined;
  if (sourceType === undefined) return c.failNear();
  const name = c.identifier();
  const columns: TableElement[] = [];
  c.expectWord('ADD');
  do {
    // ksqlDB repeats ADD for each column; a bare `, col type` is accepted too.
    c.acceptWords('ADD');
    c.acceptWords('COLUMN');
    const colPos = c.pos;
    const colName = c.identifier();
    columns.push({ name: colName, type: parseTypeNode(c), constraint: undefined, pos: colPos });
  } while (c.acceptOp(','));
  return { kind: 'AlterSource', sourceType, name, columns, pos };
}

function parsePrint(c: Cursor, t: Token): Statement {
  c.next();
  const topic = topicName(c);
  const fromBeginning = c.acceptWords('FROM', 'BEGINNING');
  const interval = c.acceptWords('INTERVAL') || c.acceptWords('SAMPLE') ? c.expectInteger() : undefined;
  const limit = c.acceptWords('LIMIT') ? c.expectInteger() : undefined;
  return { kind: 'Print', topic, fromBeginning, interval, limit, pos: t.pos };
}

function parseList(c: Cursor, t: Token): Statement {
  const pos = t.pos;
  c.next();
  const extended = (): boolean => c.acceptWords('EXTENDED');
  if (c.acceptWords('PROPERTIES')) return { kind: 'ListProperties', pos };
  if (c.acceptWords('ALL', 'TOPICS')) return { kind: 'ListTopics', all: true, extended: extended(), pos };
  if (c.acceptWords('TOPICS')) return { kind: 'ListTopics', all: false, extended: extended(), pos };
  if (c.acceptWords('STREAMS')) return { kind: 'ListStreams', extended: extended(), pos };
  if (c.acceptWords('TABLES')) return { kind: 'ListTables', extended: extended(), pos };
  if (c.acceptWords('QUERIES')) return { kind: 'ListQueries', extended: extended(), pos };
  if (c.acceptWords('FUNCTIONS')) return { kind: 'ListFunctions', pos };
  if (c.acceptWords('TYPES')) return { kind: 'ListTypes', pos };
  if (c.acceptWords('VARIABLES')) return { kind: 'ListVariables', pos };
  if (c.acceptWords('CONNECTORS')) return { kind: 'ListConnectors', scope: 'ALL', pos };
  if (c.acceptWords('SOURCE', 'CONNECTORS')) return { kind: 'ListConnectors', scope: 'SOURCE', pos };
  if (c.acceptWords('SINK', 'CONNECTORS')) return { kind: 'ListConnectors', scope: 'SINK', pos };
  if (c.acceptWords('CONNECTOR', 'PLUGINS')) return { kind: 'ListConnectorPlugins', pos };
  return c.failNear();
}

function parseDescribe(c: Cursor, t: Token): Statement {
  const pos = t.pos;
  c.next();
  if (c.isWord('FUNCTION') && c.isIdentifier(1)) {
    c.next();
    return { kind: 'DescribeFunction', name: c.identifier(), pos };
  }
  if (c.isWord('CONNECTOR') && c.isIdentifier(1)) {
    c.next();
    return { kind: 'DescribeConnector', name: c.identifier(), pos };
  }
  // Only the unquoted words mean "all of them"; `STREAMS` in quotes is a source name.
  if (c.acceptWords('STREAMS')) return { kind: 'DescribeSources', sourceType: 'STREAM', extended: c.acceptWords('EXTENDED'), pos };
  if (c.acceptWords('TABLES')) return { kind: 'DescribeSources', sourceType: 'TABLE', extended: c.acceptWords('EXTENDED'), pos };
  const name = c.identifier();
  return { kind: 'DescribeSource', name, extended: c.acceptWords('EXTENDED'), pos };
}

function parseAssert(c: Cursor, t: Token): Statement {
  const pos = t.pos;
  c.next();
  const exists = !c.acceptWords('NOT', 'EXISTS');
  if (c.acceptWords('TOPIC')) {
    const topic = topicName(c);
    const properties = c.acceptWords('WITH') ? parseProperties(c) : NO_PROPERTIES;
    return { kind: 'AssertTopic', topic, exists, properties, timeout: timeout(c), pos };
  }
  if (c.acceptWords('SCHEMA')) {
    const subject = c.acceptWords('SUBJECT') ? topicName(c) : undefined;
    const id = c.acceptWords('ID') ? c.expectInteger() : undefined;
    if (subject === undefined && id === undefined) c.failExpecting(["'SUBJECT'", "'ID'"]);
    return { kind: 'AssertSchema', subject, id, exists, timeout: timeout(c), pos };
  }
  return c.failNear();
}

function timeout(c: Cursor): Duration | undefined {
  return c.acceptWords('TIMEOUT') ? parseDuration(c) : undefined;
}

function queryIdOrAll(c: Cursor): string | undefined {
  return c.acceptWords('ALL') ? undefined : c.identifier();
}

/** A topic or subject name: a string, a quoted identifier, or an unquoted one kept as written
 *  (Kafka names are case-sensitive, so upper-casing would name a different topic). */
function topicName(c: Cursor): string {
  const t = c.peek();
  if (t.type === 'string' || t.type === 'quotedIdentifier') return c.next().value;
  if (!c.isIdentifier()) c.failNear();
  return c.raw(c.next());
}

/** A variable name as written: ksqlDB shows variables in the case they were defined with. */
function rawName(c: Cursor): string {
  const t = c.peek();
  if (t.type === 'quotedIdentifier') return c.next().value;
  if (!c.isIdentifier()) c.failNear();
  return c.raw(c.next());
}
