// What every endpoint shares: the engine, the configuration, this server's identity, the command
// statuses /status reports, the registry of running push queries and the server's lifecycle state.

import type { ServerConfig } from '../config/load-config.ts';
import { type BasicAuth, loadBasicAuth } from './basic-auth.ts';
import type { EngineApi, QueryHandle, Session } from '../engine/engine-api.ts';
import type { EntityContext } from './wire/entities.ts';
import type { PropertyMap } from './wire/requests.ts';
import type { CommandStatusJson, ServerIdentity } from './wire/server-info.ts';

export type ServerState = 'running' | 'shutting_down';

/** What the server needs from an HA cluster node (src/cluster/cluster-node.ts), when one runs. */
export interface ClusterHooks {
  onHeartbeat(body: unknown): void;
  onLagReport(body: unknown): void;
  clusterStatus(): unknown;
  /** Routes a pull query across replicas; undefined when the statement takes the normal path. */
  /** `authorization`: the caller's credentials, passed on when the query is forwarded to a peer. */
  routePull(session: Session, sql: string, authorization?: string): Promise<{ handle: QueryHandle; servedBy?: readonly unknown[] } | undefined>;
  /** Internal endpoints (/heartbeat, /lag) are refused on a listener this returns false for. */
  readonly internalOnly?: boolean;
}

export interface Limits {
  readonly maxRequestBytes: number;
  readonly pushClientBufferBytes: number;
  readonly slowClientTimeoutMs: number;
  readonly maxPushQueries: number;
}

/** Push queries that are streaming right now; /query-stream ones can be closed by id. */
export class PushQueryRegistry {
  readonly #closable = new Map<string, QueryHandle>();
  #active = 0;

  get activeCount(): number {
    return this.#active;
  }

  /** Counts a push query for its lifetime; `closable` registers it for /close-query. Returns the release. */
  track(handle: QueryHandle, closable: boolean): () => void {
    this.#active++;
    if (closable) this.#closable.set(handle.queryId, handle);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#active--;
      if (this.#closable.get(handle.queryId) === handle) this.#closable.delete(handle.queryId);
    };
  }

  close(queryId: string): boolean {
    const h = this.#closable.get(queryId);
    if (!h) return false;
    this.#closable.delete(queryId);
    h.close();
    return true;
  }

  closeAll(): void {
    for (const h of this.#closable.values()) h.close();
    this.#closable.clear();
  }
}

export class ServerContext {
  readonly engine: EngineApi;
  readonly config: ServerConfig;
  readonly identity: ServerIdentity;
  readonly limits: Limits;
  readonly pushQueries = new PushQueryRegistry();
  readonly commandStatuses = new Map<string, CommandStatusJson>();
  /** Every in-flight push/pull stream's abort, so shutdown can end them. */
  readonly openStreams = new Set<() => void>();
  state: ServerState = 'running';
  /** Set when this server is part of an HA cluster. */
  cluster: ClusterHooks | undefined;
  /** HTTP BASIC authentication, when `authentication.method=BASIC`. */
  readonly auth: BasicAuth | undefined;
  #commandSequence = 0;

  constructor(engine: EngineApi, config: ServerConfig, identity: ServerIdentity) {
    this.engine = engine;
    this.config = config;
    this.identity = identity;
    this.auth = loadBasicAuth(config);
    this.limits = {
      maxRequestBytes: config.number('riffle.server.max.request.bytes'),
      pushClientBufferBytes: config.number('riffle.push.client.buffer.bytes'),
      slowClientTimeoutMs: config.number('riffle.push.slow.client.timeout.ms'),
      maxPushQueries: config.number('ksql.max.push.queries'),
    };
  }

  /** Server-side log for failures clients only see as "check the server logs". */
  logError(what: string, err: unknown): void {
    console.error(`${new Date().toISOString()} ERROR ${what}:`, err);
  }

  entityContext(): EntityContext {
    return {
      nextCommandSequenceNumber: () => ++this.#commandSequence,
      hostPort: this.identity.hostPort,
      isQueryLevelProperty: (name) => this.config.isOverridable(name),
      persistentQueries: () => this.engine.persistentQueries(),
    };
  }

  /** A session for one request: its property overrides and session variables. */
  newSession(properties: PropertyMap, variables: PropertyMap): Session {
    const session = this.engine.newSession(properties);
    for (const k in variables) session.variables.set(k, String(variables[k]));
    return session;
  }
}
