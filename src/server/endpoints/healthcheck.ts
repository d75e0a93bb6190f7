// GET /healthcheck (always 200 with per-component health) and the /chc/ready, /chc/live probes.

import type { ServerContext } from '../context.ts';
import type { Route } from '../router.ts';
import { JSON_TYPE, KSQL_V1_JSON } from '../wire/media-types.ts';
import { healthcheckJson } from '../wire/server-info.ts';

export function healthcheckRoutes(ctx: ServerContext): Route[] {
  return [
    {
      method: 'GET', path: '/healthcheck', produces: [KSQL_V1_JSON, JSON_TYPE],
      handler: (ex) => ex.sendJson(200, healthcheckJson(ctx.state === 'running', ctx.state === 'running' ? 'READY' : 'TERMINATING')),
    },
    { method: 'GET', path: '/chc/ready', handler: (ex) => ex.sendJson(200, {}) },
    { method: 'GET', path: '/chc/live', handler: (ex) => ex.sendJson(200, {}) },
  ];
}
