// server.properties and log4j2 settings for local KRaft brokers (combined broker + controller) on
// loopback, tuned for tests: fast group joins, short session timeouts, small thread pools.

export interface NodeSpec {
  readonly id: number;
  /** PLAINTEXT (client) port. */
  readonly port: number;
  readonly controllerPort: number;
  readonly logDir: string;
}

/** The replication settings scale with the cluster: 1 broker cannot host 3 replicas. */
export function serverProperties(node: NodeSpec, all: readonly NodeSpec[]): string {
  const n = all.length;
  const rf = Math.min(3, n);
  const minIsr = n >= 3 ? 2 : 1;
  const quorum: Record<string, string> =
    n === 1
      ? // Dynamic quorum of one (formatted with --standalone).
        { 'controller.quorum.bootstrap.servers': `127.0.0.1:${node.controllerPort}` }
      : // Static quorum: every node is a voter (formatted without --standalone).
        { 'controller.quorum.voters': all.map((s) => `${s.id}@127.0.0.1:${s.controllerPort}`).join(',') };
  const props: Record<string, string | number | boolean> = {
    'process.roles': 'broker,controller',
    'node.id': node.id,
    ...quorum,
    listeners: `PLAINTEXT://127.0.0.1:${node.port},CONTROLLER://127.0.0.1:${node.controllerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${node.port},CONTROLLER://127.0.0.1:${node.controllerPort}`,
    'inter.broker.listener.name': 'PLAINTEXT',
    'controller.listener.names': 'CONTROLLER',
    'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'log.dirs': node.logDir,
    'num.partitions': 1,
    'default.replication.factor': rf,
    'min.insync.replicas': minIsr,
    'offsets.topic.replication.factor': rf,
    'offsets.topic.num.partitions': 4,
    'transaction.state.log.replication.factor': rf,
    'transaction.state.log.min.isr': minIsr,
    'transaction.state.log.num.partitions': 4,
    'share.coordinator.state.topic.replication.factor': rf,
    'share.coordinator.state.topic.min.isr': minIsr,
    // Defaults (3000) delay every first join; tests and failover want it at once.
    'group.initial.rebalance.delay.ms': 0,
    // Lets HA tests use 2-3 s session timeouts for fast crash detection.
    'group.min.session.timeout.ms': 2000,
    'auto.create.topics.enable': false,
    // A broker restarted after kill -9 cannot re-register until its old session expires (default
    // 9 s); short sessions also fence a dead broker quickly so leadership moves on.
    'broker.heartbeat.interval.ms': 500,
    'broker.session.timeout.ms': 3000,
    'num.network.threads': 2,
    'num.io.threads': 4,
    'num.recovery.threads.per.data.dir': 1,
    'log.cleaner.threads': 1,
    // Small segments/buffers: test topics are tiny and the machine is shared.
    'log.cleaner.dedupe.buffer.size': 16 * 1024 * 1024,
    'log.segment.bytes': 64 * 1024 * 1024,
    // Kafka waits up to this long for the transaction coordinator markers; keep aborts snappy.
    'transaction.abort.timed.out.transaction.cleanup.interval.ms': 10000,
    'delete.topic.enable': true,
  };
  return Object.entries(props)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n')
    .concat('\n');
}

/** Console logging (the broker's stdout goes to a file) at INFO, without the per-request noise. */
export function log4j2Properties(): string {
  return `status = warn
appender.out.type = Console
appender.out.name = STDOUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.out.ref = STDOUT
logger.req.name = kafka.request.logger
logger.req.level = WARN
logger.state.name = state.change.logger
logger.state.level = WARN
logger.kafka.name = org.apache.kafka
logger.kafka.level = INFO
logger.clients.name = org.apache.kafka.clients
logger.clients.level = WARN
`;
}
