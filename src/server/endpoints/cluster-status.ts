// GET /clusterStatus: this node's view of the cluster (every member, liveness, active and standby
// partitions with lags) when it runs in an HA cluster; a single node reports itself alive.

import type { ServerContext } from '../context.ts';
import type { Route } from '../router.ts';
import { JSON_TYPE, KSQL_V1_JSON } from '../wire/media-types.ts';
import { clusterStatusJson } from '../wire/server-info.ts';

export function clusterStatusRoutes(ctx: ServerContext): Route[] {
  return [{ method: 'GET', path: '/clusterStatus', produces: [KSQL_V1_JSON, JSON_TYPE], handler: (ex) => ex.sendJson(200, ctx.cluster ? ctx.cluster.clusterStatus() : clusterStatusJson(ctx.identity, Date.now())) }];
}
