#!/usr/bin/env -S node --max-semi-space-size=4
// The `riffle` command: `riffle server [--port N] [--data-dir DIR] [--config-file F | F]` runs the
// REST server until SIGINT/SIGTERM; `riffle cli` hands over to the shell (src/cli).

import { mkdirSync, readFileSync } from 'node:fs';
import { ConfigError, loadConfig, type ServerConfig } from '../config/load-config.ts';
import type { Log } from '../log/log.ts';


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
  try {
    // Authentication settings and files are checked before anything opens.
    (await import('../server/basic-auth.ts')).loadBasicAuth(config);
  } catch (e) {
    console.error(`riffle: invalid configuration:\n${(e as Error).message}`);
    return 1;
  }
  mkdirSync(config.dataDir, { recursive: true });
  // The server's modules load only here, so `riffle cli` starts without them.
  const { openEngine } = await import('../engine/engine.ts');
  const properties = config.properties();
  // bootstrap.servers switches to Kafka: wait for it (saying so on each failed attempt) before opening.
  const { connectKafka, kafkaBootstrapServers } = await import('../engine/log-selection.ts');
  const { startServer } = await import('../server/server.ts');
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
  const cluster = bootstrap !== undefined ? await (await import('../cluster/start-cluster.ts')).prepareCluster(config, bootstrap) : undefined;
  for (const note of cluster?.notes ?? []) console.log(`riffle: ${note}`);
  if (cluster && config.string('authentication.method').toUpperCase() === 'BASIC' && config.string('ksql.internal.listener') === '') {
    console.error('riffle: warning: authentication.method=BASIC without ksql.internal.listener: peers\' heartbeats and lag reports carry no credentials and will be refused; set ksql.internal.listener');
  }
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
  // One write: whoever waits for the "listening" line (scripts, tests) gets the whole banner with it.
  const banner = [
    `Riffle server listening on ${server.url} (HTTP/1.1 and HTTP/2 cleartext, WebSocket at /ws/query)`,
    `Data directory: ${config.dataDir}${engine.log.kind === 'kafka' ? ' (state stores; log: Kafka)' : ' (embedded log and state stores)'}`,
    ...(config.configFile !== undefined ? [`Configuration file: ${config.configFile}`] : []),
  ];
  console.log(banner.join('\n'));

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

/** The interactive shell (src/cli), which talks to a server over the REST API only. */
async function runCli(args: readonly string[]): Promise<number> {
  const { main: cliMain } = await import('../cli/main.ts');
  return cliMain(args);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error('riffle: fatal error:', e);
    process.exit(1);
  },
);
