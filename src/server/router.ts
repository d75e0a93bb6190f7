// Matches method, path and Accept header to a route, the way ksqlDB's Vert.x router does: a route
// whose produced types the Accept header rules out does not match, and no match is a bare 404.

import type { Exchange } from './exchange.ts';
import { negotiate } from './wire/media-types.ts';

export interface RouteMatch {
  readonly params: Readonly<Record<string, string>>;
  /** The negotiated response type, undefined when the client sent no Accept header. */
  readonly accept: string | undefined;
}

export type Handler = (ex: Exchange, match: RouteMatch) => Promise<void> | void;

export interface Route {
  readonly method: 'GET' | 'POST';
  /** Literal segments and `:name` parameters, e.g. `/status/:type/:entity/:action`. */
  readonly path: string;
  readonly produces?: readonly string[];
  /** Order in which a wildcard Accept (`*\/*`) picks among `produces`. */
  readonly wildcardPreference?: readonly string[];
  readonly handler: Handler;
}

export class Router {
  readonly #routes: { route: Route; segments: string[] }[];

  constructor(routes: readonly Route[]) {
    this.#routes = routes.map((route) => ({ route, segments: split(route.path) }));
  }

  match(method: string, path: string, acceptHeader: string | undefined): { route: Route; match: RouteMatch } | undefined {
    const parts = split(path);
    for (const { route, segments } of this.#routes) {
      if (route.method !== method) continue;
      const params = matchPath(segments, parts);
      if (!params) continue;
      const n = negotiate(acceptHeader, route.produces ?? [], route.wildcardPreference);
      if (!n.matched) continue;
      return { route, match: { params, accept: n.type } };
    }
    return undefined;
  }
}

function split(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

function matchPath(pattern: readonly string[], parts: readonly string[]): Record<string, string> | undefined {
  if (pattern.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    if (p.startsWith(':')) {
      try {
        params[p.slice(1)] = decodeURIComponent(parts[i]!);
      } catch {
        return undefined;
      }
    } else if (p !== parts[i]) return undefined;
  }
  return params;
}

/** ksqlDB's catch-all: 404 with the body `Not Found` and no Content-Type. */
export function notFound(ex: Exchange): void {
  ex.sendText(404, 'Not Found', undefined);
}
