// Every server setting, defined exactly once: name, type, default, doc and scope. Loading
// (load-config.ts), validation and the generated reference (docs/configuration.md) all read this table.

export type SettingType = 'string' | 'int' | 'long' | 'double' | 'boolean' | 'list' | 'enum';

/**
 * 'server': fixed when the server starts; a request cannot override it (/is_valid_property says no).
 * 'query': a default that a request may override (streamsProperties, SET).
 */
export type SettingScope = 'server' | 'query';

export interface SettingDef {
  readonly name: string;
  readonly type: SettingType;
  /** The default as it would be written in a properties file. */
  readonly default: string;
  readonly doc: string;
  readonly scope: SettingScope;
  /** For 'enum': the accepted values (case-insensitive, stored as written here). */
  readonly values?: readonly string[];
  /** Bounds for numeric settings. */
  readonly min?: number;
}

const LONG_MAX = '9223372036854775807';

export const SETTINGS: readonly SettingDef[] = [
  // --- Server and transport --------------------------------------------------------------------
  {
    name: 'listeners', type: 'list', default: 'http://0.0.0.0:8088', scope: 'server',
    doc: 'The URL the REST API listens on. One port serves HTTP/1.1 and HTTP/2 cleartext (prior knowledge) and the WebSocket at /ws/query. Only one http:// listener is supported; `--port` replaces its port.',
  },
  {
    name: 'ksql.advertised.listener', type: 'string', default: '', scope: 'server',
    doc: 'The URL other servers and clients should use to reach this one (reported by /clusterStatus). Empty: `ksql.internal.listener` when set, else derived from `listeners`, with 0.0.0.0 replaced by localhost.',
  },
  {
    name: 'ksql.internal.listener', type: 'string', default: '', scope: 'server',
    doc: 'A separate listener (http://host:port) for server-to-server traffic: /heartbeat, /lag and forwarded pull queries are served there, and refused on the public listener (40005). Peers reach this server at `ksql.advertised.listener`, which defaults to this listener when it is set.',
  },
  {
    name: 'authentication.method', type: 'enum', default: 'NONE', values: ['NONE', 'BASIC'], scope: 'server',
    doc: 'BASIC: every request (REST, HTTP/2, the WebSocket) needs HTTP Basic credentials of a user in the password file named by the JAAS file\'s `authentication.realm` section; 401 (40100) without them, 403 (40300) when the user has none of `authentication.roles`. Forwarded pull queries carry the caller\'s credentials; /heartbeat and /lag are accepted without credentials on `ksql.internal.listener` only, so a cluster with authentication needs that listener.',
  },
  {
    name: 'authentication.realm', type: 'string', default: '', scope: 'server',
    doc: 'The section of the JAAS file whose login module names the password file (`file="..."`), e.g. `KsqlServer-Props`.',
  },
  {
    name: 'authentication.roles', type: 'list', default: '*', scope: 'server',
    doc: 'Roles (from the password file: `user: password,role1,role2`) allowed to use the server; `*` allows any authenticated user.',
  },
  {
    name: 'authentication.skip.paths', type: 'list', default: '', scope: 'server',
    doc: 'Paths served without credentials, e.g. `/chc/live,/chc/ready`; a trailing `*` matches a prefix.',
  },
  {
    name: 'riffle.authentication.jaas.config', type: 'string', default: '', scope: 'server',
    doc: 'Path of the JAAS file (ksqlDB reads it from the JVM option -Djava.security.auth.login.config; that option in the KSQL_OPTS environment variable is honoured too). Password lines are plain or `MD5:<hex>`.',
  },
  {
    name: 'ksql.service.id', type: 'string', default: 'default_', scope: 'server',
    doc: 'The id of the ksqlDB cluster this server belongs to. Reported by /info; prefixes internal topic and consumer group names.',
  },
  {
    name: 'riffle.data.dir', type: 'string', default: 'data', scope: 'server',
    doc: 'Directory holding the embedded log and the lmdb state stores (it replaces `ksql.streams.state.dir`). Relative paths are resolved against the working directory. Flag: `--data-dir`.',
  },
  {
    name: 'ksql.streams.state.dir', type: 'string', default: '', scope: 'server',
    doc: 'ksqlDB compatibility: used as the data directory when `riffle.data.dir` is not set explicitly.',
  },
  {
    name: 'riffle.server.max.request.bytes', type: 'long', default: '10485760', scope: 'server', min: 1024,
    doc: 'Largest request body accepted (413 above it). For /inserts-stream the limit applies to each line.',
  },
  {
    name: 'riffle.push.client.buffer.bytes', type: 'long', default: '4194304', scope: 'server', min: 1024,
    doc: 'Bytes of push-query output buffered for one slow client. When exceeded, that client\'s query ends with an error row; other clients and persistent queries are not slowed down.',
  },
  {
    name: 'riffle.push.slow.client.timeout.ms', type: 'long', default: '30000', scope: 'server', min: 0,
    doc: 'After a client overflowed its buffer, how long to wait for it to read the rest before the connection stream is reset.',
  },
  {
    name: 'riffle.server.shutdown.timeout.ms', type: 'long', default: '10000', scope: 'server', min: 0,
    doc: 'On SIGINT/SIGTERM, how long open requests may take to finish before their connections are closed.',
  },
  {
    name: 'ksql.server.command.response.timeout.ms', type: 'long', default: '5000', scope: 'server', min: 0,
    doc: 'ksqlDB: how long /ksql waits for a distributed command to execute. Riffle executes each statement before answering, so this is accepted for compatibility only.',
  },
  {
    name: 'ksql.max.push.queries', type: 'int', default: '100', scope: 'server', min: 0,
    doc: 'Maximum number of concurrent transient push queries; more are refused with error 40003.',
  },
  {
    name: 'ksql.properties.overrides.denylist', type: 'list', default: '', scope: 'server',
    doc: 'Comma-separated properties that requests may not override (in addition to every server-scoped setting).',
  },

  // --- Log (Kafka or embedded) -------------------------------------------------------------------
  {
    name: 'bootstrap.servers', type: 'string', default: '', scope: 'server',
    doc: 'Kafka brokers (host:port,...). Empty: use the embedded log in the data directory.',
  },
  {
    name: 'ksql.streams.bootstrap.servers', type: 'string', default: '', scope: 'server',
    doc: 'Overrides `bootstrap.servers` for query processing, as in ksqlDB.',
  },

  // --- High availability -------------------------------------------------------------------------
  {
    name: 'ksql.streams.num.standby.replicas', type: 'int', default: '0', scope: 'server', min: 0,
    doc: 'Standby copies of each state store kept on other servers for fast failover and standby reads.',
  },
  {
    name: 'ksql.query.pull.enable.standby.reads', type: 'boolean', default: 'false', scope: 'query',
    doc: 'Allow pull queries to be answered by standby replicas when the active is unavailable.',
  },
  {
    name: 'ksql.query.pull.max.allowed.offset.lag', type: 'long', default: LONG_MAX, scope: 'query', min: 0,
    doc: 'Largest offset lag a replica may have and still answer a pull query.',
  },
  {
    name: 'ksql.query.pull.table.scan.enabled', type: 'boolean', default: 'true', scope: 'query',
    doc: 'Allow pull queries that scan a whole table (no key lookup).',
  },
  {
    name: 'ksql.heartbeat.enable', type: 'boolean', default: 'false', scope: 'server',
    doc: 'Exchange heartbeats with the other servers of the cluster so /clusterStatus and pull-query routing know which hosts are alive.',
  },
  {
    name: 'ksql.heartbeat.send.interval.ms', type: 'long', default: '100', scope: 'server', min: 1,
    doc: 'Interval between heartbeats sent to each other server.',
  },
  {
    name: 'ksql.heartbeat.check.interval.ms', type: 'long', default: '200', scope: 'server', min: 1,
    doc: 'Interval between checks of received heartbeats.',
  },
  {
    name: 'ksql.heartbeat.window.ms', type: 'long', default: '2000', scope: 'server', min: 1,
    doc: 'Time window over which missed heartbeats are counted.',
  },
  {
    name: 'ksql.heartbeat.missed.threshold.ms', type: 'long', default: '3', scope: 'server', min: 1,
    doc: 'Number of missed heartbeats in the window after which a host is considered dead.',
  },
  {
    name: 'ksql.heartbeat.discover.interval.ms', type: 'long', default: '2000', scope: 'server', min: 1,
    doc: 'Interval between discoveries of the servers in the cluster.',
  },
  {
    name: 'ksql.lag.reporting.enable', type: 'boolean', default: 'false', scope: 'server',
    doc: 'Report state-store lag to the other servers (used to route pull queries to up-to-date replicas).',
  },
  {
    name: 'ksql.lag.reporting.send.interval.ms', type: 'long', default: '5000', scope: 'server', min: 1,
    doc: 'Interval between lag reports.',
  },
  {
    name: 'riffle.ha.enable', type: 'boolean', default: 'false', scope: 'server',
    doc: 'One switch for high availability on Kafka: one standby per task, standby reads, heartbeats and lag reporting every second, a 6 s group session timeout. Any of those keys set explicitly still wins.',
  },
  {
    name: 'riffle.cluster.session.timeout.ms', type: 'long', default: '45000', scope: 'server', min: 2000,
    doc: 'Group session timeout of the cluster membership: how soon a crashed server\'s tasks move to another (6000 with riffle.ha.enable). A clean shutdown leaves at once.',
  },
  {
    name: 'riffle.cluster.evict.refused.members', type: 'boolean', default: 'true', scope: 'server',
    doc: 'A member whose server refuses connections (its process is gone, after it was seen up) is removed from the group at once, so its tasks move without waiting for the session timeout.',
  },
  {
    name: 'riffle.cluster.dead.member.ttl.ms', type: 'long', default: '600000', scope: 'server', min: 1,
    doc: 'A server silent this long is forgotten by /clusterStatus and pull-query routing.',
  },
  {
    name: 'ksql.query.pull.max.allowed.staleness.ms', type: 'long', default: LONG_MAX, scope: 'query', min: 0,
    doc: 'Largest staleness in time (its own lag plus its active\'s input lag) a replica may have and still answer a pull query.',
  },

  // --- Query defaults ----------------------------------------------------------------------------
  {
    name: 'processing.guarantee', type: 'enum', default: 'at_least_once', scope: 'query',
    values: ['at_least_once', 'exactly_once', 'exactly_once_v2'],
    doc: 'Delivery guarantee of persistent queries.',
  },
  {
    name: 'ksql.streams.auto.offset.reset', type: 'enum', default: 'latest', scope: 'query',
    values: ['latest', 'earliest'],
    doc: 'Where a new query starts reading its input topics when it has no committed offset.',
  },
  {
    name: 'ksql.streams.commit.interval.ms', type: 'long', default: '2000', scope: 'query', min: 0,
    doc: 'How often persistent queries commit their input offsets and flush state.',
  },
  {
    name: 'ksql.persistence.wrap.single.values', type: 'boolean', default: 'true', scope: 'query',
    doc: 'Default for WRAP_SINGLE_VALUE: whether a single value column is wrapped in a record/object.',
  },
  {
    name: 'ksql.persistence.default.format.key', type: 'string', default: 'KAFKA', scope: 'query',
    doc: 'Key format used when a CREATE statement names none.',
  },
  {
    name: 'ksql.persistence.default.format.value', type: 'string', default: '', scope: 'query',
    doc: 'Value format used when a CREATE statement names none (empty: the statement must name one).',
  },
  {
    name: 'ksql.timestamp.throw.on.invalid', type: 'boolean', default: 'false', scope: 'query',
    doc: 'A record whose TIMESTAMP column cannot be read (null, negative, or not in TIMESTAMP_FORMAT) stops the persistent query with an error; by default it is skipped with a processing-log entry.',
  },

  {
    name: 'ksql.assert.topic.default.timeout.ms', type: 'long', default: '1000', scope: 'query', min: 0,
    doc: 'How long ASSERT TOPIC waits for its condition when the statement names no TIMEOUT.',
  },

  // --- Processing log ----------------------------------------------------------------------------
  {
    name: 'ksql.logging.processing.topic.auto.create', type: 'boolean', default: 'false', scope: 'server',
    doc: 'Write every processing-log entry (a record a query could not deserialize, evaluate or serialize) as JSON to the processing-log topic, creating the topic at start-up if it is missing. Entries are always kept in memory as well.',
  },
  {
    name: 'ksql.logging.processing.topic.name', type: 'string', default: '', scope: 'server',
    doc: 'The processing-log topic. Empty: `<ksql.service.id>ksql_processing_log` (e.g. `default_ksql_processing_log`).',
  },
  {
    name: 'ksql.logging.processing.topic.partitions', type: 'int', default: '1', scope: 'server', min: 1,
    doc: 'Partitions of the processing-log topic when Riffle creates it.',
  },
  {
    name: 'ksql.logging.processing.topic.replication.factor', type: 'int', default: '1', scope: 'server', min: 1,
    doc: 'Replicas of the processing-log topic when Riffle creates it (Kafka only).',
  },
  {
    name: 'ksql.logging.processing.stream.auto.create', type: 'boolean', default: 'false', scope: 'server',
    doc: 'With `ksql.logging.processing.topic.auto.create`, declare a stream over the processing-log topic at start-up (if it does not exist), so that `SELECT * FROM KSQL_PROCESSING_LOG EMIT CHANGES;` shows bad records as they happen.',
  },
  {
    name: 'ksql.logging.processing.stream.name', type: 'string', default: 'KSQL_PROCESSING_LOG', scope: 'server',
    doc: 'The name of the processing-log stream.',
  },
];

const BY_NAME: ReadonlyMap<string, SettingDef> = new Map(SETTINGS.map((s) => [s.name, s]));

export function settingDef(name: string): SettingDef | undefined {
  return BY_NAME.get(name);
}

/**
 * The Confluent Docker convention for passing a property as an environment variable: upper-case,
 * `.` -> `_`, `_` -> `__`, `-` -> `___`, prefixed with `KSQL_` (ksql.service.id -> KSQL_KSQL_SERVICE_ID).
 */
export function envVarName(setting: string): string {
  return 'KSQL_' + setting.replace(/-/g, '___').replace(/_/g, '__').replace(/\./g, '_').toUpperCase();
}

/** The inverse of envVarName, for variables that start with `KSQL_`. */
export function settingFromEnvVar(variable: string): string {
  // Split on runs of underscores: 1 -> '.', 2 -> '_', 3 -> '-'.
  return variable
    .slice('KSQL_'.length)
    .toLowerCase()
    .replace(/_+/g, (run) => (run.length === 3 ? '-' : run.length === 2 ? '_' : run.length === 1 ? '.' : run));
}
