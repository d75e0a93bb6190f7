// POST /lag: a peer's lag report per state store partition ({"ksqlHost","hostStoreLags"} ->
// {"ok":true}), merged by the cluster node for routing and /clusterStatus.
import type { ServerContext } from '../context.ts';
import type { Exchange } from '../exchange.ts';
import { readBody } from '../respond.ts';
import type { Route } from '../router.ts';
import { JSON_TYPE, KSQL_V1_JSON } from '../wire/media-types.ts';

/** The JSON body of an inter-node call; answers 400 itself (and returns undefined) when unreadable. */
export async function internalBody(ctx: ServerContext, ex: Exchange): Promise<unknown> {
  const raw = await readBody(ctx, ex);
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    ex.sendJson(400, { '@type': 'generic_error', error_code: 40000, message: 'Invalid JSON in request body' });
    return undefined;
  }
}

export function lagRoutes(ctx: ServerContext): Route[] {
  return [{
    method: 'POST', path: '/lag', produces: [KSQL_V1_JSON, JSON_TYPE],
    handler: async (ex) => {
      const body = await internalBody(ctx, ex);
      if (body === undefined) return;
      try {
        ctx.cluster?.onLagReport(body);
      } catch (e) {
        return ex.sendJson(400, { '@type': 'generic_error', error_code: 40000, message: (e as Error).message });
      }
      ex.sendJson(200, { ok: true });
    },
  }];
}
