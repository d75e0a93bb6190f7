// PRINT on /query: a topic's raw records as text lines, streamed until LIMIT or until the client
// goes away. The lines are read from the log on demand, so a slow client only slows its own PRINT
// (the next batch is read once the previous one is handed to the socket) and holds no more memory
// than one batch.

import type { ServerContext } from './context.ts';
import type { Exchange } from './exchange.ts';
import { sendError } from './respond.ts';
import type { QueryRequest } from './run-query.ts';
import { queryEndpointError } from './wire/errors.ts';

/** A PRINT waits for the client once this much output is queued. */
const HIGH_WATER_BYTES = 64 * 1024;

export function isPrintStatement(sql: string): boolean {
  const body = sql.replace(/^(\s|--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/)*/, '');
  return /^PRINT\b/i.test(body);
}

export async function runPrint(ctx: ServerContext, ex: Exchange, request: QueryRequest, contentType: string): Promise<void> {
  const session = ctx.newSession(request.properties, request.sessionVariables);
  let handle;
  try {
    handle = await ctx.engine.print(session, request.sql);
  } catch (err) {
    const wire = queryEndpointError(err, request.sql);
    if (wire.status >= 500) ctx.logError(`starting ${request.sql}`, err);
    return sendError(ex, wire);
  }
  if (ex.aborted) return handle.close();
  const out = ex.startStream(200, contentType);
  const stop = () => handle.close();
  ex.onAbort(stop);
  ctx.openStreams.add(stop);
  try {
    for await (const line of handle.lines) {
      if (out.closed) break;
      out.write(`${line}\n`);
      if (out.queuedBytes > HIGH_WATER_BYTES) await out.drained();
    }
  } catch (err) {
    ctx.logError(`running ${request.sql}`, err);
  } finally {
    ctx.openStreams.delete(stop);
    handle.close();
  }
  await out.end();
}
