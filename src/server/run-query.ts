// Starts a query for an HTTP request and streams it: errors before the first row become 4xx/5xx
// bodies; afterwards everything goes in-stream (query-pump.ts). Shared by /query and /query-stream.

import type { ServerContext } from './context.ts';
import type { Exchange } from './exchange.ts';
import { refuseOnPublicListener } from './internal-listener.ts';
import { pumpQuery, writeCompletedPull } from './query-pump.ts';
import { sendError } from './respond.ts';
import { genericError, MAX_PUSH_QUERIES_EXCEEDED, queryEndpointError, type WireError, wireError } from './wire/errors.ts';
import { createQueryWriter, type QueryFormat } from './wire/query-formats.ts';
import type { PropertyMap } from './wire/requests.ts';

export interface QueryRequest {
  readonly sql: string;
  readonly properties: PropertyMap;
  readonly sessionVariables: PropertyMap;
}

/** Pull responses in a cluster: per partition, the host and role that answered and its lag. */
export const SERVED_BY_HEADER = 'x-riffle-pull-served-by';

/** A routing outcome (no replica qualifies, refused forward) or a peer's answer to pass on. */
function routingError(err: unknown): WireError | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { errorCode?: unknown; status?: unknown; body?: unknown; message?: string };
  if (typeof e.errorCode === 'number' && typeof e.status === 'number') return { status: e.status, body: genericError(e.errorCode, e.message ?? '') };
  if (typeof e.status === 'number' && typeof e.body === 'object' && e.body !== null) return { status: e.status, body: e.body as WireError['body'] };
  return undefined;
}

export async function runQuery(ctx: ServerContext, ex: Exchange, request: QueryRequest, format: QueryFormat, closable: boolean): Promise<void> {
  const refused = refuseOnPublicListener(ctx, ex.internalListener, ex.path, request.properties);
  if (refused) return sendError(ex, refused);
  // A single server answers repeated pull queries by key straight from their prepared shape.
  const prepared = ctx.cluster ? undefined : ctx.engine.preparedPull(request.sql);
  if (prepared) return writeCompletedPull(ex, prepared, createQueryWriter(format, prepared, true));
  const session = ctx.newSession(request.properties, request.sessionVariables);
  let handle;
  try {
    const routed = ctx.cluster ? await ctx.cluster.routePull(session, request.sql, ex.header('authorization')) : undefined;
    if (routed?.servedBy) ex.setHeader(SERVED_BY_HEADER, JSON.stringify(routed.servedBy));
    handle = routed?.handle ?? await ctx.engine.query(session, request.sql);
  } catch (err) {
    const routing = routingError(err);
    if (routing) return sendError(ex, routing);
    const wire = queryEndpointError(err, request.sql);
    if (wire.status >= 500) ctx.logError(`starting query ${request.sql}`, err);
    return sendError(ex, wire);
  }
  if (ex.aborted) return handle.close();
  if (handle.kind === 'push' && ctx.pushQueries.activeCount >= ctx.limits.maxPushQueries) {
    handle.close();
    return sendError(ex, wireError(genericError(MAX_PUSH_QUERIES_EXCEEDED,
      'Not executing statement(s) as it would cause the number of active, push queries to exceed the configured limit. ' +
      "Terminate existing PUSH queries, or increase the 'ksql.max.push.queries' setting via the 'ksql-server.properties' file. " +
      `Current push query count: ${ctx.pushQueries.activeCount}. Configured limit: ${ctx.limits.maxPushQueries}`)));
  }
  const release = handle.kind === 'push' ? ctx.pushQueries.track(handle, closable) : () => {};
  try {
    await pumpQuery(ctx, ex, handle, createQueryWriter(format, { queryId: handle.queryId, columns: handle.columns }, handle.kind === 'pull'), release);
  } finally {
    release();
  }
}
