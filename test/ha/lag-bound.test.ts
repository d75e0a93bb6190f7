// Scenario 6 (ha-reference.md §4): freeze a standby, advance the active, kill the active. A bound at
// or above the standby's actual lag gives its stale row; a tighter bound gives the 503 naming every
// host and why; both for ksql.query.pull.max.allowed.offset.lag and ...max.allowed.staleness.ms.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterStatus, kafka, ksql, placement, pull, type ServerProc, sleep, storeLags, TestCluster, waitFor, tearDown } from './harness.ts';

let k: Awaited<ReturnType<typeof kafka>>;
let c: TestCluster;
let s: ServerProc[];
const Q = "SELECT K, S FROM T WHERE K='k';";

before(async () => {
  k = await kafka();
  // A long session and no eviction of a refusing member: the killed active's partition must not
  // fail over while the bounds are checked.
  c = new TestCluster({ bootstrap: k.bootstrap, serviceId: `lag_${process.pid}_${Date.now() % 100_000}`, settings: { 'riffle.cluster.session.timeout.ms': '15000', 'riffle.cluster.evict.refused.members': 'false' } });
  s = [await c.add(), await c.add(), await c.add()];
  await Promise.all(s.map((x) => c.start(x)));
  await ksql(s[0]!, `CREATE STREAM E (K STRING KEY, V INT) WITH (KAFKA_TOPIC='${c.o.serviceId}_e', VALUE_FORMAT='JSON', PARTITIONS=1);`);
  await ksql(s[0]!, 'CREATE TABLE T AS SELECT K, SUM(V) AS S FROM E GROUP BY K;', { 'ksql.streams.auto.offset.reset': 'earliest' });
}, { timeout: 240_000 });

after(() => tearDown(c, k), { timeout: 60_000 });

test('frozen standby: bound >= its lag serves the stale row, a tighter bound is refused naming every host', { timeout: 120_000 }, async () => {
  await ksql(s[0]!, "INSERT INTO E (K, V) VALUES ('k', 1);");
  // Placement settles, the standby holds S=1 and reports lag 0.
  const { active, standby } = await waitFor('active and caught-up standby of partition 0', async () => {
    const e = (await placement(s[0]!)).get(0);
    if (!e?.active || e.standbys.length !== 1) return undefined;
    const lag = (await storeLags(s[0]!)).get(e.standbys[0]!)?.get(0);
    const r = await pull(s[0]!, Q);
    const holdsIt = lag !== undefined && lag.offsetLag === 0 && lag.endOffsetPosition > 0; // the insert's changelog record
    return holdsIt && r.rows[0]?.[1] === 1 ? { active: e.active, standby: e.standbys[0]! } : undefined;
  }, 60_000);
  const A = s.find((x) => x.host === active)!;
  const B = s.find((x) => x.host === standby)!;
  const C = s.find((x) => x !== A && x !== B)!;

  // Freeze B, advance A by three separate commits, wait until B's reported lag stops growing.
  c.fault(B, 'freeze');
  await sleep(300);
  for (const v of [10, 20, 30]) {
    await ksql(C, `INSERT INTO E (K, V) VALUES ('k', ${v});`);
    await sleep(300);
  }
  await waitFor('A has the new value', async () => (await pull(A, Q, { 'ksql.query.pull.enable.standby.reads': false })).rows[0]?.[1] === 61, 30_000);
  await c.kill(A);
  await waitFor('A dead in C\'s view', async () => (await clusterStatus(C))[A.host]?.hostAlive === false, 10_000, 50);
  let lag = -1;
  await waitFor('B\'s lag report stable and positive', async () => {
    const l = (await storeLags(C)).get(B.host)?.get(0)?.offsetLag ?? -1;
    const stable = l > 0 && l === lag;
    lag = l;
    return stable;
  }, 10_000, 400);

  // Offset-lag bound.
  const okLag = await pull(C, Q, { 'ksql.query.pull.max.allowed.offset.lag': lag });
  assert.equal(okLag.status, 200, okLag.error);
  assert.deepEqual(okLag.rows, [['k', 1]], 'the stale row from the frozen standby');
  assert.deepEqual(okLag.servedBy.map((x) => [x.host, x.role, x.offsetLag]), [[B.host, 'standby', lag]]);
  const noLag = await pull(C, Q, { 'ksql.query.pull.max.allowed.offset.lag': lag - 1 });
  assert.equal(noLag.status, 503);
  assert.match(noLag.error!, /^Unable to execute pull query\. \[Partition 0 failed to find valid host\. Hosts scanned: \[/);
  assert.ok(noLag.error!.includes(`${A.host} was not selected because Host is not alive as of time`), noLag.error);
  assert.ok(noLag.error!.includes(`${B.host} was not selected because Host excluded because lag ${lag} exceeds maximum allowed lag ${lag - 1}.`), noLag.error);

  // Staleness bound: the answer says how stale it is; a bound below that is refused.
  const okTime = await pull(C, Q, { 'ksql.query.pull.max.allowed.staleness.ms': 600_000 });
  assert.equal(okTime.status, 200, okTime.error);
  assert.deepEqual(okTime.rows, [['k', 1]]);
  const staleness = okTime.servedBy[0]!.stalenessMs!;
  assert.ok(staleness >= 900, `staleness ${staleness} ms covers the three commits B missed`);
  const noTime = await pull(C, Q, { 'ksql.query.pull.max.allowed.staleness.ms': 500 });
  assert.equal(noTime.status, 503);
  assert.ok(noTime.error!.includes(`${A.host} was not selected because Host is not alive as of time`), noTime.error);
  assert.match(noTime.error!, new RegExp(`${B.host.replaceAll('.', '\\.')} was not selected because Host excluded because staleness \\d+ ms exceeds maximum allowed staleness 500 ms\\.`));

  // Unfrozen, B catches up and serves the current value within any bound.
  c.fault(B);
  await waitFor('B caught up', async () => {
    const r = await pull(C, Q, { 'ksql.query.pull.max.allowed.offset.lag': 0 });
    return r.status === 200 && r.rows[0]?.[1] === 61;
  }, 30_000);
});
