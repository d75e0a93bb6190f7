// The Log contract suite: node:test tests for every guarantee log.ts states. Every backend (embedded,
// Kafka) runs it; it asserts only what log.ts promises, never an implementation detail.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { topicPartitionKey, type Log, type LogRecord, type ProduceRecord } from './log.ts';

export interface LogHarness {
  readonly log: Log;
  /** Closes `log` and opens the same data again (durable backends). */
  readonly reopen?: () => Promise<Log>;
  /** Forces compaction of a compacted topic now, where the backend can. */
  readonly compact?: (topic: string) => Promise<void>;
  /** Closes whatever log is open and removes its data. */
  readonly cleanup: () => Promise<void>;
}

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array | null): string | null => (b === null ? null : new TextDecoder().decode(b));
/** Unique per test, so a backend shared between tests (a Kafka broker) never sees stale topics. */
const topicName = (label: string): string => `contract-${label}-${randomUUID().slice(0, 8)}`;

function rec(partition: number, key: string | null, value: string | null, extra: Partial<ProduceRecord> = {}): ProduceRecord {
  return { partition, key: key === null ? null : enc(key), value: value === null ? null : enc(value), ...extra };
}

/** Reads a partition from `from` up to its end offset, looping since read may return fewer records. */
async function readAll(log: Log, topic: string, partition: number, from = 0): Promise<LogRecord[]> {
  const end = await log.endOffset(topic, partition);
  const out: LogRecord[] = [];
  let at = from;
  for (let tries = 0; at < end && tries < 10_000; tries++) {
    const batch = await log.read(topic, partition, at, 500);
    if (batch.length === 0) break;
    out.push(...batch);
    at = batch[batch.length - 1]!.offset + 1;
  }
  return out;
}

const values = (records: readonly LogRecord[]): (string | null)[] => records.map((r) => dec(r.value));

export function logContractSuite(name: string, makeLog: () => Promise<LogHarness>): void {
  /** Runs `body` against a fresh harness and always cleans up. */
  const withLog = (title: string, body: (h: LogHarness & { current: () => Log }) => Promise<void>): void => {
    void test(title, async () => {
      const h = await makeLog();
      let current = h.log;
      const reopen = h.reopen;
      const wrapped = {
        ...h,
        current: () => current,
        ...(reopen ? { reopen: async () => (current = await reopen()) } : {}),
      };
      try {
        await body(wrapped);
      } finally {
        await h.cleanup();
      }
    });
  };

  void describe(`Log contract: ${name}`, () => {
    void describe('topics', () => {
      withLog('create, describe and list a topic', async ({ log }) => {
        const t = topicName('create');
        await log.createTopic(t, { partitions: 3 });
        const d = await log.describeTopic(t);
        assert.equal(d?.name, t);
        assert.equal(d?.partitions, 3);
        assert.equal(d?.cleanupPolicy, 'delete');
        assert.ok(d.replicas >= 1);
        assert.ok((await log.listTopics()).some((x) => x.name === t && x.partitions === 3));
      });

      withLog('a compacted topic describes its cleanup policy', async ({ log }) => {
        const t = topicName('policy');
        await log.createTopic(t, { partitions: 1, cleanupPolicy: 'compact' });
        assert.equal((await log.describeTopic(t))?.cleanupPolicy, 'compact');
      });

      withLog('describing an unknown topic gives undefined', async ({ log }) => {
        assert.equal(await log.describeTopic(topicName('missing')), undefined);
      });

      withLog('creating an existing topic fails', async ({ log }) => {
        const t = topicName('dup');
        await log.createTopic(t, { partitions: 1 });
        await assert.rejects(log.createTopic(t, { partitions: 1 }));
      });

      withLog('deleting a topic removes it; deleting an unknown topic fails', async ({ log }) => {
        const t = topicName('delete');
        await log.createTopic(t, { partitions: 2 });
        await log.append(t, [rec(0, 'k', 'v')]);
        await log.deleteTopic(t);
        assert.equal(await log.describeTopic(t), undefined);
        assert.ok(!(await log.listTopics()).some((x) => x.name === t));
        await assert.rejects(log.deleteTopic(t));
        await assert.rejects(log.deleteTopic(topicName('never')));
      });
    });

    void describe('append and read', () => {
      withLog('offsets start at 0 and grow by one per record', async ({ log }) => {
        const t = topicName('offsets');
        await log.createTopic(t, { partitions: 1 });
        assert.equal(await log.endOffset(t, 0), 0);
        assert.equal(await log.startOffset(t, 0), 0);
        assert.deepEqual(await log.append(t, [rec(0, 'a', '1'), rec(0, 'b', '2'), rec(0, 'c', '3')]), [0, 1, 2]);
        assert.deepEqual(await log.append(t, [rec(0, 'd', '4')]), [3]);
        assert.equal(await log.endOffset(t, 0), 4);
        assert.equal(await log.startOffset(t, 0), 0);
      });

      withLog('an empty append returns no offsets', async ({ log }) => {
        const t = topicName('empty');
        await log.createTopic(t, { partitions: 1 });
        assert.deepEqual(await log.append(t, []), []);
        assert.equal(await log.endOffset(t, 0), 0);
      });

      withLog('records keep their order and content', async ({ log }) => {
        const t = topicName('order');
        await log.createTopic(t, { partitions: 1 });
        const n = 250;
        await log.append(t, Array.from({ length: n }, (_, i) => rec(0, `k${i}`, `v${i}`, { timestamp: 1000 + i })));
        const got = await readAll(log, t, 0);
        assert.equal(got.length, n);
        got.forEach((r, i) => {
          assert.equal(r.offset, i);
          assert.equal(dec(r.key), `k${i}`);
          assert.equal(dec(r.value), `v${i}`);
          assert.equal(r.timestamp, 1000 + i);
        });
      });

      withLog('concurrent appends to one partition each keep their order', async ({ log }) => {
        const t = topicName('concurrent');
        await log.createTopic(t, { partitions: 1 });
        const batches = await Promise.all(
          Array.from({ length: 10 }, (_, b) => log.append(t, Array.from({ length: 20 }, (_, i) => rec(0, null, `${b}-${i}`)))),
        );
        const all = batches.flat();
        assert.equal(new Set(all).size, 200);
        for (const offsets of batches) for (let i = 1; i < offsets.length; i++) assert.ok(offsets[i]! > offsets[i - 1]!);
        const byOffset = new Map((await readAll(log, t, 0)).map((r) => [r.offset, dec(r.value)]));
        batches.forEach((offsets, b) => offsets.forEach((o, i) => assert.equal(byOffset.get(o), `${b}-${i}`)));
      });

      withLog('one append spread over partitions: offsets per partition, in record order', async ({ log }) => {
        const t = topicName('multi');
        await log.createTopic(t, { partitions: 3 });
        const offsets = await log.append(t, [rec(0, 'a', '0a'), rec(2, 'b', '2a'), rec(0, 'c', '0b'), rec(1, 'd', '1a'), rec(2, 'e', '2b')]);
        assert.deepEqual(offsets, [0, 0, 1, 0, 1]);
        assert.deepEqual(values(await readAll(log, t, 0)), ['0a', '0b']);
        assert.deepEqual(values(await readAll(log, t, 1)), ['1a']);
        assert.deepEqual(values(await readAll(log, t, 2)), ['2a', '2b']);
        assert.equal(await log.endOffset(t, 2), 2);
      });

      withLog('read honours from and maxRecords', async ({ log }) => {
        const t = topicName('range');
        await log.createTopic(t, { partitions: 1 });
        await log.append(t, Array.from({ length: 20 }, (_, i) => rec(0, null, String(i))));
        const mid = await log.read(t, 0, 5, 3);
        assert.ok(mid.length >= 1 && mid.length <= 3);
        mid.forEach((r, i) => assert.equal(r.offset, 5 + i));
        assert.deepEqual(values(await readAll(log, t, 0, 17)), ['17', '18', '19']);
        assert.deepEqual(await log.read(t, 0, 20, 10), []);
        assert.deepEqual(await log.read(t, 0, 1000, 10), []);
      });

      withLog('null keys, null values (tombstones) and headers round-trip', async ({ log }) => {
        const t = topicName('nulls');
        await log.createTopic(t, { partitions: 1 });
        const headers = [
          { key: 'h1', value: enc('x') },
          { key: 'h1', value: enc('y') },
          { key: 'ü-empty', value: new Uint8Array(0) },
          { key: 'none', value: null },
        ];
        await log.append(t, [
          rec(0, null, 'no key'),
          rec(0, 'tomb', null),
          rec(0, 'h', 'with headers', { headers }),
          { partition: 0, key: new Uint8Array(0), value: new Uint8Array([0, 255, 1]) },
        ]);
        const [a, b, c, d] = await readAll(log, t, 0);
        assert.equal(a!.key, null);
        assert.equal(dec(a!.value), 'no key');
        assert.deepEqual(a!.headers, []);
        assert.equal(dec(b!.key), 'tomb');
        assert.equal(b!.value, null);
        assert.deepEqual(
          c!.headers.map((h) => [h.key, h.value === null ? null : [...h.value]]),
          [['h1', [...enc('x')]], ['h1', [...enc('y')]], ['ü-empty', []], ['none', null]],
        );
        assert.deepEqual([...d!.key!], []);
        assert.deepEqual([...d!.value!], [0, 255, 1]);
      });

      withLog('the timestamp defaults to the append time', async ({ log }) => {
        const t = topicName('ts');
        await log.createTopic(t, { partitions: 1 });
        const before = Date.now();
        await log.append(t, [rec(0, 'k', 'v')]);
        const [r] = await log.read(t, 0, 0, 1);
        assert.ok(r!.timestamp >= before - 1000 && r!.timestamp <= Date.now() + 1000);
      });
    });

    void describe('consumer group offsets', () => {
      withLog('commit and read back, overwrite, groups are separate', async ({ log }) => {
        const t = topicName('groups');
        await log.createTopic(t, { partitions: 2 });
        await log.append(t, [rec(0, 'a', '1'), rec(1, 'b', '2'), rec(1, 'c', '3')]);
        assert.equal((await log.committedOffsets('g-unknown')).size, 0);
        await log.commitOffsets('g1', new Map([[topicPartitionKey(t, 0), 1], [topicPartitionKey(t, 1), 1]]));
        await log.commitOffsets('g1', new Map([[topicPartitionKey(t, 1), 2]]));
        await log.commitOffsets('g2', new Map([[topicPartitionKey(t, 0), 0]]));
        const g1 = await log.committedOffsets('g1');
        assert.equal(g1.get(`${t}:0`), 1);
        assert.equal(g1.get(`${t}:1`), 2);
        assert.equal((await log.committedOffsets('g2')).get(`${t}:0`), 0);
        assert.equal((await log.committedOffsets('g2')).get(`${t}:1`), undefined);
      });
    });

    void describe('transactions', () => {
      withLog('records are invisible until commit, then all visible; commit returns offsets per append', async ({ log }) => {
        const t = topicName('txn');
        const u = topicName('txn-other');
        await log.createTopic(t, { partitions: 2 });
        await log.createTopic(u, { partitions: 1 });
        await log.append(t, [rec(0, 'before', '0')]);
        const tx = await log.beginTransaction(`tx-${randomUUID()}`);
        tx.append(t, [rec(0, 'a', '1'), rec(1, 'b', '2')]);
        tx.append(u, [rec(0, 'c', '3')]);
        tx.append(t, [rec(0, 'd', '4')]);
        assert.equal(await log.endOffset(t, 0), 1);
        assert.equal(await log.endOffset(t, 1), 0);
        assert.equal(await log.endOffset(u, 0), 0);
        assert.deepEqual(values(await log.read(t, 0, 0, 100)), ['0']);
        const offsets = await tx.commit();
        assert.equal(offsets.length, 3);
        assert.equal(offsets[0]!.length, 2);
        assert.equal(offsets[1]!.length, 1);
        assert.equal(offsets[2]!.length, 1);
        const t0 = await readAll(log, t, 0);
        assert.deepEqual(values(t0), ['0', '1', '4']);
        assert.equal(t0[1]!.offset, offsets[0]![0]);
        assert.equal(t0[2]!.offset, offsets[2]![0]);
        assert.ok(offsets[0]![0]! >= 1 && offsets[2]![0]! > offsets[0]![0]!);
        assert.deepEqual(values(await readAll(log, t, 1)), ['2']);
        assert.deepEqual(values(await readAll(log, u, 0)), ['3']);
        assert.equal((await readAll(log, u, 0))[0]!.offset, offsets[1]![0]);
        assert.ok((await log.endOffset(t, 0)) > offsets[2]![0]!);
      });

      withLog('consumer offsets commit with the transaction', async ({ log }) => {
        const t = topicName('txn-offsets');
        await log.createTopic(t, { partitions: 1 });
        const group = `g-${randomUUID()}`;
        await log.commitOffsets(group, new Map([[topicPartitionKey(t, 0), 1]]));
        const tx = await log.beginTransaction(`tx-${randomUUID()}`);
        tx.append(t, [rec(0, 'k', 'v')]);
        tx.commitOffsets(group, new Map([[topicPartitionKey(t, 0), 7]]));
        assert.equal((await log.committedOffsets(group)).get(`${t}:0`), 1);
        await tx.commit();
        assert.equal((await log.committedOffsets(group)).get(`${t}:0`), 7);
      });

      withLog('a transaction with only consumer offsets commits them', async ({ log }) => {
        const t = topicName('txn-only-offsets');
        await log.createTopic(t, { partitions: 1 });
        const group = `g-${randomUUID()}`;
        const tx = await log.beginTransaction(`tx-${randomUUID()}`);
        tx.commitOffsets(group, new Map([[topicPartitionKey(t, 0), 3]]));
        assert.deepEqual(await tx.commit(), []);
        assert.equal((await log.committedOffsets(group)).get(`${t}:0`), 3);
      });

      withLog('an aborted transaction is never visible, nor are its offsets', async ({ log }) => {
        const t = topicName('abort');
        await log.createTopic(t, { partitions: 1 });
        const group = `g-${randomUUID()}`;
        const tx = await log.beginTransaction(`tx-${randomUUID()}`);
        tx.append(t, [rec(0, 'a', 'aborted')]);
        tx.commitOffsets(group, new Map([[topicPartitionKey(t, 0), 5]]));
        await tx.abort();
        await log.append(t, [rec(0, 'b', 'plain')]);
        assert.deepEqual(values(await readAll(log, t, 0)), ['plain']);
        assert.equal((await log.committedOffsets(group)).get(`${t}:0`), undefined);
      });

      withLog('a newer transaction with the same id fences the older one', async ({ log }) => {
        const t = topicName('fence');
        await log.createTopic(t, { partitions: 1 });
        const id = `tx-${randomUUID()}`;
        const old = await log.beginTransaction(id);
        old.append(t, [rec(0, 'k', 'zombie')]);
        const fresh = await log.beginTransaction(id);
        fresh.append(t, [rec(0, 'k', 'fresh')]);
        await assert.rejects(async () => {
          old.append(t, [rec(0, 'k', 'zombie2')]);
          await old.commit();
        });
        await fresh.commit();
        assert.deepEqual(values(await readAll(log, t, 0)), ['fresh']);
      });

      withLog('transactions with different ids are independent', async ({ log }) => {
        const t = topicName('txn-independent');
        await log.createTopic(t, { partitions: 1 });
        const a = await log.beginTransaction(`tx-a-${randomUUID()}`);
        const b = await log.beginTransaction(`tx-b-${randomUUID()}`);
        a.append(t, [rec(0, 'a', 'A')]);
        b.append(t, [rec(0, 'b', 'B')]);
        await b.commit();
        await a.abort();
        assert.deepEqual(values(await readAll(log, t, 0)), ['B']);
      });
    });

    void describe('waitForData', () => {
      withLog('resolves at once when data is there', async ({ log }) => {
        const t = topicName('wait-now');
        await log.createTopic(t, { partitions: 1 });
        await log.append(t, [rec(0, 'k', 'v')]);
        const start = Date.now();
        await log.waitForData(t, 0, 0, 5000);
        assert.ok(Date.now() - start < 2000);
      });

      withLog('resolves after the timeout when nothing arrives', async ({ log }) => {
        const t = topicName('wait-timeout');
        await log.createTopic(t, { partitions: 1 });
        const start = Date.now();
        await log.waitForData(t, 0, 0, 150);
        const took = Date.now() - start;
        assert.ok(took >= 100 && took < 5000, `took ${took} ms`);
      });

      withLog('wakes up when a record is appended', async ({ log }) => {
        const t = topicName('wait-wake');
        await log.createTopic(t, { partitions: 2 });
        const start = Date.now();
        const waiting = log.waitForData(t, 0, 0, 10_000);
        await new Promise((r) => setTimeout(r, 50));
        await log.append(t, [rec(0, 'k', 'v')]);
        await waiting;
        assert.ok(Date.now() - start < 5000);
        assert.equal((await log.read(t, 0, 0, 10)).length, 1);
      });

      withLog('wakes up on transaction commit', async ({ log }) => {
        const t = topicName('wait-txn');
        await log.createTopic(t, { partitions: 1 });
        const tx = await log.beginTransaction(`tx-${randomUUID()}`);
        tx.append(t, [rec(0, 'k', 'v')]);
        let woke = false;
        const start = Date.now();
        const waiting = log.waitForData(t, 0, 0, 10_000).then(() => (woke = true));
        await new Promise((r) => setTimeout(r, 50));
        assert.equal(woke, false);
        await tx.commit();
        await waiting;
        assert.ok(Date.now() - start < 5000);
      });
    });

    void describe('compaction', () => {
      withLog('a compacted topic keeps the newest record per key', async (h) => {
        const { log } = h;
        const t = topicName('compact');
        await log.createTopic(t, { partitions: 1, cleanupPolicy: 'compact' });
        for (let round = 0; round < 5; round++) {
          await log.append(t, Array.from({ length: 40 }, (_, k) => rec(0, `k${k}`, `v${round}-${k}`)));
        }
        await h.compact?.(t);
        const all = await readAll(log, t, 0);
        const newest = new Map<string, string | null>();
        for (const r of all) newest.set(dec(r.key)!, dec(r.value));
        assert.equal(newest.size, 40);
        for (let k = 0; k < 40; k++) assert.equal(newest.get(`k${k}`), `v4-${k}`);
        for (let i = 1; i < all.length; i++) assert.ok(all[i]!.offset > all[i - 1]!.offset);
        assert.equal(await log.endOffset(t, 0), 200);
        if (h.compact) {
          assert.equal(all.filter((r) => dec(r.key) === 'k0').length <= 5, true);
          assert.ok(all.length < 200, 'forced compaction removed superseded records');
        }
        assert.deepEqual(await log.append(t, [rec(0, 'k0', 'after')]), [200]);
      });
    });

    void describe('durability across reopen', () => {
      withLog('topics, records, group offsets and committed transactions survive reopen', async (h) => {
        if (!h.reopen) return;
        const t = topicName('reopen');
        await h.log.createTopic(t, { partitions: 2, cleanupPolicy: 'compact' });
        await h.log.append(t, [rec(0, 'a', '1', { headers: [{ key: 'h', value: null }] }), rec(1, 'z', null)]);
        await h.log.commitOffsets('g', new Map([[topicPartitionKey(t, 0), 1]]));
        const tx = await h.log.beginTransaction('tx-reopen');
        tx.append(t, [rec(0, 'b', '2')]);
        tx.commitOffsets('g', new Map([[topicPartitionKey(t, 1), 1]]));
        await tx.commit();
        const open = await h.log.beginTransaction('tx-open');
        open.append(t, [rec(0, 'c', 'never')]);
        const log = await h.reopen();
        assert.equal((await log.describeTopic(t))?.cleanupPolicy, 'compact');
        assert.equal((await log.describeTopic(t))?.partitions, 2);
        const p0 = await readAll(log, t, 0);
        assert.deepEqual(values(p0), ['1', '2']);
        assert.deepEqual(p0[0]!.headers.map((x) => [x.key, x.value]), [['h', null]]);
        const p1 = await readAll(log, t, 1);
        assert.equal(p1.length, 1);
        assert.equal(Buffer.from(p1[0]!.key!).toString(), 'z');
        assert.equal(p1[0]!.value, null);
        assert.deepEqual(await log.committedOffsets('g'), new Map([[`${t}:0`, 1], [`${t}:1`, 1]]));
        const next = await log.append(t, [rec(0, 'd', '3')]);
        assert.ok(next[0]! >= 2);
        assert.deepEqual(values(await readAll(log, t, 0)), ['1', '2', '3']);
      });

      withLog('a deleted topic stays deleted after reopen', async (h) => {
        if (!h.reopen) return;
        const t = topicName('reopen-deleted');
        await h.log.createTopic(t, { partitions: 1 });
        await h.log.deleteTopic(t);
        const log = await h.reopen();
        assert.equal(await log.describeTopic(t), undefined);
      });
    });
  });
}
