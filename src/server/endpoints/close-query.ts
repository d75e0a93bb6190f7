// POST /close-query {"queryId"}: ends a push query started on /query-stream (200, empty body).

import type { ServerContext } from '../context.ts';
import { parseOrAnswer, readBody, sendError } from '../respond.ts';
import type { Route } from '../router.ts';
import { badRequest } from '../wire/errors.ts';
import { parseCloseQueryArgs } from '../wire/requests.ts';

export function closeQueryRoutes(ctx: ServerContext): Route[] {
  return [
    {
      method: 'POST', path: '/close-query',
      handler: async (ex) => {
        const body = await readBody(ctx, ex);
        if (body === undefined) return;
        const args = parseOrAnswer(ex, () => parseCloseQueryArgs(body));
        if (args === undefined) return;
        if (ctx.pushQueries.close(args.queryId)) ex.sendText(200, '', undefined);
        else sendError(ex, badRequest(`No query with id ${args.queryId}`));
      },
    },
  ];
}
