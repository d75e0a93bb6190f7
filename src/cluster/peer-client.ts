// HTTP calls from one server to its peers: heartbeats, lag reports and forwarded pull queries
// (POST /query-stream, JSON array answer). Errors carry `status`/`code` for classifyPullFailure.

export class PeerHttpError extends Error {
  readonly status: number;
  readonly body: unknown;
  constructor(host: string, status: number, body: unknown) {
    const message = typeof body === 'object' && body !== null && 'message' in body ? String((body as { message: unknown }).message) : JSON.stringify(body);
    super(`${host} answered HTTP ${status}: ${message}`);
    this.name = 'PeerHttpError';
    this.status = status;
    this.body = body;
  }
}

/** `authorization`: credentials to pass on (a forwarded pull query carries its caller's). */
export async function postJson(host: string, path: string, body: unknown, timeoutMs: number, authorization?: string): Promise<unknown> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (authorization !== undefined) headers['authorization'] = authorization;
  const res = await fetch(`http://${host}${path}`, {
    method: 'POST', headers,
    body: JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  const parsed: unknown = text === '' ? undefined : JSON.parse(text);
  if (!res.ok) throw new PeerHttpError(host, res.status, parsed);
  return parsed;
}

export interface ForwardedPullResult {
  readonly columnNames: readonly string[];
  /** Rows as JSON arrays, one value per column. */
  readonly rows: readonly unknown[][];
}

/** Runs a pull query on `host` with its properties (partitions pinned, forwarding off). */
export async function forwardPull(host: string, sql: string, properties: Record<string, unknown>, timeoutMs: number, authorization?: string): Promise<ForwardedPullResult> {
  let body: unknown;
  try {
    body = await postJson(host, '/query-stream', { sql, properties }, timeoutMs, authorization);
  } catch (e) {
    if (e instanceof SyntaxError) throw Object.assign(new Error(`${host} sent a malformed answer`), { status: 502 });
    throw e;
  }
  if (!Array.isArray(body) || body.length === 0) throw Object.assign(new Error(`${host} sent no query header`), { status: 502 });
  const [header, ...rest] = body as [{ columnNames?: string[] }, ...unknown[]];
  const rows: unknown[][] = [];
  for (const r of rest) {
    if (Array.isArray(r)) rows.push(r);
    else if (r && typeof r === 'object' && 'message' in r) throw new PeerHttpError(host, 500, r);
  }
  return { columnNames: header.columnNames ?? [], rows };
}
