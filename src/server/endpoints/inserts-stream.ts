// POST /inserts-stream (HTTP/2 only): the first body line names the target, every further line is a
// row to insert; each row is acknowledged (in order) once the engine has accepted it. The first bad
// row ends the response with an InsertError; earlier rows stay inserted, later ones are not.
// Rows are inserted in batches (every line received so far), so ingest is not one fsync per row.

import { KsqlError } from '../../common/errors.ts';
import type { SqlType } from '../../common/sql-type.ts';
import type { ServerContext } from '../context.ts';
import type { Exchange } from '../exchange.ts';
import { LineTooLongError, readLineBatches } from '../line-reader.ts';
import { sendError } from '../respond.ts';
import type { Route } from '../router.ts';
import { BAD_REQUEST, BAD_STATEMENT, genericError, HTTP2_ONLY, PAYLOAD_TOO_LARGE, SERVER_ERROR, wireError } from '../wire/errors.ts';
import { ackJson, createAckWriter, INSERT_PROCESSING_ERROR, insertErrorJson, INVALID_INSERT_JSON, parseInsertRow } from '../wire/inserts.ts';
import { DELIMITED, JSON_TYPE } from '../wire/media-types.ts';
import { identifierText, parseInsertsStreamArgs, RequestError } from '../wire/requests.ts';

export function insertsStreamRoutes(ctx: ServerContext): Route[] {
  return [
    {
      method: 'POST', path: '/inserts-stream', produces: [DELIMITED, JSON_TYPE], wildcardPreference: [DELIMITED],
      handler: (ex, { accept }) => insertsStream(ctx, ex, accept === JSON_TYPE ? 'json' : 'delimited'),
    },
  ];
}

async function insertsStream(ctx: ServerContext, ex: Exchange, format: 'delimited' | 'json'): Promise<void> {
  if (!ex.isHttp2) {
    ex.request.resume();
    return sendError(ex, wireError(genericError(HTTP2_ONLY, 'This endpoint is only available when using HTTP2')));
  }
  const batches = readLineBatches(ex.request, ctx.limits.maxRequestBytes);
  // The first non-blank line is the target; the rest of its batch are already rows.
  let rest: string[] = [];
  let first: string | undefined;
  try {
    while (first === undefined) {
      const next = await batches.next();
      if (next.done) break;
      const i = next.value.findIndex((l) => l.trim() !== '');
      if (i >= 0) {
        first = next.value[i]!;
        rest = next.value.slice(i + 1);
      }
    }
  } catch (e) {
    return sendError(ex, e instanceof LineTooLongError ? wireError(genericError(PAYLOAD_TOO_LARGE, e.message)) : wireError(genericError(BAD_REQUEST, String(e))));
  }
  if (first === undefined) return sendError(ex, wireError(genericError(BAD_REQUEST, 'Invalid JSON in request: No content to map due to end-of-input')));
  let args;
  try {
    args = parseInsertsStreamArgs(first);
  } catch (e) {
    if (e instanceof RequestError) return sendError(ex, e.wire);
    throw e;
  }
  const name = identifierText(args.target);
  const source = ctx.engine.source(name);
  if (!source) return sendError(ex, wireError(genericError(BAD_STATEMENT, `Cannot insert values into an unknown stream/table: ${name}`)));
  if (source.keyFormat.window !== undefined) return sendError(ex, wireError(genericError(BAD_STATEMENT, 'Cannot insert values into windowed stream/table')));
  if (source.isSource) return sendError(ex, wireError(genericError(BAD_STATEMENT, `Cannot insert values into read-only topic: ${source.topic}`)));

  const columns = new Map<string, SqlType>();
  for (const c of [...source.schema.key, ...source.schema.value]) columns.set(c.name, c.type);
  const columnType = (key: string) => columns.get(key) ?? columns.get(key.toUpperCase());
  const session = ctx.newSession(args.properties, {});
  const writer = createAckWriter(format);
  // Headers go out now, so the client knows the target was accepted before it sends rows.
  const out = ex.startStream(200, writer.contentType);
  let seq = 0;
  // Every line received so far is inserted as one batch (one durable append), then acknowledged
  // row by row; while a batch waits for the log, the next one accumulates.
  const insertBatch = async (lines: readonly string[]): Promise<boolean> => {
    const rows: Record<string, unknown>[] = [];
    let badJson = false;
    for (const line of lines) {
      if (line.trim() === '') continue;
      try {
        rows.push(parseInsertRow(line, columnType));
      } catch {
        badJson = true;
        break;
      }
    }
    const { inserted, error } = rows.length === 0 ? { inserted: 0 } : await ctx.engine.insertRows(session, name, rows);
    for (let i = 0; i < inserted; i++) out.write(writer.element(ackJson(seq++)));
    if (error !== undefined) {
      if (!(error instanceof KsqlError)) ctx.logError(`inserting into ${name}`, error);
      const code = error instanceof KsqlError ? error.errorCode : SERVER_ERROR;
      const message = error instanceof KsqlError ? error.message : INSERT_PROCESSING_ERROR;
      out.write(writer.element(insertErrorJson(seq, code, message)));
      return false;
    }
    if (badJson) {
      out.write(writer.element(insertErrorJson(seq, BAD_REQUEST, INVALID_INSERT_JSON)));
      return false;
    }
    // Stop reading rows while the client is not reading acks.
    await out.drained();
    return true;
  };
  try {
    let more = out.closed ? false : await insertBatch(rest);
    while (more && !out.closed) {
      const next = await batches.next();
      if (next.done) break;
      more = await insertBatch(next.value);
    }
  } catch (err) {
    if (!(err instanceof LineTooLongError)) ctx.logError(`reading inserts into ${name}`, err);
    const message = err instanceof LineTooLongError ? err.message : INSERT_PROCESSING_ERROR;
    out.write(writer.element(insertErrorJson(seq, err instanceof LineTooLongError ? PAYLOAD_TOO_LARGE : SERVER_ERROR, message)));
  }
  out.write(writer.end());
  await out.end();
  // Whatever the client still sends after an error is read and dropped.
  ex.request.resume();
}
