// GET /ws/query (WebSocket): `?request=<KsqlRequest JSON>`; sends the schema (FieldInfo array), then
// one StreamedRow per message, then closes 1000 "done". Bad requests close with 1003, failures 1011.
// A client that stops reading past the buffer bound has its query closed (1011), like HTTP clients.

import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ServerContext } from '../context.ts';
import { errorMessage, queryEndpointError } from '../wire/errors.ts';
import { parseKsqlRequest, RequestError } from '../wire/requests.ts';
import { queryFieldInfos } from '../wire/schema-info.ts';
import { streamedFinal, streamedRow } from '../wire/query-formats.ts';

const NORMAL = 1000;
const INVALID_MESSAGE = 1003;
const INTERNAL_ERROR = 1011;

export interface WsQueryEndpoint {
  handleUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): void;
}

export function createWsQueryEndpoint(ctx: ServerContext): WsQueryEndpoint {
  const wss = new WebSocketServer({ noServer: true, maxPayload: ctx.limits.maxRequestBytes });
  return {
    handleUpgrade(req, socket, head) {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname !== '/ws/query' || ctx.state !== 'running') {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 9\r\n\r\nNot Found');
        return;
      }
      const refused = ctx.auth && !ctx.auth.skips(url.pathname) ? ctx.auth.check(req.headers.authorization) : undefined;
      if (refused) {
        const body = JSON.stringify(refused.body);
        const challenge = refused.status === 401 ? `WWW-Authenticate: Basic realm="${ctx.auth!.realm}"\r\n` : '';
        socket.end(`HTTP/1.1 ${refused.status} ${refused.status === 401 ? 'Unauthorized' : 'Forbidden'}\r\n${challenge}Content-Type: application/json\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        serve(ctx, ws, url.searchParams.get('request')).catch((err: unknown) => closeWith(ws, INTERNAL_ERROR, errorMessage(err)));
      });
    },
    close() {
      for (const client of wss.clients) client.close(1001, 'server shutting down');
      wss.close();
    },
  };
}

async function serve(ctx: ServerContext, ws: WebSocket, requestParam: string | null): Promise<void> {
  let request;
  try {
    request = parseKsqlRequest(requestParam ?? '');
  } catch (e) {
    return closeWith(ws, INVALID_MESSAGE, e instanceof RequestError ? e.message : errorMessage(e));
  }
  if (request.ksql === undefined || request.ksql.trim() === '') return closeWith(ws, INVALID_MESSAGE, '"ksql" field of "request" must be populated');
  const session = ctx.newSession(request.streamsProperties, request.sessionVariables);
  let handle;
  try {
    handle = await ctx.engine.query(session, request.ksql);
  } catch (err) {
    return closeWith(ws, INVALID_MESSAGE, queryEndpointError(err, request.ksql).body.message);
  }
  const release = handle.kind === 'push' ? ctx.pushQueries.track(handle, false) : () => {};
  const abort = () => handle.close();
  ws.on('close', abort);
  ctx.openStreams.add(abort);
  try {
    ws.send(JSON.stringify(queryFieldInfos(handle.columns)));
    for await (const row of handle.rows) {
      if (ws.readyState !== ws.OPEN) return;
      ws.send(streamedRow(row, handle.columns));
      if (ws.bufferedAmount > ctx.limits.pushClientBufferBytes) {
        return closeWith(ws, INTERNAL_ERROR, 'Query closed: the client did not read its results fast enough');
      }
    }
    const reason = handle.endReason();
    if (handle.kind === 'push' && (reason === 'Limit Reached' || reason === 'Query Completed')) ws.send(streamedFinal(reason));
    closeWith(ws, NORMAL, 'done');
  } catch (err) {
    closeWith(ws, INTERNAL_ERROR, errorMessage(err));
  } finally {
    ctx.openStreams.delete(abort);
    handle.close();
    release();
  }
}

/** Close reasons are limited to 123 bytes by the protocol. */
function closeWith(ws: WebSocket, code: number, reason: string): void {
  if (ws.readyState !== ws.OPEN && ws.readyState !== ws.CONNECTING) return;
  let r = reason;
  while (Buffer.byteLength(r) > 123) r = r.slice(0, -1);
  ws.close(code, r);
}
