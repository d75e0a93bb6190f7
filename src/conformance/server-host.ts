// The real Riffle REST server, in-process on an ephemeral loopback port, serving one case's engine.
// The server configuration is built once per process; starting a listener costs about a millisecond.

import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { loadConfig, type ServerConfig } from '../config/load-config.ts';
import type { EngineApi } from '../engine/engine-api.ts';
import { startServer, type RiffleServer } from '../server/server.ts';

let config: ServerConfig | undefined;

function serverConfig(): ServerConfig {
  config ??= loadConfig({
    // Shutdown waits for open connections; the driver never leaves any, so keep the bound short.
    argv: ['--data-dir', tmpdir(), '--set', 'listeners=http://127.0.0.1:0', '--set', 'riffle.server.shutdown.timeout.ms=1000'],
    env: {},
    readFile: (p) => readFileSync(p, 'utf8'),
    cwd: process.cwd(),
  });
  return config;
}

export function startCaseServer(engine: EngineApi): Promise<RiffleServer> {
  return startServer(engine, serverConfig());
}
