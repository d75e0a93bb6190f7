// GET /info (KsqlServerInfo), GET / (redirect to /info), GET /v1/metadata and /v1/metadata/id.

import type { ServerContext } from '../context.ts';
import type { Route } from '../router.ts';
import { JSON_TYPE, KSQL_V1_JSON } from '../wire/media-types.ts';
import { clusterIdJson, serverInfoJson, serverMetadataJson } from '../wire/server-info.ts';

const JSON_APIS = [KSQL_V1_JSON, JSON_TYPE];

export function infoRoutes(ctx: ServerContext): Route[] {
  return [
    { method: 'GET', path: '/', handler: (ex) => ex.sendText(307, '', undefined, { location: '/info' }) },
    { method: 'GET', path: '/info', produces: JSON_APIS, handler: (ex) => ex.sendJson(200, serverInfoJson(ctx.identity, 'RUNNING')) },
    { method: 'GET', path: '/v1/metadata', produces: JSON_APIS, handler: (ex) => ex.sendJson(200, serverMetadataJson(ctx.identity)) },
    { method: 'GET', path: '/v1/metadata/id', produces: JSON_APIS, handler: (ex) => ex.sendJson(200, clusterIdJson(ctx.identity)) },
  ];
}
