// GET /status (every command's status) and /status/{type}/{entity}/{action} (one command; 404 40400).

import type { ServerContext } from '../context.ts';
import { sendError } from '../respond.ts';
import type { Route } from '../router.ts';
import { genericError, NOT_FOUND, wireError } from '../wire/errors.ts';
import { JSON_TYPE, KSQL_V1_JSON } from '../wire/media-types.ts';
import { commandStatusesJson } from '../wire/server-info.ts';

export function statusRoutes(ctx: ServerContext): Route[] {
  return [
    { method: 'GET', path: '/status', produces: [KSQL_V1_JSON, JSON_TYPE], handler: (ex) => ex.sendJson(200, commandStatusesJson(ctx.commandStatuses)) },
    {
      method: 'GET', path: '/status/:type/:entity/:action', produces: [KSQL_V1_JSON, JSON_TYPE],
      handler: (ex, { params }) => {
        const status = ctx.commandStatuses.get(`${params['type']}/${params['entity']}/${params['action']}`);
        if (status) ex.sendJson(200, status);
        else sendError(ex, wireError(genericError(NOT_FOUND, 'Command not found')));
      },
    },
  ];
}
