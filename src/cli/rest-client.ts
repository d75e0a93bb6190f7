// A small HTTP/1.1 client for the ksqlDB-compatible REST API: /info, /ksql, /is_valid_property,
// /query-stream (delimited format, streamed) and /close-query. Knows the wire shapes, not the shell.

import http from 'node:http';

/** An error answered by the server (`@type`, `error_code`, `message`, `statementText`). */
export class RestError extends Error {
  readonly status: number;
  readonly errorCode: number;
  readonly statementText: string | undefined;
  /** Entities of the statements of the same /ksql request that succeeded before the failing one. */
  readonly entities: readonly unknown[];

  constructor(status: number, errorCode: number, message: string, statementText?: string, entities: readonly unknown[] = []) {
    super(message);
    this.name = 'RestError';
    this.status = status;
    this.errorCode = errorCode;
    this.statementText = statementText;
    this.entities = entities;
  }
}

export interface ServerInfo {
  readonly version: string;
  readonly serverStatus: string;
  readonly kafkaClusterId?: string;
  readonly ksqlServiceId?: string;
}

export type PropertyValues = Readonly<Record<string, string>>;

export interface StatementRequest {
  readonly properties: PropertyValues;
  readonly variables: PropertyValues;
}

export interface QueryMetadata {
  readonly queryId: string | undefined;
  readonly columnNames: readonly string[];
  readonly columnTypes: readonly string[];
}

export interface QueryHandlers {
  onHeader(meta: QueryMetadata): void;
  onRow(row: readonly unknown[]): void;
}

/** How a streamed query ended: by the server (rows exhausted, LIMIT), by close(), or by an in-stream error. */
export type QueryEnd = { readonly kind: 'completed' } | { readonly kind: 'closed' } | { readonly kind: 'error'; readonly error: RestError };

export interface StreamingQuery {
  /** Settles when the response ends; rejects with a RestError if the server refused the query. */
  readonly done: Promise<QueryEnd>;
  /** Ends the query: stops reading and asks the server to close it. */
  close(): Promise<void>;
}

const DELIMITED = 'application/vnd.ksqlapi.delimited.v1';
const CLOSE_QUERY_TIMEOUT_MS = 2000;

export class RestClient {
  readonly baseUrl: URL;
  private readonly agent = new http.Agent({ keepAlive: true });

  /** `Basic ...` when the server needs credentials (`-u`/`-p`, or user:password in the URL). */
  private readonly authorization: string | undefined;

  constructor(serverUrl: string, credentials?: { readonly user: string; readonly password: string }) {
    this.baseUrl = new URL(serverUrl);
    if (this.baseUrl.protocol !== 'http:') throw new Error(`Unsupported server URL ${serverUrl}: only http:// is supported`);
    const user = credentials?.user ?? decodeURIComponent(this.baseUrl.username);
    const password = credentials?.password ?? decodeURIComponent(this.baseUrl.password);
    this.authorization = user === '' ? undefined : `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
  }

  async info(): Promise<ServerInfo> {
    const body = await this.json('GET', '/info');
    const info = (body as { KsqlServerInfo?: ServerInfo }).KsqlServerInfo;
    if (info === undefined) throw new Error('Unexpected /info response: no KsqlServerInfo');
    return info;
  }

  /** Runs non-query statements; resolves to the entities (one per statement that returns one). */
  async ksql(sql: string, request: StatementRequest): Promise<unknown[]> {
    const body = await this.json('POST', '/ksql', {
      ksql: sql,
      streamsProperties: request.properties,
      sessionVariables: request.variables,
    });
    if (!Array.isArray(body)) throw new Error('Unexpected /ksql response: not an array');
    return body;
  }

  /** Resolves if the server lets clients override `name`; rejects with the server's reason otherwise. */
  async isValidProperty(name: string): Promise<void> {
    await this.json('GET', `/is_valid_property/${encodeURIComponent(name)}`);
  }

  async closeQuery(queryId: string): Promise<void> {
    await this.json('POST', '/close-query', { queryId });
  }

  /** Starts a SELECT on /query-stream and streams its rows to `handlers`. */
  queryStream(sql: string, request: StatementRequest, handlers: QueryHandlers): StreamingQuery {
    const payload = JSON.stringify({ sql, properties: request.properties, sessionVariables: request.variables });
    // A connection of its own: closing the query destroys it, which must not hurt pooled sockets.
    const req = this.request('POST', '/query-stream', payload, { accept: DELIMITED, agent: false });
    let queryId: string | undefined;
    let closed = false;
    let sawHeader = false;
    let inStreamError: RestError | undefined;
    const done = streamLines(req, payload, {
      line: (line) => {
        if (line.trim() === '' || inStreamError || closed) return;
        const value: unknown = JSON.parse(line);
        if (Array.isArray(value)) {
          handlers.onRow(value);
        } else if (isObject(value) && !sawHeader && Array.isArray(value.columnNames)) {
          sawHeader = true;
          queryId = typeof value.queryId === 'string' ? value.queryId : undefined;
          handlers.onHeader({
            queryId,
            columnNames: value.columnNames as string[],
            columnTypes: Array.isArray(value.columnTypes) ? (value.columnTypes as string[]) : [],
          });
        } else if (isObject(value) && typeof value.message === 'string') {
          inStreamError = errorFromJson(200, value);
        }
        // Anything else (continuation / consistency tokens) does not concern the shell.
      },
      ended: () => (inStreamError ? { kind: 'error', error: inStreamError } : { kind: closed ? 'closed' : 'completed' }),
    }, () => closed);
    return {
      done,
      close: async () => {
        if (closed) return;
        closed = true;
        // /close-query first, while the connection still identifies the query, then drop the
        // connection, which ends the query on any server. Pull queries have no closable id, so a
        // failure here is expected and ignored. No rows are shown once closed.
        if (queryId !== undefined) {
          await withTimeout(this.closeQuery(queryId), CLOSE_QUERY_TIMEOUT_MS).catch(() => {});
        }
        req.destroy();
      },
    };
  }

  /** Starts a PRINT on /query (as ksqlDB's CLI does) and passes each text line to `onLine`. */
  print(sql: string, request: StatementRequest, onLine: (line: string) => void): StreamingQuery {
    const payload = JSON.stringify({ ksql: sql, streamsProperties: request.properties, sessionVariables: request.variables });
    const req = this.request('POST', '/query', payload, { accept: 'application/json', agent: false });
    let closed = false;
    const done = streamLines(req, payload, {
      line: (line) => {
        if (line !== '' && !closed) onLine(line);
      },
      ended: () => ({ kind: closed ? 'closed' : 'completed' }),
    }, () => closed);
    return {
      done,
      close: () => {
        closed = true;
        req.destroy();
        return Promise.resolve();
      },
    };
  }

  private async json(method: string, path: string, body?: unknown): Promise<unknown> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = this.request(method, path, payload, { accept: 'application/json', agent: this.agent });
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      req.on('response', resolve);
      req.on('error', reject);
      req.end(payload);
    });
    const text = await readAll(res);
    const status = res.statusCode ?? 0;
    if (status < 200 || status >= 300) throw errorFromBody(status, text);
    return text.trim() === '' ? undefined : JSON.parse(text);
  }

  private request(method: string, path: string, payload: string | undefined, opts: { accept: string; agent: http.Agent | false }): http.ClientRequest {
    const headers: Record<string, string | number> = { accept: opts.accept };
    if (this.authorization !== undefined) headers['authorization'] = this.authorization;
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(payload);
    }
    return http.request({
      protocol: 'http:',
      hostname: this.baseUrl.hostname.replace(/^\[|\]$/g, ''),
      port: this.baseUrl.port === '' ? 80 : Number(this.baseUrl.port),
      path: this.baseUrl.pathname.replace(/\/$/, '') + path,
      method,
      headers,
      agent: opts.agent,
    });
  }

  /** Releases pooled connections so the process can exit. */
  dispose(): void {
    this.agent.destroy();
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** What a streamed response's lines go to. */
interface LineSink {
  /** Called for each line (and the unterminated rest at the end); throwing fails the query. */
  line(line: string): void;
  /** How the stream ended, once the response is complete. */
  ended(): QueryEnd;
}

/** Sends `req` and splits its 200 response into lines; a non-200 answer rejects with its error. */
function streamLines(req: http.ClientRequest, payload: string, sink: LineSink, isClosed: () => boolean): Promise<QueryEnd> {
  const done = new Promise<QueryEnd>((resolve, reject) => {
    const fail = (err: unknown): void => {
      req.destroy();
      reject(err instanceof Error ? err : new Error(String(err)));
    };
    req.on('error', (err) => (isClosed() ? resolve({ kind: 'closed' }) : reject(err)));
    req.on('response', (res) => {
      if (res.statusCode !== 200) {
        readAll(res).then((text) => reject(errorFromBody(res.statusCode ?? 0, text)), reject);
        return;
      }
      let pending = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        pending += chunk;
        let nl: number;
        try {
          while ((nl = pending.indexOf('\n')) >= 0) {
            const line = pending.slice(0, nl);
            pending = pending.slice(nl + 1);
            sink.line(line);
          }
        } catch (err) {
          fail(err);
        }
      });
      res.on('end', () => {
        try {
          sink.line(pending);
        } catch (err) {
          fail(err);
          return;
        }
        resolve(sink.ended());
      });
      res.on('error', (err) => (isClosed() ? resolve({ kind: 'closed' }) : reject(err)));
      res.on('close', () => {
        if (isClosed()) resolve({ kind: 'closed' });
      });
    });
  });
  req.end(payload);
  return done;
}

function readAll(res: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (c: string) => (text += c));
    res.on('end', () => resolve(text));
    res.on('error', reject);
  });
}

/** A non-2xx answer as a RestError, whether or not its body is a ksqlDB error object. */
export function errorFromBody(status: number, text: string): RestError {
  try {
    const body: unknown = JSON.parse(text);
    if (isObject(body)) return errorFromJson(status, body);
  } catch {}
  const message = text.trim() === '' ? `HTTP ${status}` : `HTTP ${status}: ${text.trim()}`;
  return new RestError(status, status * 100, message);
}

function errorFromJson(status: number, body: Record<string, unknown>): RestError {
  return new RestError(
    status,
    typeof body.error_code === 'number' ? body.error_code : status * 100,
    typeof body.message === 'string' ? body.message : JSON.stringify(body),
    typeof body.statementText === 'string' ? body.statementText : undefined,
    Array.isArray(body.entities) ? body.entities : [],
  );
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out')), ms);
    p.then(
      (v) => { clearTimeout(timer); resolve(v); },
      (e: unknown) => { clearTimeout(timer); reject(e instanceof Error ? e : new Error(String(e))); },
    );
  });
}
