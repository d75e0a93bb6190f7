// Perf check (prints only, asserts nothing): appends 1,000,000 records of 150 bytes in batches of
// 1,000 to the embedded log, then reads them back. Run: npx node src/log/embedded/append-perf.ts
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openEmbeddedLog } from './embedded-log.ts';
import type { ProduceRecord } from '../log.ts';

const TOTAL = 1_000_000;
const BATCH = 1_000;
/** Appends kept in flight at once (a producer pipelining its batches); 1 = strictly sequential. */
const IN_FLIGHT = Number(process.argv[2] ?? 4);

const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'riffle-perf-'));
try {
  const log = await openEmbeddedLog(dir);
  await log.createTopic('perf', { partitions: 1 });
  const value = new Uint8Array(150).fill(7);
  const batch: ProduceRecord[] = Array.from({ length: BATCH }, (_, i) => ({ partition: 0, key: null, value, timestamp: i }));

  let start = performance.now();
  let sent = 0;
  const worker = async (): Promise<void> => {
    while (sent < TOTAL) {
      sent += BATCH;
      await log.append('perf', batch);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const appendSec = (performance.now() - start) / 1000;
  console.log(`append: ${TOTAL} records x 150 B in ${appendSec.toFixed(2)} s = ${Math.round(TOTAL / appendSec)} records/s (${IN_FLIGHT} in flight)`);

  start = performance.now();
  let read = 0;
  for (let from = 0; ; ) {
    const records = await log.read('perf', 0, from, 5_000);
    if (records.length === 0) break;
    read += records.length;
    from = records[records.length - 1]!.offset + 1;
  }
  const readSec = (performance.now() - start) / 1000;
  console.log(`read:   ${read} records in ${readSec.toFixed(2)} s = ${Math.round(read / readSec)} records/s`);
  await log.close();

  start = performance.now();
  const reopened = await openEmbeddedLog(dir);
  console.log(`reopen (scan + index rebuild): ${((performance.now() - start) / 1000).toFixed(2)} s`);
  await reopened.close();
} finally {
  await fs.rm(dir, { recursive: true, force: true });
}
