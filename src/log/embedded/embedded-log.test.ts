// Runs the Log contract suite against the embedded log (small segments, so rolling and compaction
// are exercised), plus embedded-only checks: torn tails, segment rolling, reopen of aborted txns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { logContractSuite } from '../log-contract.ts';
import { openEmbeddedLog, type EmbeddedLog } from './embedded-log.ts';

const SEGMENT_BYTES = 4096;

async function tempDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'riffle-log-'));
}

logContractSuite('embedded', async () => {
  const dir = await tempDir();
  let log: EmbeddedLog = await openEmbeddedLog(dir, { segmentBytes: SEGMENT_BYTES });
  return {
    log,
    reopen: async () => {
      await log.close();
      log = await openEmbeddedLog(dir, { segmentBytes: SEGMENT_BYTES });
      return log;
    },
    compact: async (topic) => {
      await log.compact(topic);
    },
    cleanup: async () => {
      await log.close();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
});

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

async function withDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await tempDir();
  try {
    await body(dir);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

void test('embedded: segments roll and reads cross segment boundaries, also after reopen', () =>
  withDir(async (dir) => {
    let log = await openEmbeddedLog(dir, { segmentBytes: 1024 });
    await log.createTopic('t', { partitions: 1 });
    for (let i = 0; i < 10; i++) {
      await log.append('t', Array.from({ length: 30 }, (_, j) => ({ partition: 0, key: null, value: enc(`${i * 30 + j}`) })));
    }
    const files = (await fs.readdir(path.join(dir, 'topics', 't', '0'))).filter((f) => f.endsWith('.log'));
    assert.ok(files.length > 5, `expected several segments, got ${files.length}`);
    await log.close();
    log = await openEmbeddedLog(dir, { segmentBytes: 1024 });
    const got = await log.read('t', 0, 0, 1000);
    assert.equal(got.length, 300);
    got.forEach((r, i) => assert.equal(new TextDecoder().decode(r.value!), String(i)));
    assert.deepEqual(await log.append('t', [{ partition: 0, key: null, value: null }]), [300]);
    await log.close();
  }));

void test('embedded: a torn tail (partial frame, bad CRC) is truncated on open', () =>
  withDir(async (dir) => {
    let log = await openEmbeddedLog(dir);
    await log.createTopic('t', { partitions: 1 });
    await log.append('t', [{ partition: 0, key: enc('a'), value: enc('1') }, { partition: 0, key: enc('b'), value: enc('2') }]);
    await log.close();
    const file = path.join(dir, 'topics', 't', '0', '00000000000000000000.log');
    const good = await fs.readFile(file);
    // A half-written third frame.
    await fs.appendFile(file, good.subarray(0, good.length / 2 + 3));
    log = await openEmbeddedLog(dir);
    assert.equal(await log.endOffset('t', 0), 2);
    assert.deepEqual(await log.append('t', [{ partition: 0, key: null, value: enc('3') }]), [2]);
    await log.close();
    // Flip a byte inside the last frame: it fails its CRC and is dropped.
    const bytes = await fs.readFile(file);
    bytes[bytes.length - 2] ^= 0xff;
    await fs.writeFile(file, bytes);
    log = await openEmbeddedLog(dir);
    assert.equal((await log.read('t', 0, 0, 10)).length, 2);
    assert.equal((await fs.stat(file)).size, good.length);
    await log.close();
  }));

void test('embedded: records of a transaction without a commit entry stay invisible after reopen', () =>
  withDir(async (dir) => {
    let log = await openEmbeddedLog(dir);
    await log.createTopic('t', { partitions: 1 });
    await log.append('t', [{ partition: 0, key: null, value: enc('before') }]);
    const tx = await log.beginTransaction('x');
    tx.append('t', [{ partition: 0, key: null, value: enc('in txn') }]);
    await tx.commit();
    await log.close();
    // Simulate a crash between the record fsync and the commit entry: drop the journal's last entry.
    const journal = path.join(dir, 'control.journal');
    const j = await fs.readFile(journal);
    let pos = 0;
    let lastStart = 0;
    while (pos < j.length) {
      lastStart = pos;
      pos += 8 + j.readUInt32LE(pos);
    }
    await fs.writeFile(journal, j.subarray(0, lastStart));
    log = await openEmbeddedLog(dir);
    const values = (await log.read('t', 0, 0, 10)).map((r) => new TextDecoder().decode(r.value!));
    assert.deepEqual(values, ['before']);
    assert.deepEqual(await log.append('t', [{ partition: 0, key: null, value: enc('after') }]), [2]);
    await log.close();
    log = await openEmbeddedLog(dir);
    assert.deepEqual((await log.read('t', 0, 0, 10)).map((r) => r.offset), [0, 2]);
    await log.close();
  }));

void test('embedded: a second open of the same directory is refused', () =>
  withDir(async (dir) => {
    const log = await openEmbeddedLog(dir);
    await assert.rejects(openEmbeddedLog(dir));
    await log.close();
  }));

test('embedded: transactions and offsets stay decided across journal snapshots and reopen', () =>
  withDir(async (dir) => {
    const options = { journalRewriteBytes: 600 };
    let log = await openEmbeddedLog(dir, options);
    await log.createTopic('t', { partitions: 2 });
    // Interleave commits so snapshots are taken while other transactions are in flight.
    await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const tx = await log.beginTransaction(`tx-${i % 4}-${i}`);
        tx.append('t', [{ partition: i % 2, key: null, value: enc(`c${i}`) }]);
        tx.commitOffsets('g', new Map([[`t:${i % 2}`, i]]));
        await tx.commit();
        await log.commitOffsets(`plain-${i % 3}`, new Map([['t:0', i]]));
      }),
    );
    const journalSize = (await fs.stat(path.join(dir, 'control.journal'))).size;
    assert.ok(journalSize < 4000, `journal was rewritten (${journalSize} bytes)`);
    const before = [...(await log.committedOffsets('g'))].sort();
    await log.close();
    log = await openEmbeddedLog(dir, options);
    const all = [...(await log.read('t', 0, 0, 100)), ...(await log.read('t', 1, 0, 100))];
    assert.equal(all.length, 40);
    assert.deepEqual([...(await log.committedOffsets('g'))].sort(), before);
    assert.equal((await log.committedOffsets('plain-0')).size, 1);
    await log.close();
  }));

void test('embedded: reads ahead after a full read; the next reads see what was appended since', () =>
  withDir(async (dir) => {
    const log = await openEmbeddedLog(dir, { segmentBytes: 1024 });
    try {
      await log.createTopic('t', { partitions: 1 });
      const values = (rs: readonly { value: Uint8Array | null }[]): string[] => rs.map((r) => new TextDecoder().decode(r.value!));
      const append = (from: number, n: number) =>
        log.append('t', Array.from({ length: n }, (_, j) => ({ partition: 0, key: null, value: enc(`${from + j}`) })));
      await append(0, 10);
      // Full: the read of 10..19 starts now and finds nothing visible.
      assert.deepEqual(values(await log.read('t', 0, 0, 10)), Array.from({ length: 10 }, (_, i) => `${i}`));
      await append(10, 15);
      // The empty read ahead is not served: 10..19 are visible now.
      assert.deepEqual(values(await log.read('t', 0, 10, 10)), Array.from({ length: 10 }, (_, i) => `${10 + i}`));
      // That read was full too: its read ahead (20..24) was started before 25..29 were appended.
      await append(25, 5);
      const rest: string[] = [];
      for (let at = 20; rest.length < 10;) {
        const got = await log.read('t', 0, at, 10);
        assert.ok(got.length > 0);
        rest.push(...values(got));
        at = got[got.length - 1]!.offset + 1;
      }
      assert.deepEqual(rest, Array.from({ length: 10 }, (_, i) => `${20 + i}`));
      // Two readers at different positions each get their own records.
      assert.deepEqual(values(await log.read('t', 0, 0, 5)), ['0', '1', '2', '3', '4']);
      assert.deepEqual(values(await log.read('t', 0, 15, 5)), ['15', '16', '17', '18', '19']);
      assert.deepEqual(values(await log.read('t', 0, 5, 5)), ['5', '6', '7', '8', '9']);
      assert.deepEqual(values(await log.read('t', 0, 20, 5)), ['20', '21', '22', '23', '24']);
    } finally {
      await log.close();
    }
  }));
