// RestDriver over real HTTP/1.1 against a running Riffle server, as ksqlDB's RestTestExecutor talks
// to its server (§1.11): /ksql with the statements, /query with `Accept: application/json` read as
// StreamedRow lines, error bodies mapped to KsqlStatementErrorMessage / KsqlErrorMessage.

import http from 'node:http';
import { parseJsonLossless, type JsonValue } from '../serde/lossless-json.ts';
import { isJsonObject } from './json.ts';
import type { KsqlResult, QueryOptions, QueryResult, RestDriver, RestError } from './rest-driver.ts';

/** How long a query may stay silent (after the engine ran dry) before we stop reading it. */
const IDLE_MS = 50;
const IDLE_ROUNDS = 10;
/** /ksql is retried while the error says something "does not exist" (bounded: our server is synchronous). */
const KSQL_RETRIES = 2;
const KSQL_RETRY_DELAY_MS = 20;

export interface HttpDriverOptions {
  readonly port: number;
  readonly host?: string;
  /** Moves the engine forward (manual scheduling: runUntilIdle) while a query is silent. */
  readonly runUntilIdle: () => Promise<void>;
}

interface Exchange {
  readonly req: http.ClientRequest;
  readonly res: http.IncomingMessage;
}

export class HttpRestDriver implements RestDriver {
  private readonly options: HttpDriverOptions;
  constructor(options: HttpDriverOptions) {
    this.options = options;
  }

  async ksql(sql: string, properties: Readonly<Record<string, string>>): Promise<KsqlResult> {
    const body = JSON.stringify({ ksql: sql, streamsProperties: properties });
    for (let attempt = 0; ; attempt++) {
      let status: number;
      let text: string;
      try {
        const ex = await this.post('/ksql', body, 'application/vnd.ksql.v1+json');
        status = ex.res.statusCode ?? 0;
        text = await readAll(ex.res);
      } catch (e) {
        return { ok: false, error: transportError(e) };
      }
      if (status === 200) {
        let parsed: JsonValue;
        try {
          parsed = parseJsonLossless(text);
        } catch (e) {
          return { ok: false, error: transportError(e) };
        }
        return Array.isArray(parsed)
          ? { ok: true, entities: parsed }
          : { ok: false, error: transportError(new Error(`/ksql answered a non-array: ${text.slice(0, 200)}`)) };
      }
      const error = errorFromBody(status, text);
      if (!error.message.includes('does not exist') || attempt >= KSQL_RETRIES || executedSomething(text)) {
        return { ok: false, error };
      }
      await new Promise((r) => setTimeout(r, KSQL_RETRY_DELAY_MS));
    }
  }

  async query(sql: string, properties: Readonly<Record<string, string>>, options: QueryOptions): Promise<QueryResult> {
    const body = JSON.stringify({ ksql: sql, streamsProperties: properties, requestProperties: {} });
    let ex: Exchange;
    try {
      ex = await this.post('/query', body, 'application/json');
    } catch (e) {
      return { ok: false, error: transportError(e) };
    }
    try {
      if (ex.res.statusCode !== 200) return { ok: false, error: errorFromBody(ex.res.statusCode ?? 0, await readAll(ex.res)) };
      const reader = new LineReader(ex.res);
      const rows: JsonValue[] = [];
      let afterHeader = options.afterHeader;
      let drained = false;
      let idle = 0;
      while (true) {
        for (const line of reader.take()) {
          const element = streamedRowText(line);
          if (element !== '') rows.push(parseJsonLossless(element));
        }
        if (reader.ended) break;
        if (afterHeader && rows.length > 0) {
          await afterHeader();
          afterHeader = undefined;
          continue;
        }
        if (await reader.wait(IDLE_MS)) continue;
        // Silent: enough rows and the engine has nothing left for us, or give up after a few rounds.
        if (drained && rows.length >= options.maxElements) break;
        if (++idle > IDLE_ROUNDS) break;
        await this.options.runUntilIdle();
        drained = true;
      }
      return { ok: true, rows };
    } catch (e) {
      return { ok: false, error: transportError(e) };
    } finally {
      // An open push query ends when its client goes away.
      if (!ex.res.complete) ex.req.destroy();
    }
  }

  private post(path: string, body: string, accept: string): Promise<Exchange> {
    return new Promise((resolve, reject) => {
      const req = http.request({
        host: this.options.host ?? '127.0.0.1',
        port: this.options.port,
        path,
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', accept, 'content-length': Buffer.byteLength(body) },
      }, (res) => resolve({ req, res }));
      req.on('error', reject);
      req.end(body);
    });
  }
}

/** §1.11: a line with its leading `[` and trailing `,` / `]` stripped is one StreamedRow. */
export function streamedRowText(line: string): string {
  let s = line.trim();
  if (s.startsWith('[')) s = s.slice(1);
  if (s.endsWith(',') || s.endsWith(']')) s = s.slice(0, -1);
  return s.trim();
}

/** ksqlDB's error entity: statement_error -> KsqlStatementErrorMessage, anything else KsqlErrorMessage. */
export function errorFromBody(status: number, text: string): RestError {
  let body: JsonValue | undefined;
  try {
    body = parseJsonLossless(text);
  } catch {
    body = undefined;
  }
  const obj = isJsonObject(body) ? body : {};
  const message = typeof obj['message'] === 'string' ? obj['message'] : text;
  const statement = obj['@type'] === 'statement_error';
  return { category: statement ? 'statement' : 'ksql', message, status, type: statement ? 'KsqlStatementErrorMessage' : 'KsqlErrorMessage' };
}

/** A statement_error listing entities: earlier statements ran, so sending the batch again would redo them. */
function executedSomething(text: string): boolean {
  try {
    const body = parseJsonLossless(text);
    return isJsonObject(body) && Array.isArray(body['entities']) && body['entities'].length > 0;
  } catch {
    return false;
  }
}

function transportError(e: unknown): RestError {
  return { category: 'internal', message: e instanceof Error ? e.message : String(e), status: 0, type: 'KsqlErrorMessage' };
}

function readAll(res: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
}

/** Splits a response body into `\n`-terminated lines as they arrive; the tail counts once the body ends. */
class LineReader {
  ended = false;
  private buffer = '';
  private lines: string[] = [];
  private waiter: (() => void) | undefined;

  constructor(res: http.IncomingMessage) {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      this.buffer += chunk;
      let nl: number;
      while ((nl = this.buffer.indexOf('\n')) >= 0) {
        this.lines.push(this.buffer.slice(0, nl));
        this.buffer = this.buffer.slice(nl + 1);
      }
      this.wake();
    });
    const finish = (): void => {
      if (this.ended) return;
      if (this.buffer !== '') this.lines.push(this.buffer);
      this.buffer = '';
      this.ended = true;
      this.wake();
    };
    res.on('end', finish);
    res.on('close', finish);
    res.on('error', finish);
  }

  take(): string[] {
    return this.lines.splice(0);
  }

  /** True when something arrived (or the body ended) within `ms`. */
  wait(ms: number): Promise<boolean> {
    if (this.lines.length > 0 || this.ended) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        resolve(false);
      }, ms);
      this.waiter = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }
}
