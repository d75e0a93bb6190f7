// ksqlDB's media types and Vert.x-style Accept negotiation: a route "produces" some types; an Accept
// header that matches none of them makes the route not match (404), no Accept matches with no type.

export const DELIMITED = 'application/vnd.ksqlapi.delimited.v1';
export const JSON_TYPE = 'application/json';
export const KSQL_V1_JSON = 'application/vnd.ksql.v1+json';
export const KSQL_V1_PROTOBUF = 'application/vnd.ksql.v1+protobuf';

export type Negotiated = { readonly matched: true; readonly type: string | undefined } | { readonly matched: false };

interface AcceptRange {
  readonly type: string;
  readonly subtype: string;
  readonly q: number;
  readonly order: number;
}

/**
 * Picks the produced type for an Accept header. `preferForWildcard` orders the candidates a `*\/*` or
 * `application/*` range resolves to (ksqlDB picks from a HashSet; clients observed delimited first).
 */
export function negotiate(accept: string | undefined, produces: readonly string[], preferForWildcard: readonly string[] = produces): Negotiated {
  if (produces.length === 0) return { matched: true, type: undefined };
  if (accept === undefined || accept.trim() === '') return { matched: true, type: undefined };
  const ranges = parseAccept(accept).filter((r) => r.q > 0);
  ranges.sort((a, b) => b.q - a.q || specificity(b) - specificity(a) || a.order - b.order);
  for (const r of ranges) {
    if (r.type === '*' || r.subtype === '*') {
      const hit = preferForWildcard.find((p) => matches(r, p)) ?? produces.find((p) => matches(r, p));
      if (hit !== undefined) return { matched: true, type: hit };
    } else {
      const hit = produces.find((p) => matches(r, p));
      if (hit !== undefined) return { matched: true, type: hit };
    }
  }
  return { matched: false };
}

function parseAccept(header: string): AcceptRange[] {
  const out: AcceptRange[] = [];
  header.split(',').forEach((part, order) => {
    const [range, ...params] = part.split(';').map((s) => s.trim());
    if (!range) return;
    const slash = range.indexOf('/');
    const type = (slash < 0 ? range : range.slice(0, slash)).toLowerCase();
    const subtype = (slash < 0 ? '*' : range.slice(slash + 1)).toLowerCase();
    let q = 1;
    for (const p of params) {
      const m = /^q=([0-9.]+)$/i.exec(p);
      if (m) q = Number(m[1]);
    }
    out.push({ type, subtype, q: Number.isNaN(q) ? 0 : q, order });
  });
  return out;
}

function specificity(r: AcceptRange): number {
  return (r.type === '*' ? 0 : 1) + (r.subtype === '*' ? 0 : 1);
}

function matches(r: AcceptRange, produced: string): boolean {
  const [type, subtype] = produced.split('/') as [string, string];
  return (r.type === '*' || r.type === type) && (r.subtype === '*' || r.subtype === subtype);
}
