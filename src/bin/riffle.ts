#!/usr/bin/env node
// The `riffle` command: `riffle server [--port N] [--data-dir DIR] [--config-file F | F]` runs the
// REST server until SIGINT/SIGTERM; `riffle cli` hands over to the shell (src/cli, when it exists).

import { mkdirSync, readFileSync } from 'node:fs';
import { ConfigError, loadConfig, type ServerConfig } from '../config/load-config.ts';
import type { EngineApi } from '../engine/engine-api.ts';
import { startServer } from '../server/server.ts';
import { connectKafka, kafkaBootstrapServers } from '../engine/log-selection.ts';
import type { Log } from '../log/log.ts';

type OpenEngine = (options: { dataDir: string; scheduling: 'manual' | 'background'; properties?: Record<string, string>; log?: Log; taskRoles?: (taskId: string) => 'active' | 'standby' | 'none' }) => Promise<EngineApi>;
type ClusterModule = typeof import('../cluster/start-cluster.ts');

const USAGE = `Usage:
  riffle server [--port N] [--data-dir DIR] [--config-file FILE | FILE] [--set name=value ...]
  riffle cli [args...]

Settings: see docs/configuration.md (also KSQL_* environment variables, RIFFLE_PORT, RIFFLE_DATA_DIR).`;

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'server':
      if (rest.includes('--help') || rest.includes('-h')) {
        console.log(USAGE);
        return 0;
      }
      return runServer(rest);
    case 'cli':
      return runCli(rest);
    case '--help':
    case '-h':
    case 'help':
      console.log(USAGE);
      return 0;
    default:
      console.error(command === undefined ? USAGE : `Unknown command '${command}'\n\n${USAGE}`);
      return 2;
  }
}

async function runServer(args: readonly string[]): Promise<number> {
  let config: ServerConfig;
  try {
    config = loadConfig({ argv: args, env: process.env, readFile: (p) => readFileSync(p, 'utf8'), cwd: process.cwd() });
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`riffle: invalid configuration:\n${e.message}`);
      return 1;
    }
    throw e;
  }
  mkdirSync(config.dataDir, { recursive: true });
  // Loaded by path at run time: the engine module is built separately from the server.
  const engineModule = '../engine/engine.ts';
  const { openEngine } = (await import(engineModule)) as { openEngine: OpenEngine };
  const properties = config.properties();
  // bootstrap.servers switches to Kafka: wait for it (saying so on each failed attempt) before opening.
  const bootstrap = kafkaBootstrapServers(properties);
  let interrupted = false;
  const onEarlySignal = () => (interrupted = true);
  process.once('SIGINT', onEarlySignal);
  process.once('SIGTERM', onEarlySignal);
  let log: Log | undefined;
  if (bootstrap !== undefined) {
    console.log(`Connecting to Kafka at ${bootstrap}...`);
    try {
      log = await connectKafka(bootstrap, config.string('ksql.service.id'), { report: (m) => console.error(`riffle: ${m}`), cancelled: () => interrupted });
    } catch (e) {
      console.error(`riffle: ${(e as Error).message}`);
      return 1;
    }
  }
  process.off('SIGINT', onEarlySignal);
  process.off('SIGTERM', onEarlySignal);
  // On Kafka with HA on, a cluster node decides which tasks run here (src/cluster).
  const clusterModule = '../cluster/start-cluster.ts';
  const cluster = bootstrap !== undefined ? await ((await import(clusterModule)) as ClusterModule).prepareCluster(config, bootstrap) : undefined;
  for (const note of cluster?.notes ?? []) console.log(`riffle: ${note}`);
  const engine = await openEngine({ dataDir: config.dataDir, scheduling: 'background', properties, ...(log ? { log } : {}), ...(cluster ? { taskRoles: cluster.roleOf } : {}) });
  let server;
  try {
    server = await startServer(engine, config);
  } catch (e) {
    await engine.close();
    console.error(`riffle: cannot listen on ${config.listener.url}: ${(e as Error).message}`);
    return 1;
  }
  if (cluster) {
    try {
      await cluster.start(engine, server.context);
    } catch (e) {
      console.error(`riffle: cannot join the cluster: ${(e as Error).message}`);
      await server.close();
      await engine.close();
      return 1;
    }
  }
  console.log(`Riffle server listening on ${server.url} (HTTP/1.1 and HTTP/2 cleartext, WebSocket at /ws/query)`);
  console.log(`Data directory: ${config.dataDir}${engine.log.kind === 'kafka' ? ' (state stores; log: Kafka)' : ' (embedded log and state stores)'}`);
  if (config.configFile !== undefined) console.log(`Configuration file: ${config.configFile}`);

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) {
        console.error(`Received ${signal} again, exiting without a clean shutdown`);
        process.exit(1);
      }
      stopping = true;
      console.log(`Received ${signal}, shutting down...`);
      // Server first (no new work, streams ended), then the engine (commits offsets, closes stores).
      server.close()
        .then(() => cluster?.stopBackground())
        .then(() => engine.close())
        .then(() => cluster?.leave())
        .then(() => {
          console.log('Riffle server stopped');
          resolve(0);
        })
        .catch((e: unknown) => {
          console.error('riffle: error during shutdown:', e);
          resolve(1);
        });
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}

/** Hook for the interactive shell, which lives in src/cli (a later job). */
async function runCli(args: readonly string[]): Promise<number> {
  const cliModule = '../cli/main.ts';
  let cli: { main(argv: readonly string[]): Promise<number> };
  try {
    cli = (await import(cliModule)) as typeof cli;
  } catch {
    console.error('riffle cli: the shell is not part of this build yet');
    return 2;
  }
  return cli.main(args);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error('riffle: fatal error:', e);
    process.exit(1);
  },
);
