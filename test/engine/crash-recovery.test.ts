// kill -9 in the middle of a CTAS (GROUP BY with COUNT and SUM), twice, then a restart over the
// same data directory must give exactly the table of an uninterrupted run: no update lost, none
// applied twice - in the sink topic, in the materialized store (pull query) and in the counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { openEngine } from '../../src/engine/engine.ts';
import { amountOf, CREATE_STREAM, ensureQuery, expectedTable, SINK_TOPIC, SOURCE_TOPIC, userOf } from './crash-ctas-fixture.ts';

const CHILD = join(import.meta.dirname, 'crash-ctas-child.ts');
const RECORDS = 150_000;

interface ChildRun {
  /** Highest committed input count the child reported. */
  readonly progress: number;
  readonly done: boolean;
}

/** Runs the child over `dir`; SIGKILLs it once it reports `killAt` committed inputs (never, if undefined). */
function runChild(dir: string, killAt: number | undefined): Promise<ChildRun> {
  const child = spawn(process.execPath, [CHILD, dir, String(RECORDS)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let progress = 0;
  let done = false;
  let error = '';
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line.startsWith('P ')) {
      progress = Math.max(progress, Number(line.slice(2)));
      if (killAt !== undefined && progress >= killAt && !done) child.kill('SIGKILL');
    } else if (line === 'DONE') done = true;
    else if (line.startsWith('ERROR')) error = line;
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (error) reject(new Error(`child failed: ${error}`));
      else if (killAt === undefined && code !== 0) reject(new Error(`child exited with ${code ?? signal}`));
      else resolve({ progress, done });
    });
  });
}

async function produceInput(dir: string): Promise<void> {
  const engine = await openEngine({ dataDir: dir, scheduling: 'background' });
  try {
    await engine.execute(engine.newSession(), CREATE_STREAM);
    const enc = new TextEncoder();
    for (let i = 0; i < RECORDS; i += 5000) {
      const batch = [];
      for (let j = i; j < i + 5000; j++) {
        batch.push({ partition: j % 2, key: null, value: enc.encode(JSON.stringify({ USER_ID: userOf(j), AMOUNT: amountOf(j) })) });
      }
      await engine.produce(SOURCE_TOPIC, batch);
    }
  } finally {
    await engine.close();
  }
}

interface FinalState {
  /** user -> the COUNT values of its updates in the sink topic, in order. */
  readonly countsInSink: Map<string, number[]>;
  /** user -> [count, sum] of its latest update in the sink topic. */
  readonly latestInSink: Map<string, [number, number]>;
  /** user -> [count, sum] from a pull query over the materialized table. */
  readonly pulled: Map<string, [number, number]>;
}

async function readFinalState(dir: string): Promise<FinalState> {
  const engine = await openEngine({ dataDir: dir, scheduling: 'manual' });
  try {
    const session = engine.newSession();
    await ensureQuery(engine, session);
    const countsInSink = new Map<string, number[]>();
    const latestInSink = new Map<string, [number, number]>();
    for (const r of await engine.readTopic(SINK_TOPIC)) {
      const user = String(r.key![0]);
      const [cnt, total] = r.value!.map(Number) as [number, number];
      countsInSink.set(user, [...(countsInSink.get(user) ?? []), cnt]);
      latestInSink.set(user, [cnt, total]);
    }
    const pulled = new Map<string, [number, number]>();
    const handle = await engine.query(session, 'SELECT user_id, cnt, total FROM totals;');
    for await (const row of handle.rows) pulled.set(String(row.values[0]), [Number(row.values[1]), Number(row.values[2])]);
    return { countsInSink, latestInSink, pulled };
  } finally {
    await engine.close();
  }
}

const sorted = (m: Map<string, [number, number]>): [string, [number, number]][] => [...m].sort(([a], [b]) => a.localeCompare(b));

void test('kill -9 mid-CTAS and restart gives exactly the table of an uninterrupted run', { timeout: 120_000 }, async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'riffle-crash-ctas-'));
  try {
    const seed = join(root, 'seed');
    await produceInput(seed);
    const crashedDir = join(root, 'crashed');
    const cleanDir = join(root, 'clean');
    cpSync(seed, crashedDir, { recursive: true });
    cpSync(seed, cleanDir, { recursive: true });

    const crashed = (async () => {
      const first = await runChild(crashedDir, Math.floor(RECORDS * 0.3));
      const second = await runChild(crashedDir, Math.floor(RECORDS * 0.65));
      const last = await runChild(crashedDir, undefined);
      return [first, second, last];
    })();
    const clean = await runChild(cleanDir, undefined);
    const [first, second, last] = await crashed;
    assert.ok(clean.done && last!.done, 'both runs finish');
    assert.ok(!first!.done && first!.progress < RECORDS, `first kill landed mid-query (at ${first!.progress} inputs)`);
    assert.ok(!second!.done && second!.progress < RECORDS, `second kill landed mid-query (at ${second!.progress} inputs)`);
    t.diagnostic(`killed at ${first!.progress} and ${second!.progress} of ${RECORDS} committed inputs`);

    const expected = sorted(expectedTable(RECORDS));
    const crashedState = await readFinalState(crashedDir);
    const cleanState = await readFinalState(cleanDir);
    assert.deepEqual(sorted(cleanState.latestInSink), expected, 'uninterrupted run: sink topic');
    assert.deepEqual(sorted(crashedState.latestInSink), sorted(cleanState.latestInSink), 'killed run: sink topic');
    assert.deepEqual(sorted(crashedState.pulled), expected, 'killed run: pull query over the restored store');
    assert.deepEqual(sorted(cleanState.pulled), expected, 'uninterrupted run: pull query');
    // Every input produced exactly one update: per user the sink holds counts 1, 2, ..., n once each.
    for (const [user, counts] of crashedState.countsInSink) {
      assert.deepEqual(counts, Array.from({ length: counts.length }, (_, i) => i + 1), `update sequence of ${user}`);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
