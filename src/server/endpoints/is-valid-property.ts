// GET /is_valid_property/{name}: whether a client may override the property (the CLI asks on SET).

import type { ServerContext } from '../context.ts';
import { sendError } from '../respond.ts';
import type { Route } from '../router.ts';
import { badRequest } from '../wire/errors.ts';
import { JSON_TYPE, KSQL_V1_JSON } from '../wire/media-types.ts';

export function isValidPropertyRoutes(ctx: ServerContext): Route[] {
  return [
    {
      method: 'GET', path: '/is_valid_property/:property', produces: [KSQL_V1_JSON, JSON_TYPE],
      handler: (ex, { params }) => {
        const name = params['property'] ?? '';
        if (ctx.config.isOverridable(name)) ex.sendJson(200, true);
        else sendError(ex, badRequest(`One or more properties overrides set locally are prohibited by the KSQL server (use UNSET to reset their default value): [${name}]`));
      },
    },
  ];
}
