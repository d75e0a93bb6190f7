// A stand-in for a ksqlDB-compatible server, speaking the documented REST shapes over loopback:
// the real SQL parser (so syntax errors carry real positions), a catalog of streams/tables, INSERT
// VALUES, push / pull SELECT * or column lists on /query-stream, /close-query. For shell tests only.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Expr, Statement, TableElement, TypeNode } from '../../src/sql/ast.ts';
import { parseScript } from '../../src/sql/parser.ts';

interface Source {
  readonly type: 'STREAM' | 'TABLE';
  readonly name: string;
  readonly columns: readonly TableElement[];
  readonly rows: unknown[][];
  readonly statement: string;
}

interface PushQuery {
  readonly id: string;
  readonly source: Source;
  readonly project: (row: unknown[]) => unknown[];
  readonly res: http.ServerResponse;
  remaining: number;
}

export interface FakeServer {
  readonly url: string;
  /** Every request body received, to check what the shell sent. */
  readonly requests: { readonly path: string; readonly body: unknown }[];
  /** Query ids closed through /close-query. */
  readonly closed: string[];
  close(): Promise<void>;
}

class StatementFailure extends Error {
  readonly code: number;
  constructor(message: string, code = 40001) {
    super(message);
    this.code = code;
  }
}

export async function startFakeServer(): Promise<FakeServer> {
  const sources = new Map<string, Source>();
  const pushQueries = new Map<string, PushQuery>();
  const requests: { path: string; body: unknown }[] = [];
  const closed: string[] = [];
  let queryCounter = 0;

  const send = (res: http.ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(body === undefined ? '' : JSON.stringify(body));
  };
  const statementError = (res: http.ServerResponse, message: string, statementText: string, code = 40001, entities: unknown[] = []): void =>
    send(res, Math.floor(code / 100), { '@type': 'statement_error', error_code: code, message, statementText, entities });

  const typeName = (t: TypeNode): string => {
    switch (t.kind) {
      case 'PrimitiveType': return t.name;
      case 'DecimalType': return `DECIMAL(${t.precision}, ${t.scale})`;
      case 'ArrayType': return `ARRAY<${typeName(t.element)}>`;
      case 'MapType': return `MAP<${typeName(t.key)}, ${typeName(t.value)}>`;
      case 'StructType': return `STRUCT<${t.fields.map((f) => `\`${f.name}\` ${typeName(f.type)}`).join(', ')}>`;
      case 'CustomType': return t.name;
    }
  };
  const schemaInfo = (t: TypeNode): unknown => ({ type: t.kind === 'PrimitiveType' ? t.name : typeName(t).replace(/[<(].*/, ''), fields: null, memberSchema: null });
  const literal = (e: Expr): unknown => {
    switch (e.kind) {
      case 'StringLiteral': return e.value;
      case 'IntegerLiteral': case 'DecimalLiteral': case 'DoubleLiteral': return Number(e.text);
      case 'BooleanLiteral': return e.value;
      case 'NullLiteral': return null;
      default: throw new StatementFailure('Only literals are supported in VALUES');
    }
  };
  const lookup = (name: string): Source => {
    const s = sources.get(name);
    if (s === undefined) throw new StatementFailure(`${name} does not exist.`);
    return s;
  };
  const sourceInfo = (s: Source) => ({ type: s.type, name: s.name, topic: s.name.toLowerCase(), keyFormat: 'KAFKA', valueFormat: 'JSON', isWindowed: false });

  const execute = (st: Statement, text: string, props: Record<string, unknown>, vars: Record<string, unknown>): unknown => {
    const head = (type: string) => ({ '@type': type, statementText: text, warnings: [] });
    switch (st.kind) {
      case 'CreateSource': {
        if (sources.has(st.name)) throw new StatementFailure(`Cannot add ${st.sourceType.toLowerCase()} '${st.name}': A ${st.sourceType.toLowerCase()} with the same name already exists`);
        sources.set(st.name, { type: st.sourceType, name: st.name, columns: st.elements, rows: [], statement: text });
        const what = st.sourceType === 'STREAM' ? 'Stream' : 'Table';
        return { ...head('currentStatus'), commandId: `${st.sourceType.toLowerCase()}/${st.name}/create`, commandStatus: { status: 'SUCCESS', message: `${what} created`, queryId: null }, commandSequenceNumber: 2 };
      }
      case 'DropSource': {
        const s = lookup(st.name);
        sources.delete(st.name);
        return { ...head('currentStatus'), commandId: `${st.sourceType.toLowerCase()}/${st.name}/drop`, commandStatus: { status: 'SUCCESS', message: `Source ${s.name} (topic: ${s.name.toLowerCase()}) was dropped.`, queryId: null }, commandSequenceNumber: 3 };
      }
      case 'InsertValues': {
        const s = lookup(st.target);
        const names = st.columns ?? s.columns.map((c) => c.name);
        const row = s.columns.map((c) => { const i = names.indexOf(c.name); return i < 0 ? null : literal(st.values[i]!); });
        s.rows.push(row);
        for (const q of pushQueries.values()) if (q.source === s) emit(q, row);
        return undefined;
      }
      case 'ListStreams':
        return { ...head('streams'), streams: [...sources.values()].filter((s) => s.type === 'STREAM').map(sourceInfo) };
      case 'ListTables':
        return { ...head('tables'), tables: [...sources.values()].filter((s) => s.type === 'TABLE').map(sourceInfo) };
      case 'ListProperties':
        return { ...head('properties'), properties: Object.entries(props).map(([name, value]) => ({ name, scope: 'KSQL', value: String(value), editable: true, level: 'QUERY' })), overwrittenProperties: Object.keys(props), defaultProperties: [] };
      case 'ListVariables':
        return { ...head('variables'), variables: Object.entries(vars).map(([name, value]) => ({ name, value })) };
      case 'ListFunctions':
        return { ...head('function_names'), functions: [{ name: 'UCASE', type: 'SCALAR', category: 'STRING' }, { name: 'COUNT', type: 'AGGREGATE', category: 'AGGREGATE' }] };
      case 'DescribeSource': {
        const s = lookup(st.name);
        return {
          ...head('sourceDescription'),
          sourceDescription: {
            name: s.name, windowType: null, readQueries: [], writeQueries: [],
            fields: s.columns.map((c) => ({ name: c.name, schema: schemaInfo(c.type), ...(c.constraint === 'KEY' || c.constraint === 'PRIMARY KEY' ? { type: 'KEY' } : {}) })),
            type: s.type, timestamp: '', statistics: '', errorStats: '', extended: st.extended, keyFormat: 'KAFKA', valueFormat: 'JSON',
            topic: s.name.toLowerCase(), partitions: 1, replication: 1, statement: s.statement, queryOffsetSummaries: [], sourceConstraints: [], clusterStatistics: [], clusterErrorStats: [],
          },
        };
      }
      case 'Select':
      case 'Print':
        throw new StatementFailure("The following statement types should be issued to the websocket endpoint '/query':\n\t* PRINT\n\t* SELECT", 40002);
      default:
        throw new StatementFailure(`The fake server does not support ${st.kind}`);
    }
  };

  const emit = (q: PushQuery, row: unknown[]): void => {
    if (q.remaining <= 0) return;
    q.res.write(JSON.stringify(q.project(row)) + '\n');
    if (--q.remaining === 0) {
      pushQueries.delete(q.id);
      q.res.end();
    }
  };

  const handleKsql = (res: http.ServerResponse, body: Record<string, unknown>): void => {
    const sql = String(body.ksql ?? '');
    const props = (body.streamsProperties ?? {}) as Record<string, unknown>;
    const vars = (body.sessionVariables ?? {}) as Record<string, string>;
    const parsed = parseScript(sql, { variables: new Map(Object.entries(vars)) });
    if (!parsed.ok) return statementError(res, parsed.error.message, parsed.statementText);
    const entities: unknown[] = [];
    for (const p of parsed.statements) {
      try {
        const e = execute(p.statement, p.text, props, vars);
        if (e !== undefined) entities.push(e);
      } catch (err) {
        if (!(err instanceof StatementFailure)) throw err;
        return statementError(res, err.message, p.text, err.code, entities);
      }
    }
    send(res, 200, entities);
  };

  const handleQuery = (req: http.IncomingMessage, res: http.ServerResponse, body: Record<string, unknown>): void => {
    const sql = String(body.sql ?? '');
    const parsed = parseScript(sql, { variables: new Map(Object.entries((body.sessionVariables ?? {}) as Record<string, string>)) });
    if (!parsed.ok) return statementError(res, parsed.error.message, parsed.statementText);
    const st = parsed.statements[0]?.statement;
    if (st?.kind !== 'Select' || st.query.from.kind !== 'AliasedSource') return statementError(res, 'Only SELECT from one source is supported', sql);
    const source = sources.get(st.query.from.name);
    if (source === undefined) return statementError(res, `${st.query.from.name} does not exist.`, sql);
    const indexes: number[] = [];
    for (const item of st.query.select) {
      if (item.kind === 'AllColumns') source.columns.forEach((_, i) => indexes.push(i));
      else if (item.kind === 'SingleColumn' && item.expr.kind === 'ColumnRef') {
        const name = item.expr.name;
        const i = source.columns.findIndex((c) => c.name === name);
        if (i < 0) return statementError(res, `Column '${name}' cannot be resolved.`, sql);
        indexes.push(i);
      } else return statementError(res, 'Only column references are supported', sql);
    }
    const id = `transient_${source.name}_${++queryCounter}`;
    res.writeHead(200, { 'content-type': 'application/vnd.ksqlapi.delimited.v1' });
    res.write(JSON.stringify({ queryId: id, columnNames: indexes.map((i) => source.columns[i]!.name), columnTypes: indexes.map((i) => typeName(source.columns[i]!.type)) }) + '\n');
    const q: PushQuery = { id, source, project: (row) => indexes.map((i) => row[i]), res, remaining: st.query.limit ?? Infinity };
    if (st.query.emit === undefined) {
      for (const row of source.rows) res.write(JSON.stringify(q.project(row)) + '\n');
      return void res.end();
    }
    pushQueries.set(id, q);
    req.socket.on('close', () => pushQueries.delete(id));
    for (const row of source.rows) emit(q, row);
  };

  const server = http.createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (text += c));
    req.on('end', () => {
      const url = req.url ?? '/';
      const body = (text === '' ? {} : JSON.parse(text)) as Record<string, unknown>;
      requests.push({ path: url, body });
      if (req.method === 'GET' && url === '/info') return send(res, 200, { KsqlServerInfo: { version: '0.29.0', kafkaClusterId: 'fake', ksqlServiceId: 'default_', serverStatus: 'RUNNING' } });
      if (req.method === 'GET' && url.startsWith('/is_valid_property/')) {
        const name = decodeURIComponent(url.slice('/is_valid_property/'.length));
        if (name === 'ksql.service.id') return send(res, 400, { '@type': 'generic_error', error_code: 40000, message: `One or more properties overrides set locally are prohibited by the KSQL server (use UNSET to reset their default value): [${name}]` });
        return send(res, 200, true);
      }
      if (req.method === 'POST' && url === '/ksql') return handleKsql(res, body);
      if (req.method === 'POST' && url === '/query-stream') return handleQuery(req, res, body);
      if (req.method === 'POST' && url === '/close-query') {
        const id = String(body.queryId);
        const q = pushQueries.get(id);
        if (q === undefined) return send(res, 400, { '@type': 'generic_error', error_code: 40000, message: `No query with id ${id}` });
        closed.push(id);
        pushQueries.delete(id);
        q.res.end();
        return send(res, 200, undefined);
      }
      res.writeHead(404).end('Not Found');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    closed,
    close: () => new Promise<void>((resolve) => {
      for (const q of pushQueries.values()) q.res.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
