// Library API for a local Apache Kafka (KRaft) cluster of 1 or 3 combined broker+controller nodes,
// used by the CLI (`npm run kafka`), tests (kill -9 / restart single brokers) and benchmarks.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { log4j2Properties, type NodeSpec, serverProperties } from './config.ts';
import { ensureKafkaJars } from './jars.ts';
import { isKafkaPid, javaArgs, runJava, spawnJava, tail, terminate } from './process.ts';
import { freePort, metadataLists, portAccepts, portFree, waitUntil } from './ready.ts';

/** `<repo>/.kafka`: git-ignored home of the jar cache and per-run data folders. */
export const DEFAULT_CACHE_DIR = resolve(import.meta.dirname, '../../.kafka');

export interface StartKafkaOptions {
  /** 1 (default) or 3. */
  readonly brokers?: number;
  /** Per-run folder for logs and data; default a fresh `<cacheDir>/data/run-...`, removed by stop(). */
  readonly dataDir?: string;
  readonly cacheDir?: string;
  /** Client ports, one per broker (the controller listens on port + 1); default: free ports. */
  readonly ports?: readonly number[];
  /** Try Kafka's usual 9092/9093 (+10000 per node) first, falling back to free ports (the CLI). */
  readonly preferDefaultPorts?: boolean;
  /** Max heap per broker JVM. */
  readonly heap?: string;
  /** Let the brokers outlive this process (the CLI). Otherwise they are killed when it exits. */
  readonly detached?: boolean;
  readonly readyTimeoutMs?: number;
  readonly progress?: (msg: string) => void;
}

export interface BrokerInfo {
  readonly id: number;
  /** Current pid (changes on restart); undefined while stopped. */
  readonly pid: number | undefined;
  readonly port: number;
  readonly controllerPort: number;
  readonly logFile: string;
}

export interface KafkaCluster {
  /** Comma-separated host:port list, e.g. "127.0.0.1:9092". */
  readonly bootstrapServers: string;
  readonly brokers: readonly BrokerInfo[];
  readonly dataDir: string;
  /** Signals one broker (SIGTERM waits for a clean exit; SIGKILL is a crash) and waits until it is gone. */
  stopBroker(id: number, signal?: NodeJS.Signals): Promise<void>;
  /** Starts a stopped broker again on the same ports and data (stops it first if running). */
  restartBroker(id: number): Promise<void>;
  /** Stops every broker (SIGTERM, then SIGKILL after `timeoutMs`) and removes an owned data dir. */
  stop(timeoutMs?: number): Promise<void>;
}

interface Node extends NodeSpec {
  pid: number | undefined;
  readonly logFile: string;
  readonly propsFile: string;
}

/** Kafka's Uuid text form: 16 random bytes, base64url without padding, never starting with '-'. */
function clusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

async function choosePorts(count: number, wanted: readonly number[] | undefined, preferDefault: boolean): Promise<[number, number][]> {
  if (wanted) return wanted.map((p) => [p, p + 1]);
  const result: [number, number][] = [];
  for (let i = 0; i < count; i++) {
    const port = 9092 + i * 10000;
    if (preferDefault && (await portFree(port)) && (await portFree(port + 1))) result.push([port, port + 1]);
    else result.push([await freePort(), await freePort()]);
  }
  return result;
}

// Brokers started without `detached` must not outlive this process: kill them on exit and on the
// usual termination signals (then re-raise the signal when nobody else handles it).
const liveClusters = new Set<() => void>();
const killLive = () => {
  for (const kill of liveClusters) kill();
};
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const onSignal = (sig: NodeJS.Signals) => {
  killLive();
  liveClusters.clear();
  const othersListen = process.listenerCount(sig) > 1;
  unwatch();
  if (!othersListen) process.kill(process.pid, sig);
};
function watch(kill: () => void): void {
  if (liveClusters.size === 0) {
    process.on('exit', killLive);
    for (const sig of SIGNALS) process.on(sig, onSignal);
  }
  liveClusters.add(kill);
}
function unwatch(kill?: () => void): void {
  if (kill) liveClusters.delete(kill);
  if (kill && liveClusters.size > 0) return;
  process.off('exit', killLive);
  for (const sig of SIGNALS) process.off(sig, onSignal);
}

export async function startKafka(options: StartKafkaOptions = {}): Promise<KafkaCluster> {
  const count = options.brokers ?? 1;
  if (count !== 1 && count !== 3) throw new Error(`brokers must be 1 or 3, got ${count}`);
  const progress = options.progress ?? (() => {});
  const cacheDir = options.cacheDir ?? DEFAULT_CACHE_DIR;
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = resolve(options.dataDir ?? join(cacheDir, 'data', `run-${Date.now()}-${process.pid}`));
  const heap = options.heap ?? '512m';
  const detached = options.detached ?? false;
  const readyTimeoutMs = options.readyTimeoutMs ?? 120_000;

  const libDir = await ensureKafkaJars(cacheDir, progress);
  mkdirSync(dataDir, { recursive: true });
  const log4j = join(dataDir, 'log4j2.properties');
  writeFileSync(log4j, log4j2Properties());

  const ports = await choosePorts(count, options.ports, options.preferDefaultPorts ?? false);
  const nodes: Node[] = ports.map(([port, controllerPort], i) => {
    const dir = join(dataDir, `broker-${i + 1}`);
    return {
      id: i + 1,
      port,
      controllerPort,
      logDir: join(dir, 'data'),
      pid: undefined,
      logFile: join(dir, 'server.log'),
      propsFile: join(dir, 'server.properties'),
    };
  });
  for (const node of nodes) {
    mkdirSync(join(dataDir, `broker-${node.id}`), { recursive: true });
    writeFileSync(node.propsFile, serverProperties(node, nodes));
  }

  // Format every node's storage (first run only: --ignore-formatted makes a reused dataDir fine).
  const id = clusterId();
  progress(`Formatting KRaft storage for ${count} broker(s) in ${dataDir}...`);
  await Promise.all(
    nodes.map((node) =>
      runJava(
        javaArgs(libDir, log4j, '256m', 'kafka.tools.StorageTool', [
          'format',
          '-t',
          id,
          '-c',
          node.propsFile,
          ...(count === 1 ? ['--standalone'] : []),
          '--ignore-formatted',
        ]),
      ),
    ),
  );

  const children = new Map<number, ReturnType<typeof spawnJava>>();
  const launch = (node: Node) => {
    const child = spawnJava(javaArgs(libDir, log4j, heap, 'kafka.Kafka', [node.propsFile]), node.logFile, detached);
    children.set(node.id, child);
    node.pid = child.pid;
  };
  const deadReason = (node: Node) => {
    const child = children.get(node.id);
    if (child && child.exitCode === null && child.signalCode === null) return undefined;
    return `broker ${node.id} exited (${child?.exitCode ?? child?.signalCode}); see ${node.logFile}:\n${tail(node.logFile)}`;
  };
  const waitReady = async (node: Node, bootstrap: string[], ids: number[]) => {
    await waitUntil(`broker ${node.id} on port ${node.port}`, readyTimeoutMs, () => portAccepts(node.port), () => deadReason(node));
    await waitUntil(`metadata from broker ${node.id}`, readyTimeoutMs, () => metadataLists(bootstrap, ids), () => deadReason(node));
  };

  const killAll = () => {
    for (const node of nodes) if (node.pid !== undefined && isKafkaPid(node.pid)) process.kill(node.pid, 'SIGKILL');
  };
  if (!detached) watch(killAll);

  const bootstrap = nodes.map((n) => `127.0.0.1:${n.port}`);
  const started = Date.now();
  progress(`Starting ${count} Kafka broker(s) on ${bootstrap.join(',')}...`);
  try {
    for (const node of nodes) launch(node);
    const ids = nodes.map((n) => n.id);
    await Promise.all(nodes.map((node) => waitReady(node, bootstrap, ids)));
  } catch (e) {
    killAll();
    unwatch(killAll);
    throw e;
  }
  progress(`Kafka ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${bootstrap.join(',')}`);

  const find = (brokerId: number) => {
    const node = nodes.find((n) => n.id === brokerId);
    if (!node) throw new Error(`no broker ${brokerId} (have ${nodes.map((n) => n.id).join(', ')})`);
    return node;
  };
  const stopNode = async (node: Node, sig: NodeJS.Signals, timeoutMs: number) => {
    if (node.pid !== undefined) await terminate(node.pid, timeoutMs, sig);
    node.pid = undefined;
  };

  return {
    bootstrapServers: bootstrap.join(','),
    get brokers() {
      return nodes.map((n) => ({ id: n.id, pid: n.pid, port: n.port, controllerPort: n.controllerPort, logFile: n.logFile }));
    },
    dataDir,
    async stopBroker(brokerId, sig = 'SIGTERM') {
      await stopNode(find(brokerId), sig, 15_000);
    },
    async restartBroker(brokerId) {
      const node = find(brokerId);
      await stopNode(node, 'SIGTERM', 15_000);
      launch(node);
      await waitReady(node, [`127.0.0.1:${node.port}`], [node.id]);
    },
    async stop(timeoutMs = 10_000) {
      await Promise.all(nodes.map((n) => stopNode(n, 'SIGTERM', timeoutMs)));
      unwatch(killAll);
      if (ownsDataDir && existsSync(dataDir)) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
