// POST /heartbeat: a peer says it is alive ({"hostInfo","timestamp"} -> {"ok":true}); recorded on
// this server's clock by the cluster node. Without a cluster the call is accepted and ignored.
import type { ServerContext } from '../context.ts';
import { internalBody } from './lag.ts';
import type { Route } from '../router.ts';
import { JSON_TYPE, KSQL_V1_JSON } from '../wire/media-types.ts';

export function heartbeatRoutes(ctx: ServerContext): Route[] {
  return [{
    method: 'POST', path: '/heartbeat', produces: [KSQL_V1_JSON, JSON_TYPE],
    handler: async (ex) => {
      const body = await internalBody(ctx, ex);
      if (body === undefined) return;
      try {
        ctx.cluster?.onHeartbeat(body);
      } catch (e) {
        return ex.sendJson(400, { '@type': 'generic_error', error_code: 40000, message: (e as Error).message });
      }
      ex.sendJson(200, { ok: true });
    },
  }];
}
