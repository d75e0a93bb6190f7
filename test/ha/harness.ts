// Test harness for HA scenarios: a Kafka (started here, or KAFKA_BOOTSTRAP_SERVERS) and real
// `riffle server` processes with one service id; REST helpers for statements and pull queries.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SERVER_V8_FLAGS } from '../../src/bin/server-v8-flags.ts';
import { type KafkaCluster, startKafka } from '../../src/kafka-local/cluster.ts';

const BIN = resolve(import.meta.dirname, '../../src/bin/riffle.ts');

export async function kafka(): Promise<{ bootstrap: string; stop: () => Promise<void> }> {
  const env = process.env.KAFKA_BOOTSTRAP_SERVERS;
  if (env) return { bootstrap: env, stop: async () => {} };
  const c: KafkaCluster = await startKafka({ brokers: 1 });
  return { bootstrap: c.bootstrapServers, stop: () => c.stop() };
}

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => res(p));
    });
    s.on('error', rej);
  });
}

export interface ServerProc {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /** Peers' address (the internal listener when ClusterOptions.internalListener), else `host`. */
  readonly peerHost: string;
  /** File read by src/cluster/test-partition.ts: "peers" / "kafka" cut this server off, "freeze" stops its standbys, "refuse" fails forwarded pulls. */
  readonly partitionFile: string;
  proc: ChildProcess | undefined;
  /** Output of the current run. */
  output: string;
  /** Output of every run, each line prefixed with the harness's receipt time. */
  log: string;
  /** Credentials the harness's requests carry (ClusterOptions.basicAuth). */
  readonly authorization?: string;
}

export interface ClusterOptions {
  readonly bootstrap: string;
  readonly serviceId: string;
  readonly settings?: Readonly<Record<string, string>>;
  /** Give every server a separate internal listener (ksql.internal.listener) for peer traffic. */
  readonly internalListener?: boolean;
  /** authentication.method=BASIC with one user (HARNESS_USER); the harness's requests sign in as it. */
  readonly basicAuth?: boolean;
}

export const HARNESS_USER = { user: 'harness', password: 'secret-1' };

/** A JAAS file and password file for `basicAuth` clusters; returns their settings. */
function basicAuthSettings(root: string): Record<string, string> {
  const passwords = join(root, 'password-file');
  writeFileSync(passwords, `${HARNESS_USER.user}: ${HARNESS_USER.password},user\n`);
  const jaas = join(root, 'jaas_config.file');
  writeFileSync(jaas, `RiffleHa {\n  org.eclipse.jetty.jaas.spi.PropertyFileLoginModule required file="${passwords}";\n};\n`);
  return { 'authentication.method': 'BASIC', 'authentication.realm': 'RiffleHa', 'riffle.authentication.jaas.config': jaas };
}

/** The Authorization header of a ServerProc, when its cluster has authentication. */
export function authHeaders(s: ServerProc): Record<string, string> {
  return s.authorization ? { authorization: s.authorization } : {};
}

export class TestCluster {
  readonly servers: ServerProc[] = [];
  readonly o: ClusterOptions;
  readonly root = mkdtempSync(join(tmpdir(), 'riffle-ha-'));

  constructor(o: ClusterOptions) {
    this.o = o;
  }

  async add(): Promise<ServerProc> {
    const port = await freePort();
    const internal = this.o.internalListener ? `127.0.0.1:${await freePort()}` : undefined;
    const n = this.servers.length;
    const s: ServerProc = {
      port, host: `127.0.0.1:${port}`, peerHost: internal ?? `127.0.0.1:${port}`, dataDir: join(this.root, `s${n}`),
      partitionFile: join(this.root, `partition-${n}`), proc: undefined, output: '', log: '',
      ...(this.o.basicAuth ? { authorization: `Basic ${Buffer.from(`${HARNESS_USER.user}:${HARNESS_USER.password}`).toString('base64')}` } : {}),
    };
    this.servers.push(s);
    return s;
  }

  /** Spawns the server (fresh or restart) and waits until it answers /info and has joined. */
  async start(s: ServerProc): Promise<void> {
    const settings: Record<string, string> = {
      listeners: 'http://127.0.0.1:8088', 'bootstrap.servers': this.o.bootstrap, 'ksql.service.id': this.o.serviceId, 'riffle.ha.enable': 'true',
      'ksql.advertised.listener': `http://${s.peerHost}`, 'riffle.cluster.session.timeout.ms': '3000',
      ...(s.peerHost !== s.host ? { 'ksql.internal.listener': `http://${s.peerHost}` } : {}),
      'ksql.streams.commit.interval.ms': '200', 'ksql.lag.reporting.send.interval.ms': '300',
      // Heartbeat gaps up to 1 s tolerated (ksqlDB: 0.3 s): on two shared cores a busy server stalls
      // that long, and would be judged dead (a kill -9 is still noticed at once: connection refused).
      'ksql.heartbeat.missed.threshold.ms': '10',
      ...(this.o.basicAuth ? basicAuthSettings(this.root) : {}),
      ...this.o.settings,
    };
    const args = ['node', ...SERVER_V8_FLAGS, BIN, 'server', '--port', String(s.port), '--data-dir', s.dataDir, ...Object.entries(settings).flatMap(([k, v]) => ['--set', `${k}=${v}`])];
    const proc = spawn('npx', args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, RIFFLE_TEST_PARTITION_FILE: s.partitionFile } });
    s.proc = proc;
    s.output = '';
    const onData = (d: Buffer) => {
      s.output += d.toString();
      const at = new Date().toISOString();
      s.log += d.toString().split('\n').filter(Boolean).map((l) => `[${at}] ${l}\n`).join('');
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    s.log += `[${new Date().toISOString()}] ---- harness: starting ${s.host}\n`;
    const deadline = Date.now() + 90_000;
    while (!s.output.includes('Riffle server listening')) {
      if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`server ${s.host} exited:\n${s.output}`);
      if (Date.now() > deadline) throw new Error(`server ${s.host} did not start:\n${s.output}`);
      await sleep(100);
    }
  }

  /** kill -9 (the whole process group spawned by npx). */
  kill(s: ServerProc, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const p = s.proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
    s.log += `[${new Date().toISOString()}] ---- harness: ${signal} ${s.host}\n`;
    return new Promise((res) => {
      p.once('exit', () => res());
      // A clean stop signals only the server (npx would forward a second SIGTERM: an unclean exit).
      if (signal === 'SIGKILL') killTree(p.pid!, signal);
      else signalLeaves(p.pid!, signal);
    });
  }

  /**
   * Test faults of `s` (src/cluster/test-partition.ts), any of: 'peers' / 'kafka' (cut off from them),
   * 'freeze' (its standbys stop replaying), 'refuse' (it answers forwarded pull queries with a 503
   * but stays alive); none restores it. Noticed within ~100 ms.
   */
  fault(s: ServerProc, ...faults: ('peers' | 'kafka' | 'freeze' | 'refuse')[]): void {
    writeFileSync(s.partitionFile, faults.join(' '));
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.servers.map((s) => this.kill(s, 'SIGKILL')));
    // RIFFLE_HA_LOGS=<dir>: keep every server's output (debugging, benches).
    const keep = process.env.RIFFLE_HA_LOGS;
    if (keep) {
      mkdirSync(keep, { recursive: true });
      for (const s of this.servers) writeFileSync(join(keep, `${this.o.serviceId}-${s.port}.log`), s.log);
    }
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** npx runs node as a child: signal the child first, then npx. */
function killTree(pid: number, signal: NodeJS.Signals): void {
  try {
    const { execFileSync } = require_();
    const kids = execFileSync('pgrep', ['-P', String(pid)]).toString().trim().split('\n').filter(Boolean).map(Number);
    for (const k of kids) killTree(k, signal);
  } catch { /* no children */ }
  try {
    process.kill(pid, signal);
  } catch { /* gone */ }
}

/** Signals the innermost descendants of `pid` (the process npx runs), or `pid` itself when it has none. */
function signalLeaves(pid: number, signal: NodeJS.Signals): void {
  let kids: number[] = [];
  try {
    kids = require_().execFileSync('pgrep', ['-P', String(pid)]).toString().trim().split('\n').filter(Boolean).map(Number);
  } catch { /* no children */ }
  if (kids.length > 0) for (const k of kids) signalLeaves(k, signal);
  else {
    try {
      process.kill(pid, signal);
    } catch { /* gone */ }
  }
}

function require_(): typeof import('node:child_process') {
  return process.getBuiltinModule('node:child_process');
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function ksql(s: ServerProc, statement: string, props: Record<string, unknown> = {}): Promise<unknown> {
  const res = await fetch(`http://${s.host}/ksql`, { method: 'POST', headers: { 'content-type': 'application/json', ...authHeaders(s) }, body: JSON.stringify({ ksql: statement, streamsProperties: props }) });
  const body: unknown = await res.json();
  if (!res.ok) throw new Error(`ksql ${res.status}: ${JSON.stringify(body)}`);
  return body;
}

export interface PullAnswer {
  readonly status: number;
  readonly rows: unknown[][];
  readonly servedBy: { partition: number; host: string; role: string; offsetLag?: number; stalenessMs?: number }[];
  readonly error?: string;
}

export async function pull(s: ServerProc, sql: string, properties: Record<string, unknown> = {}, timeoutMs = 10_000): Promise<PullAnswer> {
  const res = await fetch(`http://${s.host}/query-stream`, {
    method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', ...authHeaders(s) },
    body: JSON.stringify({ sql, properties }), signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  const served = res.headers.get('x-riffle-pull-served-by');
  if (!res.ok) return { status: res.status, rows: [], servedBy: [], error: (JSON.parse(text) as { message: string }).message };
  const body = JSON.parse(text) as unknown[];
  return { status: res.status, rows: body.slice(1).filter(Array.isArray) as unknown[][], servedBy: served ? JSON.parse(served) : [] };
}

export async function waitFor<T>(what: string, f: () => Promise<T | undefined | false>, timeoutMs = 30_000, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await f();
      if (v !== undefined && v !== false) return v as T;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await sleep(everyMs);
  }
}

export async function clusterStatus(s: ServerProc): Promise<Record<string, { hostAlive: boolean; activeStandbyPerQuery: Record<string, { activePartitions: { partition: number }[]; standByPartitions: { partition: number }[] }> }>> {
  const res = await fetch(`http://${s.host}/clusterStatus`, { headers: authHeaders(s) });
  return ((await res.json()) as { clusterStatus: never }).clusterStatus;
}

/** partition -> active host and standby hosts of a table's query, from one server's /clusterStatus. */
export async function placement(from: ServerProc): Promise<Map<number, { active: string; standbys: string[] }>> {
  const status = await clusterStatus(from);
  const out = new Map<number, { active: string; standbys: string[] }>();
  for (const [host, h] of Object.entries(status)) {
    for (const q of Object.values(h.activeStandbyPerQuery)) {
      for (const p of q.activePartitions) out.set(p.partition, { active: host, standbys: out.get(p.partition)?.standbys ?? [] });
      for (const p of q.standByPartitions) {
        const e = out.get(p.partition) ?? { active: '', standbys: [] };
        if (!e.standbys.includes(host)) e.standbys.push(host);
        out.set(p.partition, e);
      }
    }
  }
  return out;
}

interface StoreLag { currentOffsetPosition: number; endOffsetPosition: number; offsetLag: number }

/** host -> partition -> lag of the Materialize store, as `from` last heard. */
export async function storeLags(from: ServerProc): Promise<Map<string, Map<number, StoreLag>>> {
  const status = await clusterStatus(from) as unknown as Record<string, { hostStoreLags: { stateStoreLags: Record<string, { lagByPartition: Record<string, StoreLag> }> } }>;
  const out = new Map<string, Map<number, StoreLag>>();
  for (const [host, h] of Object.entries(status)) {
    const m = new Map<number, StoreLag>();
    for (const [id, st] of Object.entries(h.hostStoreLags.stateStoreLags)) {
      if (!id.endsWith('#Materialize')) continue;
      for (const [p, l] of Object.entries(st.lagByPartition)) m.set(Number(p), l);
    }
    out.set(host, m);
  }
  return out;
}

/**
 * Every server alive, every one of `partitions` with an active and `standbys` standbys, and every
 * replica's store caught up (lag 0), as `from` sees it, in reports newer than `sinceMs`.
 */
export async function settled(from: ServerProc, servers: readonly ServerProc[], partitions: number, standbys = 1, sinceMs = 0): Promise<boolean> {
  const status = await clusterStatus(from);
  if (servers.some((s) => status[s.peerHost]?.hostAlive !== true)) return false;
  // Lag reports older than `sinceMs` may come from a server's previous run.
  const fresh = (h: string) => ((status[h] as unknown as { hostStoreLags?: { updateTimeMs?: number } } | undefined)?.hostStoreLags?.updateTimeMs ?? 0) > sinceMs;
  if (servers.some((s) => !fresh(s.peerHost))) return false;
  const p = await placement(from);
  const lags = await storeLags(from);
  for (let i = 0; i < partitions; i++) {
    const e = p.get(i);
    if (!e?.active || e.standbys.length !== standbys) return false;
    for (const h of [e.active, ...e.standbys]) if (lags.get(h)?.get(i)?.offsetLag !== 0) return false;
  }
  return true;
}

/** Statements reach the other servers through the command topic: waits until each knows `source`. */
export async function waitUntilKnownEverywhere(servers: readonly ServerProc[], source: string, timeoutMs = 30_000): Promise<void> {
  await waitFor(`${source} known on every server`, async () => {
    for (const x of servers) await ksql(x, `DESCRIBE ${source};`);
    return true;
  }, timeoutMs);
}

/** Stops every server of the cluster, then its Kafka (each may be unset if set-up failed early). */
export async function tearDown(cluster: TestCluster | undefined, broker: { stop: () => Promise<void> } | undefined): Promise<void> {
  await cluster?.stopAll();
  await broker?.stop();
}
