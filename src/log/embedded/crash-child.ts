// Child process of embedded-log-crash.test.ts: appends plain records and transactions to the log in
// argv[2] as fast as it can and acknowledges each resolved append/commit on stdout, until killed.
// Ack lines: `A <partition> <firstOffset> <firstSeq> <count>` and `T <run>.<txn number>`.
import { openEmbeddedLog } from './embedded-log.ts';
import { topicPartitionKey } from '../log.ts';

const dir = process.argv[2]!;
/** Distinguishes the transactions of successive runs over the same directory. */
const run = process.argv[3] ?? '0';
const log = await openEmbeddedLog(dir, { segmentBytes: 64 * 1024 });
if (!(await log.describeTopic('t'))) await log.createTopic('t', { partitions: 2 });
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const ack = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
process.stdout.write('READY\n');

let seq = 0;
async function plainWorker(partition: number): Promise<never> {
  for (;;) {
    const first = seq;
    const records = Array.from({ length: 100 }, () => ({ partition, key: enc(`k${seq % 50}`), value: enc(`plain-${seq++}`) }));
    const offsets = await log.append('t', records);
    ack(`A ${partition} ${offsets[0]} ${first} ${records.length}`);
  }
}

let txn = 0;
async function txnWorker(id: number): Promise<never> {
  for (;;) {
    const n = ++txn;
    const tx = await log.beginTransaction(`worker-${id}`);
    const abort = n % 5 === 0;
    const label = abort ? 'aborted' : 'txn';
    tx.append('t', Array.from({ length: 10 }, (_, i) => ({ partition: i % 2, key: null, value: enc(`${label}-${run}.${n}-${i}`) })));
    tx.commitOffsets('g', new Map([[topicPartitionKey('t', 0), Number(run) * 1_000_000 + n]]));
    if (abort) {
      await tx.abort();
      continue;
    }
    await tx.commit();
    ack(`T ${run}.${n}`);
  }
}

await Promise.all([plainWorker(0), plainWorker(1), txnWorker(1), txnWorker(2), txnWorker(3)]);
