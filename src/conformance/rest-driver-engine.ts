// RestDriver backed by the EngineApi (debugging; HTTP is the default): statements via execute(), queries
// via query(), rendered to the JSON ksqlDB's REST API would send, then parsed losslessly like a
// client would. In 'manual' scheduling we call runUntilIdle while waiting for push-query rows.

import type { EngineApi, QueryHandle, QueryRow } from '../engine/engine-api.ts';
import { parseLossless, type JsonValue } from './json.ts';
import { toCaught } from './outcome.ts';
import type { KsqlResult, QueryOptions, QueryResult, RestDriver, RestError } from './rest-driver.ts';
import { entityJson, headerSchema, valueJson } from './rest-wire.ts';

/** How long a query may stay silent (while we keep processing) before we stop reading it. */
const IDLE_MS = 100;
const IDLE_ROUNDS = 5;

function restError(e: unknown): RestError {
  const c = toCaught(e);
  const code = (e as { error?: { errorCode?: unknown }; errorCode?: unknown }).error?.errorCode ??
    (e as { errorCode?: unknown }).errorCode;
  const status = typeof code === 'number' ? Math.floor(code / 100) : c.category === 'internal' ? 500 : 400;
  const statementLike = c.category === 'parse' || c.category === 'statement';
  return { ...c, status, type: statementLike ? 'KsqlStatementErrorMessage' : 'KsqlErrorMessage' };
}

export class EngineRestDriver implements RestDriver {
  private readonly engine: EngineApi;
  constructor(engine: EngineApi) {
    this.engine = engine;
  }

  async ksql(sql: string, properties: Readonly<Record<string, string>>): Promise<KsqlResult> {
    try {
      const outcomes = await this.engine.execute(this.engine.newSession(properties), sql);
      const entities: JsonValue[] = [];
      for (const o of outcomes) {
        const text = entityJson(o);
        if (text !== undefined) entities.push(parseLossless(text));
      }
      return { ok: true, entities };
    } catch (e) {
      return { ok: false, error: restError(e) };
    }
  }

  async query(sql: string, properties: Readonly<Record<string, string>>, options: QueryOptions): Promise<QueryResult> {
    let handle: QueryHandle;
    try {
      handle = await this.engine.query(this.engine.newSession(properties), sql);
    } catch (e) {
      return { ok: false, error: restError(e) };
    }
    try {
      const rows: JsonValue[] = [
        parseLossless(JSON.stringify({ header: { queryId: handle.queryId, schema: headerSchema(handle.columns) } })),
      ];
      if (options.afterHeader) await options.afterHeader();
      // Only push queries need a cap: pull queries end on their own and must be read in full.
      const ended = await this.readRows(handle, rows, handle.kind === 'push' ? options.maxElements : Infinity);
      const final = ended ? finalMessage(handle, sql, this.engine) : undefined;
      if (final) rows.push(parseLossless(JSON.stringify({ finalMessage: final })));
      return { ok: true, rows };
    } catch (e) {
      return { ok: false, error: restError(e) };
    } finally {
      handle.close();
    }
  }

  /** Appends rows until the query ends (true) or maxElements / idle timeout is reached (false). */
  private async readRows(handle: QueryHandle, out: JsonValue[], maxElements: number): Promise<boolean> {
    const it = handle.rows[Symbol.asyncIterator]();
    // One outstanding next() at a time: abandoning a pending one would lose its row.
    let pending: Promise<IteratorResult<QueryRow>> | undefined;
    let idle = 0;
    while (out.length < maxElements) {
      pending ??= it.next();
      let timer: NodeJS.Timeout | undefined;
      const r = await Promise.race([pending, new Promise<'idle'>((res) => { timer = setTimeout(() => res('idle'), IDLE_MS); })]);
      clearTimeout(timer);
      if (r === 'idle') {
        if (++idle > IDLE_ROUNDS) return false;
        await this.engine.runUntilIdle();
        continue;
      }
      pending = undefined;
      idle = 0;
      if (r.done) return true;
      const columns = r.value.values.map((v, i) => valueJson(v, handle.columns[i]?.type));
      out.push(parseLossless(`{"row":{"columns":[${columns.join(',')}]${r.value.tombstone ? ',"tombstone":true' : ''}}}`));
    }
    return false;
  }
}

/**
 * ksqlDB's /query ends push queries with "Limit Reached"/"Query Completed" and pull queries on
 * streams with "Query Completed"; pull queries on tables end without a final message.
 */
function finalMessage(handle: QueryHandle, sql: string, engine: EngineApi): string | undefined {
  const reason = handle.endReason();
  if (reason !== 'Limit Reached' && reason !== 'Query Completed') return undefined;
  if (handle.kind === 'push') return reason;
  const from = /\bFROM\s+(`[^`]+`|[\w]+)/i.exec(sql)?.[1];
  const name = from?.startsWith('`') ? from.slice(1, -1) : from?.toUpperCase();
  const src = name === undefined ? undefined : engine.source(name);
  return src?.type === 'STREAM' ? 'Query Completed' : undefined;
}
