// Crash test: a child process appends records and transactions, acking each over stdout; we kill -9
// it mid-stream, reopen the log and check every acked record is there, every transaction is all or
// nothing (atomic with its consumer offsets) and no aborted transaction is visible.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { openEmbeddedLog } from './embedded-log.ts';
import type { LogRecord } from '../log.ts';

const CHILD = path.join(import.meta.dirname, 'crash-child.ts');

interface Acks {
  plain: { partition: number; offset: number; seq: number; count: number }[];
  txns: Set<string>;
}

/** Runs the child until it acked `minAcks` lines (then waits `extraMs` more), then SIGKILLs it. */
async function runAndKill(dir: string, run: number, minAcks: number, extraMs: number): Promise<Acks> {
  const child = spawn(process.execPath, [CHILD, dir, String(run)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const acks: Acks = { plain: [], txns: new Set() };
  let count = 0;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const [kind, ...rest] = line.split(' ');
      if (kind === 'A') {
        const [partition, offset, seq, n] = rest.map(Number) as [number, number, number, number];
        acks.plain.push({ partition, offset, seq, count: n });
      } else if (kind === 'T') acks.txns.add(rest[0]!);
      if (++count === minAcks) setTimeout(resolve, extraMs);
    });
    void exited.then(() => resolve());
  });
  child.kill('SIGKILL');
  await exited;
  return acks;
}

async function readAll(log: Awaited<ReturnType<typeof openEmbeddedLog>>, partition: number): Promise<LogRecord[]> {
  const out: LogRecord[] = [];
  for (let from = 0; ; ) {
    const batch = await log.read('t', partition, from, 5000);
    if (batch.length === 0) return out;
    out.push(...batch);
    from = batch[batch.length - 1]!.offset + 1;
  }
}

void test('embedded log: acked records survive kill -9, transactions are all or nothing', { timeout: 120_000 }, async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'riffle-crash-'));
  try {
    const allAcks: Acks[] = [];
    for (let round = 0; round < 3; round++) {
      allAcks.push(await runAndKill(dir, round, 200 + round * 100, 20 + round * 15));
    }
    const log = await openEmbeddedLog(dir, { segmentBytes: 64 * 1024 });
    try {
      const byOffset = [new Map<number, string>(), new Map<number, string>()];
      const txnRecords = new Map<string, number>();
      for (const p of [0, 1]) {
        const records = await readAll(log, p);
        for (let i = 1; i < records.length; i++) assert.ok(records[i]!.offset > records[i - 1]!.offset);
        for (const r of records) {
          const v = new TextDecoder().decode(r.value!);
          byOffset[p]!.set(r.offset, v);
          assert.ok(!v.startsWith('aborted-'), `aborted record visible: ${v}`);
          const m = /^txn-(\d+\.\d+)-\d+$/.exec(v);
          if (m) txnRecords.set(m[1]!, (txnRecords.get(m[1]!) ?? 0) + 1);
        }
      }
      let plainChecked = 0;
      let txnChecked = 0;
      for (const acks of allAcks) {
        for (const a of acks.plain) {
          for (let i = 0; i < a.count; i++) {
            assert.equal(byOffset[a.partition]!.get(a.offset + i), `plain-${a.seq + i}`);
            plainChecked++;
          }
        }
        for (const n of acks.txns) {
          assert.equal(txnRecords.get(n), 10, `acked txn ${n} fully visible`);
          txnChecked++;
        }
      }
      // Visible but unacked transactions (commit in flight at the kill) must be complete too.
      for (const [n, count] of txnRecords) assert.equal(count, 10, `txn ${n} is all or nothing`);
      // The group offset written by txn <run>.<n> is run * 1e6 + n: it must belong to a visible txn.
      const committed = (await log.committedOffsets('g')).get('t:0');
      assert.ok(committed !== undefined);
      const owner = `${Math.floor(committed / 1_000_000)}.${committed % 1_000_000}`;
      assert.ok(txnRecords.has(owner), `group offset ${committed} belongs to a visible txn`);
      assert.ok(plainChecked > 1000 && txnChecked > 10, `checked ${plainChecked} records and ${txnChecked} txns`);
    } finally {
      await log.close();
    }
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});
