// Pull-query benchmark: a real Riffle server (child process) with a 100,000-row table, queried by
// key from a load generator in another process over HTTP/1.1 and HTTP/2; the same generator also
// measures the roof, a bare node:http/http2 server answering one constant row.
// `npm run bench -- pull [--json FILE] [--rows N] [--seconds S] [--concurrency C] [--runs R] [--profile DIR]`
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import http2 from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { SERVER_V8_FLAGS } from '../src/bin/server-v8-flags.ts';

const ROOT = join(import.meta.dirname, '..');
const TABLE = 'USERS_Q';
const PROTOCOLS = ['http1', 'http2'] as const;
type Protocol = (typeof PROTOCOLS)[number];

interface LoadResult { count: number; total: number; errors: number; seconds: number; p50_ms: number; p99_ms: number; cpu_us_per_query?: number }
interface Row {
  protocol: Protocol; qps: number; p50_ms: number; p99_ms: number; roof_qps: number; roof_fraction: number; errors: number;
  /** CPU time of the answering server process per query (Linux): steadier than q/s on a busy machine. */
  cpu_us_per_query?: number; roof_cpu_us_per_query?: number;
}

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      json: { type: 'string' }, rows: { type: 'string', default: '100000' }, seconds: { type: 'string', default: '5' },
      concurrency: { type: 'string', default: '32' }, runs: { type: 'string', default: '1' }, profile: { type: 'string' },
    },
  });
  const rows = Number(values.rows);
  const load = { seconds: values.seconds!, concurrency: values.concurrency!, keys: String(rows) };
  const dataDir = mkdtempSync(join(tmpdir(), 'riffle-bench-pull-'));
  // --profile DIR: the server writes a .cpuprofile there when it exits.
  const profile = values.profile ? ['--cpu-prof', '--cpu-prof-dir', values.profile] : [];
  const server = await startChild([...SERVER_V8_FLAGS, ...profile, join(ROOT, 'src/bin/riffle.ts'), 'server', '--port', '0', '--data-dir', dataDir],
    (line) => /listening on http:\/\/[^:]+:(\d+)/.exec(line)?.[1]);
  const roof = await startChild([join(ROOT, 'bench/pull-roof.ts')], (line) => (line.startsWith('{') ? line : undefined));
  try {
    const port = Number(server.value);
    const roofPorts = JSON.parse(roof.value) as Record<Protocol, number>;
    log(`server on port ${port}; loading ${rows} rows`);
    const t0 = performance.now();
    const ingestSeconds = await loadTable(port, rows);
    const ingestRowsPerSecond = Math.round(rows / ingestSeconds);
    log(`rows inserted in ${ingestSeconds.toFixed(1)} s (${ingestRowsPerSecond} rows/s over /inserts-stream); table materialized after ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    // Loading ends when the last keys answer, but the table's query still commits and persists its
    // stores for a while: wait until the server is idle so the runs measure pull queries only.
    const idleAfterMs = await settle(server.child.pid);
    if (idleAfterMs !== undefined) log(`server idle ${(idleAfterMs / 1000).toFixed(1)} s after loading`);
    const runs: Row[][] = [];
    for (let run = 1; run <= Number(values.runs); run++) {
      const results: Row[] = [];
      for (const protocol of PROTOCOLS) {
        // The roof is measured just before and just after Riffle and averaged: this VM's speed
        // drifts within minutes, and a roof taken on one side only carried that drift into the ratio.
        const before = await loadgen(roofPorts[protocol], protocol, load, roof.child.pid);
        const s = await loadgen(port, protocol, load, server.child.pid);
        const afterwards = await loadgen(roofPorts[protocol], protocol, load, roof.child.pid);
        const roofQps = (before.count / before.seconds + afterwards.count / afterwards.seconds) / 2;
        const roofCpu = before.cpu_us_per_query !== undefined && afterwards.cpu_us_per_query !== undefined
          ? Math.round((before.cpu_us_per_query + afterwards.cpu_us_per_query) / 2) : undefined;
        const qps = s.count / s.seconds;
        results.push({
          protocol, qps: round(qps), p50_ms: round(s.p50_ms, 3), p99_ms: round(s.p99_ms, 3), roof_qps: round(roofQps), roof_fraction: round(qps / roofQps, 3), errors: s.errors,
          cpu_us_per_query: s.cpu_us_per_query, roof_cpu_us_per_query: roofCpu,
        });
      }
      runs.push(results);
      printTable(run, results);
    }
    // The median run per protocol (by qps) is reported.
    const results = PROTOCOLS.map((p) => median(runs.map((rs) => rs.find((x) => x.protocol === p)!)));
    const out = { roof_qps: Math.max(...results.map((r) => r.roof_qps)), rows, concurrency: Number(load.concurrency), ingest_rows_per_s: ingestRowsPerSecond, results };
    if (values.json) writeFileSync(values.json, JSON.stringify(out, null, 2) + '\n');
    process.stdout.write(JSON.stringify(out) + '\n');
  } finally {
    server.child.kill('SIGTERM');
    roof.child.kill('SIGTERM');
    await Promise.all([server.exited, roof.exited]);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function median(rows: Row[]): Row {
  return [...rows].sort((a, b) => a.qps - b.qps)[Math.floor(rows.length / 2)]!;
}

function round(x: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function log(msg: string): void {
  process.stderr.write(`pull bench: ${msg}\n`);
}

function printTable(run: number, results: Row[]): void {
  log(`run ${run}`);
  process.stderr.write('  protocol     qps   p50 ms   p99 ms   roof qps   of roof  errors  cpu us/q  roof cpu us/q\n');
  for (const r of results) {
    process.stderr.write(`  ${r.protocol.padEnd(8)}${String(r.qps).padStart(8)}${r.p50_ms.toFixed(3).padStart(9)}${r.p99_ms.toFixed(3).padStart(9)}${String(r.roof_qps).padStart(11)}${(r.roof_fraction * 100).toFixed(0).padStart(9)}%${String(r.errors).padStart(8)}${String(r.cpu_us_per_query ?? '-').padStart(10)}${String(r.roof_cpu_us_per_query ?? '-').padStart(15)}\n`);
  }
}

/** Starts `node <args>` and resolves with the first stdout line `match` accepts. */
async function startChild(args: string[], match: (line: string) => string | undefined): Promise<{ child: ChildProcess; value: string; exited: Promise<void> }> {
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const value = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const v = match(line);
      if (v !== undefined) resolve(v);
    });
    child.once('exit', (code) => reject(new Error(`${args[0]} exited with ${code} before starting`)));
  });
  return { child, value, exited };
}

/** Waits (at most 60 s) until `pid` uses under 5% of a core over a second; the wait in ms, undefined without /proc. */
async function settle(pid: number | undefined): Promise<number | undefined> {
  const t0 = performance.now();
  for (let i = 0; i < 60; i++) {
    const a = cpuMs(pid);
    if (a === undefined) return undefined;
    await new Promise((r) => setTimeout(r, 1000));
    const b = cpuMs(pid);
    if (b !== undefined && b - a < 50) break;
  }
  return performance.now() - t0;
}

/** User + system CPU milliseconds of a process so far (Linux /proc), undefined elsewhere. */
function cpuMs(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks, USER_HZ = 100
  } catch {
    return undefined;
  }
}

/** Runs the load generator against `port`; `serverPid`'s CPU time over the run is divided by the queries answered. */
async function loadgen(port: number, protocol: Protocol, o: { seconds: string; concurrency: string; keys: string }, serverPid: number | undefined): Promise<LoadResult> {
  const cpuBefore = cpuMs(serverPid);
  const child = spawn(process.execPath, [join(ROOT, 'bench/pull-loadgen.ts'), '--port', String(port), '--protocol', protocol,
    '--seconds', o.seconds, '--concurrency', o.concurrency, '--keys', o.keys, '--table', TABLE], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  if (code !== 0) throw new Error(`load generator exited with ${code}`);
  const result = JSON.parse(out) as LoadResult;
  const cpuAfter = cpuMs(serverPid);
  if (cpuBefore !== undefined && cpuAfter !== undefined && result.total > 0) result.cpu_us_per_query = Math.round(((cpuAfter - cpuBefore) * 1000) / result.total);
  return result;
}

function post(port: number, path: string, body: unknown): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path, headers: { 'content-type': 'application/json', accept: 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => { text += d.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

/**
 * A stream of rows aggregated into a table by key (the repartitioned, materialized case). Resolves
 * with the seconds the inserts took, once every partition of the table has caught up.
 */
async function loadTable(port: number, rows: number): Promise<number> {
  const ddl = await post(port, '/ksql', {
    ksql: `CREATE STREAM USERS (ID INT KEY, NAME STRING, SCORE BIGINT) WITH (KAFKA_TOPIC='users', PARTITIONS=4, VALUE_FORMAT='JSON');
      CREATE TABLE ${TABLE} AS SELECT ID, LATEST_BY_OFFSET(NAME) AS NAME, LATEST_BY_OFFSET(SCORE) AS SCORE FROM USERS GROUP BY ID;`,
    streamsProperties: {},
  });
  if (ddl.status !== 200) throw new Error(`DDL failed: ${ddl.text}`);
  const t0 = performance.now();
  const session = http2.connect(`http://127.0.0.1:${port}`);
  try {
    const batch = 10_000;
    for (let from = 0; from < rows; from += batch) {
      const lines = [JSON.stringify({ target: 'USERS', properties: {} })];
      for (let id = from; id < Math.min(rows, from + batch); id++) lines.push(JSON.stringify({ ID: id, NAME: `user-${id}`, SCORE: id * 100 }));
      await new Promise<void>((resolve, reject) => {
        const s = session.request({ ':method': 'POST', ':path': '/inserts-stream', 'content-type': 'application/json' });
        s.on('data', () => undefined);
        s.on('end', resolve);
        s.on('error', reject);
        s.end(lines.join('\n'));
      });
    }
  } finally {
    session.close();
  }
  const ingestSeconds = (performance.now() - t0) / 1000;
  // Materialized once the last keys answer: rows were inserted in key order, so the last few keys
  // cover every partition's tail, and no partition is still catching up while the load runs.
  const lastKeys = Array.from({ length: Math.min(rows, 64) }, (_, i) => rows - 1 - i);
  for (let i = 0; i < 600; i++) {
    let missing = 0;
    for (const id of lastKeys) {
      const r = await post(port, '/query-stream', { sql: `SELECT * FROM ${TABLE} WHERE ID = ${id};`, properties: {} });
      if (r.status !== 200 || !r.text.includes(`"user-${id}"`)) missing++;
    }
    if (missing === 0) return ingestSeconds;
    await new Promise((res) => setTimeout(res, 200));
  }
  throw new Error('the table did not materialize within 120 s');
}
