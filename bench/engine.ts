// Engine throughput benchmark: a CSAS with filter + projection and a CTAS with GROUP BY over 10,000
// keys on the embedded log with lmdb state, each compared to the JSON parse+stringify roof.
// Every workload runs in its own child process over a copy of one pre-generated data directory.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openEngine } from '../src/engine/engine.ts';
import { CREATE_SOURCE, recordJson, SOURCE_TOPIC, WORKLOADS } from './engine-records.ts';
import type { WorkloadResult } from './engine-workload.ts';

const CHILD = join(import.meta.dirname, 'engine-workload.ts');
const BATCH = 10_000;

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      json: { type: 'string' },
      records: { type: 'string', default: '1000000' },
      runs: { type: 'string', default: '1' },
      mode: { type: 'string', default: 'background' },
      only: { type: 'string' },
      profile: { type: 'string' },
    },
  });
  const records = Number(values.records);
  const runs = Number(values.runs);
  const mode = values.mode === 'manual' ? 'manual' : 'background';
  const workloads = WORKLOADS.filter((w) => values.only === undefined || values.only.split(',').includes(w.name));
  const root = mkdtempSync(join(tmpdir(), 'riffle-bench-'));
  try {
    const seed = join(root, 'seed');
    await generate(seed, records);
    const results = new Map<string, WorkloadResult[]>();
    /** Per workload and run: the roof around it, the mean of the passes just before and just after. */
    const roofsAround = new Map<string, number[]>();
    const measure = async (run: number, name: string): Promise<WorkloadResult> => {
      log(`run ${run}/${runs}: ${name} (${mode})`);
      const dir = join(root, `run-${name}`);
      if (name !== 'roof') cpSync(seed, dir, { recursive: true });
      const r = await runChild(name, dir, records, mode, values.profile);
      rmSync(dir, { recursive: true, force: true });
      log(`  ${fmt(r.rps)} records/s in ${(r.elapsedMs / 1000).toFixed(1)} s (CPU ${(r.cpuMs / 1000).toFixed(1)} s), peak RSS ${r.peakRssMb.toFixed(0)} MB, ${r.outputRecords} output records`);
      results.set(name, [...(results.get(name) ?? []), r]);
      return r;
    };
    for (let run = 1; run <= runs; run++) {
      // roof, workload, roof, workload, roof: this VM's speed drifts within minutes, so each
      // workload is compared with the roof measured on both sides of it.
      let before = await measure(run, 'roof');
      for (const w of workloads) {
        await measure(run, w.name);
        const after = await measure(run, 'roof');
        roofsAround.set(w.name, [...(roofsAround.get(w.name) ?? []), (before.rps + after.rps) / 2]);
        before = after;
      }
    }
    const roof = median(results.get('roof')!.map((r) => r.rps));
    const report = {
      roof_rps: Math.round(roof),
      records, runs, mode,
      workloads: workloads.map((w) => {
        const rs = results.get(w.name)!;
        const fractions = rs.map((r, i) => r.rps / roofsAround.get(w.name)![i]!);
        return {
          name: w.name, rps: Math.round(median(rs.map((r) => r.rps))), roof_fraction: Number(median(fractions).toFixed(3)),
          peak_rss_mb: Math.round(median(rs.map((r) => r.peakRssMb))),
        };
      }),
    };
    printSummary(report.roof_rps, report.workloads, runs);
    if (values.json) writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Writes the records into the source topic once (not timed). */
async function generate(dir: string, records: number): Promise<void> {
  log(`generating ${fmt(records)} records into ${SOURCE_TOPIC}`);
  const engine = await openEngine({ dataDir: dir, scheduling: 'background' });
  try {
    await engine.execute(engine.newSession(), CREATE_SOURCE);
    const enc = new TextEncoder();
    let bytes = 0;
    for (let i = 0; i < records; i += BATCH) {
      const batch = [];
      for (let j = i; j < Math.min(records, i + BATCH); j++) {
        const value = enc.encode(recordJson(j));
        bytes += value.length;
        batch.push({ key: null, value, timestamp: 1_700_000_000_000 + j * 10 });
      }
      await engine.produce(SOURCE_TOPIC, batch);
      if ((i / BATCH) % 20 === 19) log(`  ${fmt(i + BATCH)} records`);
    }
    log(`  done: average value ${(bytes / records).toFixed(0)} bytes`);
  } finally {
    await engine.close();
  }
}

function runChild(name: string, dir: string, records: number, mode: string, profileDir: string | undefined): Promise<WorkloadResult> {
  const flags = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`] : [];
  const child = spawn(process.execPath, [...flags, CHILD, name, dir, String(records), mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`${name} exited with code ${code}`));
      else resolve(JSON.parse(out.trim().split('\n').pop()!) as WorkloadResult);
    });
  });
}

function printSummary(roof: number, workloads: { name: string; rps: number; roof_fraction: number; peak_rss_mb: number }[], runs: number): void {
  const target: Record<string, number> = { filter_project: 0.4, group_by_count_sum: 0.2 };
  const rows = [
    ['workload', 'records/s', 'roof fraction', 'target', 'peak RSS MB'],
    ['roof (JSON.parse+stringify)', fmt(roof), '1.000', '', ''],
    ...workloads.map((w) => [w.name, fmt(w.rps), w.roof_fraction.toFixed(3), `>= ${target[w.name] ?? '?'}`, String(w.peak_rss_mb)]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  log(`\nsummary${runs > 1 ? ` (median of ${runs} runs)` : ''}:`);
  for (const r of rows) log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}
