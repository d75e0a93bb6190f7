// Wiring for `riffle server`: decides from the settings whether this server joins an HA cluster,
// hands the engine the task-role lookup before queries start, then starts the ClusterNode; leaves
// the group as soon as the server starts shutting down.
import type { ServerConfig } from '../config/load-config.ts';
import type { Engine } from '../engine/engine.ts';
import type { EngineApi } from '../engine/engine-api.ts';
import type { ServerContext } from '../server/context.ts';
import { ClusterNode, TaskRoles } from './cluster-node.ts';
import { HA_SWITCH, resolveHaSettings } from './ha-settings.ts';
import { routePull } from './pull-router.ts';

export interface PreparedCluster {
  readonly roleOf: (taskId: string) => 'active' | 'standby' | 'none';
  readonly notes: readonly string[];
  start(engine: EngineApi, ctx: ServerContext): Promise<void>;
  stopBackground(): void;
  leave(): Promise<void>;
}

/** Undefined when HA is off (no switch, no standbys, no heartbeats): every task runs here. */
export function prepareCluster(config: ServerConfig, bootstrapServers: string): PreparedCluster | undefined {
  const props = config.properties();
  const explicit = (k: string) => (config.source(k) === 'default' ? undefined : props[k]);
  const ha = resolveHaSettings(explicit);
  if (explicit(HA_SWITCH) !== 'true' && ha.numStandbyReplicas === 0 && !ha.heartbeatEnable) return undefined;
  const roles = new TaskRoles();
  let node: ClusterNode | undefined;
  return {
    roleOf: roles.roleOf,
    notes: ha.notes,
    async start(engine, ctx) {
      node = new ClusterNode({ engine: engine as unknown as Engine, host: ctx.identity.hostPort, bootstrapServers, serviceId: config.string('ksql.service.id'), ha });
      roles.node = node;
      await node.start();
      const n = node;
      // Shutdown begins (server closing): stop heartbeating and leave the group at once, so peers
      // route around this server and promote its standbys while it drains and commits.
      const watch = setInterval(() => {
        if (ctx.state === 'running') return;
        clearInterval(watch);
        n.close().catch(() => {});
      }, 50);
      watch.unref();
      ctx.cluster = {
        onHeartbeat: (b) => n.onHeartbeat(b),
        onLagReport: (b) => n.onLagReport(b),
        clusterStatus: () => n.clusterStatus(),
        routePull: (session, sql, authorization) => routePull(n, session, sql, authorization),
      };
    },
    stopBackground: () => node?.stopBackground(),
    leave: async () => node?.close(),
  };
}
