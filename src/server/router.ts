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

/** Bound on the Accept memo of a route, so odd headers cannot grow it without limit. */
const ACCEPT_MEMO_LIMIT = 64;

interface Candidate {
  readonly entry: Entry;
  readonly params: Readonly<Record<string, string>>;
}

interface Entry {
  readonly route: Route;
  readonly segments: string[];
  /** Accept header -> negotiation outcome; requests repeat the same few headers. */
  readonly negotiated: Map<string | undefined, ReturnType<typeof negotiate>>;
}

export class Router {
  readonly #routes: Entry[];
  /** method -> path -> the routes that match it, for paths that match only parameter-free routes. */
  readonly #byPath = new Map<string, Map<string, Candidate[]>>();

  constructor(routes: readonly Route[]) {
    this.#routes = routes.map((route) => ({ route, segments: split(route.path), negotiated: new Map() }));
  }

  match(method: string, path: string, acceptHeader: string | undefined): { route: Route; match: RouteMatch } | undefined {
    for (const { entry, params } of this.#candidates(method, path)) {
      let n = entry.negotiated.get(acceptHeader);
      if (!n) {
        n = negotiate(acceptHeader, entry.route.produces ?? [], entry.route.wildcardPreference);
        if (entry.negotiated.size < ACCEPT_MEMO_LIMIT) entry.negotiated.set(acceptHeader, n);
      }
      if (!n.matched) continue;
      return { route: entry.route, match: { params, accept: n.type } };
    }
    return undefined;
  }

  /** Routes whose method and path match, in declaration order, with their path parameters. */
  #candidates(method: string, path: string): readonly Candidate[] {
    let byPath = this.#byPath.get(method);
    const memo = byPath?.get(path);
    if (memo) return memo;
    const parts = split(path);
    const out: Candidate[] = [];
    let hasParams = false;
    for (const entry of this.#routes) {
      if (entry.route.method !== method) continue;
      const params = matchPath(entry.segments, parts);
      if (!params) continue;
      hasParams ||= entry.segments.some((seg) => seg.startsWith(':'));
      out.push({ entry, params });
    }
    // Only paths that match parameter-free routes are remembered: there are few of them, and the
    // outcome is the same for every request.
    if (out.length > 0 && !hasParams) {
      if (!byPath) this.#byPath.set(method, (byPath = new Map()));
      byPath.set(path, out);
    }
    return out;
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
