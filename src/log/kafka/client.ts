// A small promise wrapper over @platformatic/kafka's raw protocol layer: metadata, a connection to a
// given broker, coordinators, and any raw API by name (Fetch, ListOffsets, TxnOffsetCommit; later
// JoinGroup/SyncGroup/Heartbeat for cluster membership with our own protocol type).
import {
  type API,
  Base,
  type BaseOptions,
  type Broker,
  type ClusterMetadata,
  type Connection,
  ConnectionPool,
  FindCoordinatorKeyTypes,
  kGetApi,
  kOptions,
} from '@platformatic/kafka';
import { asLogError, hasApiError, isNetworkError, missingTopic } from './errors.ts';

/** Kafka errors that heal by themselves (leader moves, coordinator loads, broker restarts). */
const RETRIABLE = [
  'NOT_LEADER_OR_FOLLOWER',
  'LEADER_NOT_AVAILABLE',
  'FENCED_LEADER_EPOCH',
  'UNKNOWN_LEADER_EPOCH',
  'NOT_COORDINATOR',
  'COORDINATOR_NOT_AVAILABLE',
  'COORDINATOR_LOAD_IN_PROGRESS',
  'UNSTABLE_OFFSET_COMMIT',
  'REQUEST_TIMED_OUT',
  'NOT_ENOUGH_REPLICAS',
  'NOT_ENOUGH_REPLICAS_AFTER_APPEND',
  'KAFKA_STORAGE_ERROR',
  'CONCURRENT_TRANSACTIONS',
  'OFFSET_NOT_AVAILABLE',
  'REBALANCE_IN_PROGRESS',
];

/** Our own errors for a broker or coordinator that left the metadata (a broker died): refresh and retry. */
const STALE_METADATA = /^(Kafka broker -?\d+ is not in the cluster metadata|no coordinator for )/;

export function isRetriable(error: unknown): boolean {
  if (error instanceof Error && STALE_METADATA.test(error.message)) return true;
  return isNetworkError(error) || RETRIABLE.some((id) => hasApiError(error, id));
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export type RawApi = API<any[], any>;

export class RawKafkaClient extends Base {
  readonly bootstrapServers: readonly string[];
  readonly #coordinators = new Map<string, number>();
  #everConnected = false;

  constructor(options: BaseOptions & { bootstrapBrokers: string[] }) {
    super(options);
    this.bootstrapServers = options.bootstrapBrokers;
  }

  /** The highest version of API `name` both this client and the brokers support. */
  api(name: string): Promise<RawApi> {
    return new Promise((resolve, reject) => {
      this[kGetApi]<any[], any>(name, (error, api) => (error || !api ? reject(this.wrap(error)) : resolve(api)));
    });
  }

  /** Cluster metadata covering `topics`; `force` skips the client's metadata cache. */
  async clusterMetadata(topics: string[], force = false): Promise<ClusterMetadata> {
    try {
      return await this.metadata({ topics, forceUpdate: force });
    } catch (e) {
      throw this.wrap(e, topics.length === 1 ? topics[0] : undefined);
    }
  }

  broker(metadata: ClusterMetadata, nodeId: number): Broker {
    const broker = metadata.brokers.get(nodeId);
    if (!broker) throw new Error(`Kafka broker ${nodeId} is not in the cluster metadata`);
    return broker;
  }

  /** A connection to broker `nodeId`, from `pool` (default: this client's own pool). */
  async connection(nodeId: number, pool: ConnectionPool = this.connections): Promise<Connection> {
    const metadata = await this.clusterMetadata([]);
    try {
      return await pool.get(this.broker(metadata, nodeId));
    } catch (e) {
      throw this.wrap(e);
    }
  }

  /** An extra connection pool, for requests that must not queue behind others (long-poll fetches). */
  newPool(): ConnectionPool {
    return new ConnectionPool(this.clientId, { ...this[kOptions], ownerId: this.instanceId } as never);
  }

  /** The coordinator broker for a group or transactional id (cached until `forgetCoordinator`). */
  async coordinator(key: string, type: 'group' | 'transaction' = 'group'): Promise<number> {
    const cacheKey = `${type}:${key}`;
    const cached = this.#coordinators.get(cacheKey);
    if (cached !== undefined) return cached;
    const api = await this.api('FindCoordinator');
    const metadata = await this.clusterMetadata([]);
    const anyBroker = [...metadata.brokers.keys()][0];
    if (anyBroker === undefined) throw new Error('Kafka cluster metadata lists no brokers');
    const connection = await this.connection(anyBroker);
    const keyType = type === 'group' ? FindCoordinatorKeyTypes.GROUP : FindCoordinatorKeyTypes.TRANSACTION;
    const response = (await api.async(connection, keyType, [key])) as { coordinators: { key: string; nodeId: number }[] };
    const nodeId = response.coordinators[0]?.nodeId;
    if (nodeId === undefined || nodeId < 0) throw new Error(`no coordinator for ${type} ${key}`);
    this.#coordinators.set(cacheKey, nodeId);
    return nodeId;
  }

  forgetCoordinator(key: string, type: 'group' | 'transaction' = 'group'): void {
    this.#coordinators.delete(`${type}:${key}`);
  }

  /** Calls a raw API on broker `nodeId`. */
  async call<T>(name: string, nodeId: number, ...args: unknown[]): Promise<T> {
    const api = await this.api(name);
    const connection = await this.connection(nodeId);
    return (await api.async(connection, ...args)) as T;
  }

  /**
   * Runs `fn`, retrying retriable failures with backoff (about 15 s in all, enough for a broker
   * restart), after refreshing metadata and coordinators. Until the first success, gives up after
   * two attempts so an unreachable cluster is reported at once.
   */
  async retrying<T>(fn: () => Promise<T>, topic?: string, attempts = 25): Promise<T> {
    const limit = this.#everConnected ? attempts : Math.min(attempts, 2);
    let delay = 50;
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await fn();
        this.#everConnected = true;
        return result;
      } catch (e) {
        if (attempt >= limit || !isRetriable(e) || this.closed) throw this.wrap(e, topic);
        this.clearMetadata();
        this.#coordinators.clear();
        await sleep(delay);
        delay = Math.min(delay * 2, 1000);
      }
    }
  }

  wrap(error: unknown, topic?: string): Error {
    return asLogError(error, this.bootstrapServers, topic);
  }

  missingTopic(topic: string): Error {
    return missingTopic(topic);
  }
}
