// Bodies of the introspection endpoints: /info (KsqlServerInfo wrapper), /healthcheck, /clusterStatus,
// /status, /v1/metadata, exactly as ksqlDB's Jackson model writes them.

/** The ksqlDB version Riffle speaks; clients compare it with their own. */
export const KSQL_VERSION = '0.29.0';

export interface ServerIdentity {
  readonly serviceId: string;
  readonly kafkaClusterId: string;
  readonly hostPort: string;
}

export function serverInfoJson(id: ServerIdentity, status: 'RUNNING' | 'ERROR' | 'DEGRADED'): unknown {
  return { KsqlServerInfo: { version: KSQL_VERSION, kafkaClusterId: id.kafkaClusterId, ksqlServiceId: id.serviceId, serverStatus: status } };
}

export function healthcheckJson(healthy: boolean, serverState: string): unknown {
  const detail = { isHealthy: healthy };
  return { isHealthy: healthy, details: { metastore: detail, kafka: detail, commandRunner: detail }, serverState };
}

/** A single-node cluster: this host, alive, no standbys or lags known. */
export function clusterStatusJson(id: ServerIdentity, nowMs: number): unknown {
  return {
    clusterStatus: {
      [id.hostPort]: {
        hostAlive: true,
        lastStatusUpdateMs: nowMs,
        activeStandbyPerQuery: {},
        hostStoreLags: { stateStoreLags: {}, updateTimeMs: nowMs },
      },
    },
  };
}

export interface CommandStatusJson {
  readonly status: 'QUEUED' | 'PARSING' | 'EXECUTING' | 'RUNNING' | 'TERMINATED' | 'SUCCESS' | 'ERROR';
  readonly message: string;
  readonly queryId: string | null;
}

export function commandStatusesJson(statuses: ReadonlyMap<string, CommandStatusJson>): unknown {
  const out: Record<string, string> = {};
  for (const [id, s] of statuses) out[id] = s.status;
  return { commandStatuses: out };
}

export function serverMetadataJson(id: ServerIdentity): unknown {
  return { version: KSQL_VERSION, clusterId: clusterIdJson(id) };
}

export function clusterIdJson(id: ServerIdentity): unknown {
  return { scope: { path: [], clusters: { 'kafka-cluster': id.kafkaClusterId, 'ksql-cluster': id.serviceId } }, id: '' };
}

/** /ksql/terminate answers like a command. */
export function terminateClusterJson(sequenceNumber: number): unknown {
  return [
    {
      '@type': 'currentStatus',
      statementText: 'TERMINATE CLUSTER;',
      commandId: 'cluster/TerminateCluster/terminate',
      commandStatus: { status: 'QUEUED', message: 'Terminate cluster command enqueued.', queryId: null },
      commandSequenceNumber: sequenceNumber,
      warnings: [],
    },
  ];
}
