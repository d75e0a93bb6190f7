// rankHostsForPullQuery: active first, standbys freshest first, each filter (standby reads, liveness,
// offset bound, time bound, failed in this request) with ksqlDB's wording; the 503 message text;
// and the retry classifier (network and "not here" failures retry, bad statements and 429s do not).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReplicaFreshness } from '../../src/cluster/lag.ts';
import {
  classifyPullFailure,
  isRetryable,
  type PartitionReplicas,
  pullQueryUnavailableMessage,
  rankHostsForPullQuery,
  type RankHostsInput,
  replicaKey,
} from '../../src/cluster/routing.ts';

const P0: PartitionReplicas = {
  partition: 0,
  replicas: [
    { host: 's1:8088', role: 'standby' },
    { host: 'a:8088', role: 'active' },
    { host: 's2:8088', role: 'standby' },
  ],
};
const fresh = (offsetLag: number, stalenessMs?: number): ReplicaFreshness => ({ currentOffsetPosition: 0, offsetLag, stalenessMs, reportAgeMs: 0 });

function input(over: Partial<RankHostsInput> = {}): RankHostsInput {
  const lags: Record<string, ReplicaFreshness> = { 'a:8088': fresh(0, 10), 's1:8088': fresh(9, 900), 's2:8088': fresh(2, 400) };
  return {
    partitions: [P0],
    options: { enableStandbyReads: true, maxOffsetLag: 9223372036854775807n },
    liveness: () => ({ alive: true, asOfMs: 1 }),
    freshness: (h) => lags[h],
    ...over,
  };
}
const order = (r: ReturnType<typeof rankHostsForPullQuery>, p = 0) => r.partitions.find((x) => x.partition === p)!.candidates.map((c) => c.host);

describe('rankHostsForPullQuery', () => {
  test('active first, then standbys from freshest to stalest', () => {
    const r = rankHostsForPullQuery(input());
    assert.ok(r.ok);
    assert.deepEqual(order(r), ['a:8088', 's2:8088', 's1:8088']);
  });

  test('standbys tie on offsets: the one with less staleness first, then by name', () => {
    const lags: Record<string, ReplicaFreshness> = { 'a:8088': fresh(0), 's1:8088': fresh(2, 100), 's2:8088': fresh(2, 400) };
    assert.deepEqual(order(rankHostsForPullQuery(input({ freshness: (h) => lags[h] }))), ['a:8088', 's1:8088', 's2:8088']);
  });

  test('standby reads off: only the active, standbys passed over with ksqlDB reason', () => {
    const r = rankHostsForPullQuery(input({ options: { enableStandbyReads: false, maxOffsetLag: Number.MAX_SAFE_INTEGER } }));
    assert.deepEqual(order(r), ['a:8088']);
    assert.deepEqual(r.partitions[0]!.passedOver.map((h) => h.reason), ['Host is not the active host for this partition.', 'Host is not the active host for this partition.']);
  });

  test('dead hosts are skipped; unknown liveness (heartbeats off) counts as alive', () => {
    const r = rankHostsForPullQuery(input({ liveness: (h) => (h === 'a:8088' ? { alive: false, asOfMs: 1617609098808 } : undefined) }));
    assert.deepEqual(order(r), ['s2:8088', 's1:8088']);
    assert.deepEqual(r.partitions[0]!.passedOver, [{ host: 'a:8088', role: 'active', reason: 'Host is not alive as of time 1617609098808' }]);
  });

  test('offset bound: inclusive, with the ksqlDB message', () => {
    const r = rankHostsForPullQuery(input({ options: { enableStandbyReads: true, maxOffsetLag: 2 } }));
    assert.deepEqual(order(r), ['a:8088', 's2:8088']);
    assert.equal(r.partitions[0]!.passedOver[0]!.reason, 'Host excluded because lag 9 exceeds maximum allowed lag 2.');
  });

  test('time bound: staleness over the bound or unknown is passed over', () => {
    const lags: Record<string, ReplicaFreshness> = { 'a:8088': fresh(0, 10), 's1:8088': fresh(0), 's2:8088': fresh(0, 501) };
    const r = rankHostsForPullQuery(input({ freshness: (h) => lags[h], options: { enableStandbyReads: true, maxOffsetLag: 1n << 63n, maxStalenessMs: 500 } }));
    assert.deepEqual(order(r), ['a:8088']);
    assert.deepEqual(
      r.partitions[0]!.passedOver.map((h) => `${h.host}: ${h.reason}`),
      [
        's1:8088: Host excluded because its staleness is unknown and maximum allowed staleness is 500 ms.',
        's2:8088: Host excluded because staleness 501 ms exceeds maximum allowed staleness 500 ms.',
      ],
    );
  });

  test('no lag report: fine without a bound (ksqlDB refuses), refused with one; no lag filter when reporting is off', () => {
    const none = () => undefined;
    assert.deepEqual(order(rankHostsForPullQuery(input({ freshness: none }))), ['a:8088', 's1:8088', 's2:8088']);
    const bounded = rankHostsForPullQuery(input({ freshness: none, options: { enableStandbyReads: true, maxOffsetLag: 100 } }));
    assert.equal(bounded.ok, false);
    assert.equal(bounded.partitions[0]!.passedOver[0]!.reason, 'Lag information is not present for host.');
    const off = rankHostsForPullQuery(input({ freshness: undefined, options: { enableStandbyReads: true, maxOffsetLag: 0 } }));
    assert.deepEqual(order(off), ['a:8088', 's1:8088', 's2:8088']);
  });

  test('hosts that failed earlier in this request are passed over, so only failed partitions move', () => {
    const P1: PartitionReplicas = { partition: 1, replicas: [{ host: 's1:8088', role: 'active' }, { host: 'a:8088', role: 'standby' }] };
    const r = rankHostsForPullQuery(input({ partitions: [P1, P0], failedHosts: new Map([['a:8088', 'ECONNREFUSED']]) }));
    assert.deepEqual(order(r, 0), ['s2:8088', 's1:8088']);
    assert.deepEqual(order(r, 1), ['s1:8088']);
    assert.equal(r.partitions[0]!.passedOver[0]!.reason, 'Host failed during this request: ECONNREFUSED');
  });

  test('a host that refused one partition is passed over for that partition only', () => {
    const P1: PartitionReplicas = { partition: 1, replicas: [{ host: 'a:8088', role: 'active' }, { host: 's1:8088', role: 'standby' }] };
    const r = rankHostsForPullQuery(input({ partitions: [P0, P1], failedReplicas: new Map([[replicaKey('a:8088', 0), 'store not ready']]) }));
    assert.deepEqual(order(r, 0), ['s2:8088', 's1:8088']);
    assert.deepEqual(order(r, 1), ['a:8088', 's1:8088']);
    assert.equal(r.partitions[0]!.passedOver[0]!.reason, 'Host failed during this request: store not ready');
  });

  test('no host qualifies: ksqlDB message naming each partition, host and reason', () => {
    const P1: PartitionReplicas = { partition: 1, replicas: [{ host: 'h1:8088', role: 'active' }, { host: 'h2:8088', role: 'standby' }] };
    const r = rankHostsForPullQuery({
      partitions: [P1],
      options: { enableStandbyReads: true, maxOffsetLag: 3 },
      liveness: (h) => ({ alive: h !== 'h1:8088', asOfMs: 1617609098808 }),
      freshness: () => fresh(5),
    });
    assert.equal(r.ok, false);
    assert.ok(!r.ok);
    assert.equal(
      r.message,
      'Unable to execute pull query. [Partition 1 failed to find valid host. Hosts scanned: [h1:8088 was not selected because Host is not alive as of time 1617609098808, h2:8088 was not selected because Host excluded because lag 5 exceeds maximum allowed lag 3.]]',
    );
  });

  test('the message lists every failed partition in order; a partition with no replicas scans none', () => {
    assert.equal(
      pullQueryUnavailableMessage([
        { partition: 3, passedOver: [] },
        { partition: 0, passedOver: [{ host: 'x:1', role: 'active', reason: 'r' }] },
      ]),
      'Unable to execute pull query. [Partition 0 failed to find valid host. Hosts scanned: [x:1 was not selected because r], Partition 3 failed to find valid host. Hosts scanned: []]',
    );
  });
});

describe('isRetryable', () => {
  const err = (props: Record<string, unknown>, message = 'x') => Object.assign(new Error(message), props);

  test('retry: connection refused/reset, timeouts, store not ready, partition moved, 5xx', () => {
    for (const e of [
      err({ code: 'ECONNREFUSED' }),
      err({ code: 'ECONNRESET' }),
      err({ code: 'ETIMEDOUT' }),
      err({ name: 'TimeoutError' }),
      new DOMException('The operation was aborted due to timeout', 'TimeoutError'),
      err({ code: 'STORE_NOT_READY' }),
      err({ code: 'PARTITION_MOVED' }),
      err({ status: 503 }),
      err({ statusCode: 500 }),
      new Error('fetch failed', { cause: err({ code: 'ECONNREFUSED' }) }),
      new AggregateError([err({ code: 'EHOSTUNREACH' })], 'all failed'),
    ]) {
      assert.equal(isRetryable(e), true, `${(e as Error).message} ${JSON.stringify(e)}`);
    }
  });

  test('no retry: a bad statement, an overload rejection, unknown errors', () => {
    assert.equal(isRetryable(err({ status: 400, error_code: 40001 })), false);
    assert.equal(isRetryable(err({ status: 429 })), false);
    assert.equal(isRetryable(err({ error_code: 42901 })), false);
    assert.equal(isRetryable(err({ status: 401 })), false);
    assert.equal(isRetryable(new Error('Line: 1, Col: 8: Unknown column')), false);
    assert.equal(isRetryable(undefined), false);
    assert.deepEqual(classifyPullFailure(err({ status: 429 })), { retryable: false, why: 'rejected: overloaded (429)' });
    assert.deepEqual(classifyPullFailure(err({ code: 'STORE_NOT_READY' })), { retryable: true, why: 'store not ready' });
  });

  test('a host that cannot be reached at all is down; a slow or refusing one is not', () => {
    const fetchFailed = (code: string) => Object.assign(new TypeError('fetch failed'), { cause: err({ code }) });
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH']) {
      assert.deepEqual(classifyPullFailure(fetchFailed(code)), { retryable: true, why: code, hostDown: true }, code);
    }
    assert.equal(classifyPullFailure(fetchFailed('UND_ERR_HEADERS_TIMEOUT')).hostDown, undefined);
    assert.equal(classifyPullFailure(err({ status: 503 })).hostDown, undefined);
    assert.equal(classifyPullFailure(err({ code: 'STORE_NOT_READY' })).hostDown, undefined);
  });
});
