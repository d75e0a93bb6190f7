// Lag bookkeeping: offset lag as ksqlDB computes it (against the highest end offset anyone reported),
// time lag from offset observations, staleness that adds the active's input lag and the report's age
// on the receiver's clock, and merges where a newer report from a host always wins.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  type HostLagReport,
  emptyLagTable,
  maxEndOffset,
  mergeLagReport,
  observeReplica,
  parseStoreId,
  partitionLag,
  pruneLagTable,
  replicaFreshness,
  storeId,
  timeLagOf,
} from '../../src/cluster/lag.ts';

const STORE = storeId('CTAS_T_3', 'Aggregate-Materialize');

function report(host: string, updateTimeMs: number, partitions: Record<number, ReturnType<typeof partitionLag>>): HostLagReport {
  return { host, updateTimeMs, stores: new Map([[STORE, new Map(Object.entries(partitions).map(([p, l]) => [Number(p), l]))]]) };
}

describe('lag', () => {
  test('store ids round-trip and reject malformed ids', () => {
    assert.equal(STORE, 'CTAS_T_3#Aggregate-Materialize');
    assert.deepEqual(parseStoreId(STORE), { queryId: 'CTAS_T_3', storeName: 'Aggregate-Materialize' });
    assert.throws(() => parseStoreId('nohash'), /<queryId>#<storeName>/);
  });

  test('partitionLag: offset lag never negative; extras only when given', () => {
    assert.deepEqual(partitionLag(10, 15), { currentOffsetPosition: 10, endOffsetPosition: 15, offsetLag: 5 });
    assert.equal(partitionLag(20, 15).offsetLag, 0);
    assert.deepEqual(Object.keys(partitionLag(1, 1, { timeLagMs: 0 })), ['currentOffsetPosition', 'endOffsetPosition', 'offsetLag', 'timeLagMs']);
  });

  test('time lag: zero when caught up, else time since the newest end offset the replica reached', () => {
    let p = observeReplica(undefined, 0, 0, 1000);
    assert.equal(timeLagOf(p, 1000), 0);
    p = observeReplica(p, 0, 5, 2000); // writes arrived, replica did not move
    assert.equal(timeLagOf(p, 2500), 1500, 'holds everything as of t=1000');
    p = observeReplica(p, 5, 9, 3000); // reached t=2000's end (5), not t=3000's (9)
    assert.equal(timeLagOf(p, 3200), 1200);
    p = observeReplica(p, 9, 9, 4000);
    assert.equal(timeLagOf(p, 4000), 0);
    assert.equal(timeLagOf(observeReplica(undefined, 0, 7, 100), 500), undefined, 'never caught up: unknown');
  });

  test('time lag stays a safe bound when observations overflow the history', () => {
    let p = observeReplica(undefined, 0, 0, 0);
    for (let t = 1; t <= 200; t++) p = observeReplica(p, 0, t, t * 10);
    assert.equal(timeLagOf(p, 2000), 2000);
    p = observeReplica(p, 150, 200, 2010);
    const lag = timeLagOf(p, 2010)!;
    assert.ok(lag >= 2010 - 1500 && lag <= 2010, `bound ${lag}`);
  });

  test('merge: the newer report from a host wins by its own clock; receipt time is ours', () => {
    let table = mergeLagReport(emptyLagTable, report('a:8088', 500, { 0: partitionLag(1, 1) }), 10_000);
    table = mergeLagReport(table, report('a:8088', 400, { 0: partitionLag(0, 1) }), 10_100);
    assert.equal(table.get('a:8088')!.report.updateTimeMs, 500, 'an out-of-order older report is ignored');
    // A host whose clock is hours behind ours is still merged: clocks are never compared across hosts.
    table = mergeLagReport(table, report('b:8088', 5, { 0: partitionLag(0, 3) }), 10_100);
    assert.deepEqual([...table.keys()].sort(), ['a:8088', 'b:8088']);
    assert.equal(maxEndOffset(table, STORE, 0), 3);
    assert.equal(maxEndOffset(table, STORE, 9), undefined);
  });

  test('freshness: offset lag against the highest end offset; staleness adds input lag and report age', () => {
    let table = mergeLagReport(emptyLagTable, report('active:1', 1, { 0: partitionLag(20, 20, { timeLagMs: 0, inputOffsetLag: 7, inputTimeLagMs: 300 }) }), 1000);
    table = mergeLagReport(table, report('standby:1', 1, { 0: partitionLag(15, 18, { timeLagMs: 200 }) }), 1100);
    const standby = replicaFreshness(table, 'standby:1', STORE, 0, 1500, 'active:1')!;
    assert.equal(standby.offsetLag, 5, 'held to the active end offset 20, not its own stale 18');
    assert.equal(standby.stalenessMs, 200 + 300 + 400);
    const active = replicaFreshness(table, 'active:1', STORE, 0, 1500, 'active:1')!;
    assert.deepEqual(active, { currentOffsetPosition: 20, offsetLag: 0, stalenessMs: 300 + 500, reportAgeMs: 500 });
    assert.equal(replicaFreshness(table, 'nobody:1', STORE, 0, 1500), undefined);
    const noTime = mergeLagReport(table, report('old:1', 1, { 0: partitionLag(20, 20) }), 1500);
    assert.equal(replicaFreshness(noTime, 'old:1', STORE, 0, 1500)!.stalenessMs, undefined);
  });

  test('prune: drops reports of pruned hosts and reports older than the limit', () => {
    let table = mergeLagReport(emptyLagTable, report('a:1', 1, {}), 1000);
    table = mergeLagReport(table, report('b:1', 1, {}), 5000);
    table = mergeLagReport(table, report('c:1', 1, {}), 5000);
    const pruned = pruneLagTable(table, 6000, 2000, (h) => h !== 'c:1');
    assert.deepEqual([...pruned.keys()], ['b:1']);
  });
});
