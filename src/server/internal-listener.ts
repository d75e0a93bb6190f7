// ksqlDB's internal listener (`ksql.internal.listener`): when configured, inter-node calls (/heartbeat,
// /lag, forwarded pull queries) are served only there; the public listener answers 40005 INTERNAL_ONLY.
import type { ServerContext } from './context.ts';
import { genericError, type WireError, wireError } from './wire/errors.ts';

export const INTERNAL_ONLY = 40005;
const INTERNAL_PATHS = new Set(['/heartbeat', '/lag']);
/** Properties only a peer's forwarded pull query carries (see src/cluster/pull-router.ts). */
const FORWARDING_PROPERTIES = ['request.ksql.query.pull.partition', 'request.ksql.query.pull.skip.forwarding'];

/** Calls only peers make (/heartbeat, /lag): on the internal listener they need no user credentials. */
export function isPeerOnlyPath(path: string): boolean {
  return INTERNAL_PATHS.has(path);
}

export function internalListenerUrl(ctx: ServerContext): URL | undefined {
  const v = ctx.config.string('ksql.internal.listener');
  return v === '' ? undefined : new URL(v);
}

/** The refusal for a call on the public listener that only peers may make there; undefined when allowed. */
export function refuseOnPublicListener(ctx: ServerContext, internal: boolean, path: string, properties?: Readonly<Record<string, unknown>>): WireError | undefined {
  if (internal || internalListenerUrl(ctx) === undefined) return undefined;
  const forwarded = properties !== undefined && FORWARDING_PROPERTIES.some((k) => properties[k] !== undefined);
  if (!INTERNAL_PATHS.has(path) && !forwarded) return undefined;
  return wireError(genericError(INTERNAL_ONLY, "Can't call internal endpoint on public listener"));
}
