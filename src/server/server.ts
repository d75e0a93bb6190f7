// Assembles the REST server: the dual-protocol listener, the routes of every endpoint, the WebSocket
// and an orderly shutdown. The engine is opened and closed by the caller (bin/riffle.ts or a test).

import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServerConfig } from '../config/load-config.ts';
import type { EngineApi } from '../engine/engine-api.ts';
import { ServerContext } from './context.ts';
import { clusterStatusRoutes } from './endpoints/cluster-status.ts';
import { closeQueryRoutes } from './endpoints/close-query.ts';
import { healthcheckRoutes } from './endpoints/healthcheck.ts';
import { heartbeatRoutes } from './endpoints/heartbeat.ts';
import { lagRoutes } from './endpoints/lag.ts';
import { infoRoutes } from './endpoints/info.ts';
import { insertsStreamRoutes } from './endpoints/inserts-stream.ts';
import { isValidPropertyRoutes } from './endpoints/is-valid-property.ts';
import { ksqlRoutes } from './endpoints/ksql.ts';
import { queryStreamRoutes } from './endpoints/query-stream.ts';
import { queryRoutes } from './endpoints/query.ts';
import { statusRoutes } from './endpoints/status.ts';
import { createWsQueryEndpoint, type WsQueryEndpoint } from './endpoints/ws-query.ts';
import { Exchange } from './exchange.ts';
import { isPeerOnlyPath, refuseOnPublicListener } from './internal-listener.ts';
import { createDualProtocolServer } from './http-listener.ts';
import { sendError, sendInternalError } from './respond.ts';
import { notFound, Router } from './router.ts';
import { genericError, SERVER_SHUTTING_DOWN, wireError } from './wire/errors.ts';

export interface RiffleServer {
  readonly host: string;
  readonly port: number;
  /** `http://host:port` clients can use (0.0.0.0 shown as localhost). */
  readonly url: string;
  readonly context: ServerContext;
  /** Stops accepting, ends open streams, lets requests finish (bounded), closes connections. */
  close(): Promise<void>;
}

export async function startServer(engine: EngineApi, config: ServerConfig): Promise<RiffleServer> {
  // Filled in once the port is known (the context's identity includes it).
  const wiring: { ctx?: ServerContext; router?: Router; ws?: WsQueryEndpoint } = {};

  const listen = async (host: string, port: number, internal: boolean) => {
    const handle = (ex: Exchange) => {
      ex.internalListener = internal;
      if (!wiring.ctx || !wiring.router) return ex.sendText(503, '', undefined);
      dispatch(wiring.ctx, wiring.router, ex);
    };
    const d = createDualProtocolServer(
      (req, res) => handle(Exchange.fromHttp(req, res)),
      (req: http.IncomingMessage, socket, head) => {
        if (wiring.ws) wiring.ws.handleUpgrade(req, socket, head);
        else socket.destroy();
      },
      (stream) => handle(Exchange.fromH2(stream)),
      (err) => wiring.ctx?.logError('HTTP/2 connection', err),
      (req, res) => handle(Exchange.fromHttp1(req, res)),
    );
    await new Promise<void>((resolve, reject) => {
      d.net.once('error', reject);
      d.net.listen(port, host, () => {
        d.net.removeListener('error', reject);
        resolve();
      });
    });
    return d;
  };
  const dual = await listen(config.listener.host, config.listener.port, false);
  // ksql.internal.listener: a second listener for peers; advertised to them unless set explicitly.
  const internalText = config.string('ksql.internal.listener');
  const internalUrl = internalText === '' ? undefined : new URL(internalText);
  const internalDual = internalUrl ? await listen(internalUrl.hostname, Number(internalUrl.port || 8088), true) : undefined;
  const listeners = internalDual ? [dual, internalDual] : [dual];
  const address = dual.net.address() as AddressInfo;
  const shownHost = config.listener.host === '0.0.0.0' || config.listener.host === '::' ? 'localhost' : config.listener.host;
  const advertised = config.string('ksql.advertised.listener');
  const hostPort = advertised !== '' ? new URL(advertised).host : internalUrl ? internalUrl.host : `${shownHost}:${address.port}`;
  const ctx = new ServerContext(engine, config, {
    serviceId: config.string('ksql.service.id'),
    kafkaClusterId: engine.log.kind === 'kafka' ? 'kafka' : 'riffle-embedded',
    hostPort,
  });
  const context = ctx;
  wiring.ctx = ctx;
  wiring.router = new Router([
    ...infoRoutes(ctx),
    ...healthcheckRoutes(ctx),
    ...clusterStatusRoutes(ctx),
    ...heartbeatRoutes(ctx),
    ...lagRoutes(ctx),
    ...statusRoutes(ctx),
    ...isValidPropertyRoutes(ctx),
    ...ksqlRoutes(ctx),
    ...queryRoutes(ctx),
    ...queryStreamRoutes(ctx),
    ...insertsStreamRoutes(ctx),
    ...closeQueryRoutes(ctx),
  ]);
  const wsEndpoint = createWsQueryEndpoint(ctx);
  wiring.ws = wsEndpoint;

  let closing: Promise<void> | undefined;
  return {
    host: address.address,
    port: address.port,
    url: `http://${shownHost}:${address.port}`,
    context,
    close: () => (closing ??= shutdown()),
  };

  async function shutdown(): Promise<void> {
    context.state = 'shutting_down';
    const stopped = Promise.all(listeners.map((d) => new Promise<void>((resolve) => d.net.close(() => resolve()))));
    // End every running query: their responses finish normally (closing brackets and all).
    for (const abort of [...context.openStreams]) abort();
    context.pushQueries.closeAll();
    wsEndpoint.close();
    for (const d of listeners) {
      for (const s of d.sessions) s.close();
      d.closeIdleConnections();
    }
    const deadline = Date.now() + config.number('riffle.server.shutdown.timeout.ms');
    while (listeners.some((d) => d.sockets.size > 0) && Date.now() < deadline) {
      for (const d of listeners) d.closeIdleConnections();
      await new Promise((r) => setTimeout(r, 20));
    }
    for (const d of listeners) for (const s of d.sockets) s.destroy();
    await stopped;
  }
}

function dispatch(ctx: ServerContext, router: Router, ex: Exchange): void {
  const isProbe = ex.path.startsWith('/chc/');
  if (ctx.state !== 'running' && !isProbe) {
    ex.request.resume();
    return sendError(ex, wireError(genericError(SERVER_SHUTTING_DOWN, 'The server is shutting down')));
  }
  const refused = refuseOnPublicListener(ctx, ex.internalListener, ex.path) ?? unauthenticated(ctx, ex);
  if (refused) {
    ex.request.resume();
    if (refused.status === 401) ex.setHeader('www-authenticate', `Basic realm="${ctx.auth!.realm}"`);
    return sendError(ex, refused);
  }
  const found = router.match(ex.method, ex.path, ex.header('accept'));
  if (!found) {
    ex.request.resume();
    return notFound(ex);
  }
  let result;
  try {
    result = found.route.handler(ex, found.match);
  } catch (err) {
    ctx.logError(`${ex.method} ${ex.path}`, err);
    return sendInternalError(ex, err);
  }
  if (result instanceof Promise) {
    result.catch((err: unknown) => {
      ctx.logError(`${ex.method} ${ex.path}`, err);
      sendInternalError(ex, err);
    });
  }
}

/** The refusal of a request without valid credentials (authentication on), else undefined. */
function unauthenticated(ctx: ServerContext, ex: Exchange) {
  const auth = ctx.auth;
  if (!auth || auth.skips(ex.path) || (ex.internalListener && isPeerOnlyPath(ex.path))) return undefined;
  return auth.check(ex.header('authorization'));
}
