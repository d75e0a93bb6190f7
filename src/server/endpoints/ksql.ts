// POST /ksql: executes non-query statements and answers one typed entity per statement; on the
// first failure, a statement_error carrying the entities of the statements that succeeded before it.
// POST /ksql/terminate: terminates every persistent query (single node: nothing else to stop).

import { KsqlError } from '../../common/errors.ts';
import type { ExecuteFailure, StatementOutcome } from '../../engine/engine-api.ts';
import type { ServerContext } from '../context.ts';
import { parseOrAnswer, readBody, sendError } from '../respond.ts';
import type { Route } from '../router.ts';
import { toEntities } from '../wire/entities.ts';
import { badRequest, ksqlEndpointError } from '../wire/errors.ts';
import { JSON_TYPE, KSQL_V1_JSON } from '../wire/media-types.ts';
import { parseKsqlRequest, parseTerminateRequest } from '../wire/requests.ts';
import { terminateClusterJson } from '../wire/server-info.ts';

export function ksqlRoutes(ctx: ServerContext): Route[] {
  return [
    {
      method: 'POST', path: '/ksql', produces: [KSQL_V1_JSON, JSON_TYPE],
      handler: async (ex) => {
        const body = await readBody(ctx, ex);
        if (body === undefined) return;
        const request = parseOrAnswer(ex, () => parseKsqlRequest(body));
        if (request === undefined) return;
        if (request.ksql === undefined) return sendError(ex, badRequest('"ksql" field must be populated'));
        const session = ctx.newSession(request.streamsProperties, request.sessionVariables);
        const entityCtx = ctx.entityContext();
        try {
          const outcomes = await ctx.engine.execute(session, request.ksql);
          recordStatuses(ctx, outcomes);
          ex.sendJson(200, toEntities(outcomes, entityCtx));
        } catch (err) {
          if (isExecuteFailure(err)) {
            recordStatuses(ctx, err.completed);
            sendError(ex, ksqlEndpointError(err.error, request.ksql, toEntities(err.completed, entityCtx)));
          } else {
            sendError(ex, ksqlEndpointError(err, request.ksql, []));
          }
        }
      },
    },
    {
      method: 'POST', path: '/ksql/terminate', produces: [KSQL_V1_JSON, JSON_TYPE],
      handler: async (ex) => {
        const body = await readBody(ctx, ex);
        if (body === undefined) return;
        if (parseOrAnswer(ex, () => parseTerminateRequest(body)) === undefined) return;
        for (const q of ctx.engine.persistentQueries()) await ctx.engine.terminate(q.id);
        ex.sendJson(200, terminateClusterJson(ctx.entityContext().nextCommandSequenceNumber()));
      },
    },
  ];
}

function isExecuteFailure(err: unknown): err is ExecuteFailure {
  return typeof err === 'object' && err !== null && (err as ExecuteFailure).error instanceof KsqlError && Array.isArray((err as ExecuteFailure).completed);
}

function recordStatuses(ctx: ServerContext, outcomes: readonly StatementOutcome[]): void {
  for (const o of outcomes) {
    if (o.kind === 'CommandStatus') ctx.commandStatuses.set(o.commandId, { status: 'SUCCESS', message: o.message, queryId: o.queryId ?? null });
  }
}
