// Scenarios 11 and 3 (ha-reference.md §4) with internal listeners and BASIC authentication on:
// inter-node endpoints and forwarded pull queries are refused on the public listener (40005) while
// peers talk on the internal one (forwarded pulls carry the caller's credentials); a
// server cut off from its peers (not from Kafka) is marked dead by them, and once also fenced by
// Kafka it stops acting as active while the others take over its partitions.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { authHeaders, clusterStatus, kafka, ksql, placement, pull, type ServerProc, settled, TestCluster, waitFor, tearDown, waitUntilKnownEverywhere } from './harness.ts';

const PARTITIONS = 3;
let k: Awaited<ReturnType<typeof kafka>>;
let c: TestCluster;
let s: ServerProc[];
const expected = new Map<string, number>();

async function insert(target: ServerProc, key: string, v: number): Promise<void> {
  await ksql(target, `INSERT INTO E (K, V) VALUES ('${key}', ${v});`);
  expected.set(key, (expected.get(key) ?? 0) + v);
}

async function allRows(from: ServerProc, props: Record<string, unknown> = {}) {
  const r = await pull(from, 'SELECT K, S FROM T;', props);
  if (r.status !== 200) throw new Error(`HTTP ${r.status}: ${r.error}`);
  return { rows: new Map(r.rows.map((row) => [row[0] as string, row[1] as number])), servedBy: r.servedBy };
}

const matches = (got: Map<string, number>) => [...expected].every(([key, v]) => got.get(key) === v);

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: { error_code?: number; message?: string } }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as never };
}

before(async () => {
  k = await kafka();
  c = new TestCluster({ bootstrap: k.bootstrap, serviceId: `iso_${process.pid}_${Date.now() % 100_000}`, internalListener: true, basicAuth: true });
  s = [await c.add(), await c.add(), await c.add()];
  await Promise.all(s.map((x) => c.start(x)));
  await ksql(s[0]!, `CREATE STREAM E (K STRING KEY, V INT) WITH (KAFKA_TOPIC='${c.o.serviceId}_e', VALUE_FORMAT='JSON', PARTITIONS=${PARTITIONS});`);
  await ksql(s[0]!, 'CREATE TABLE T AS SELECT K, SUM(V) AS S FROM E GROUP BY K;', { 'ksql.streams.auto.offset.reset': 'earliest' });
  await waitUntilKnownEverywhere(s, 'E');
  for (let i = 0; i < 9; i++) await insert(s[i % 3]!, `k${i}`, i + 1);
  await waitFor('every row materialized', async () => matches((await allRows(s[0]!)).rows), 60_000);
  await waitFor('cluster settled', () => settled(s[0]!, s, PARTITIONS), 60_000);
}, { timeout: 240_000 });

after(() => tearDown(c, k), { timeout: 60_000 });

test('internal listener: /heartbeat, /lag and forwarded pulls refused on the public listener, peers talk on the internal one', { timeout: 30_000 }, async () => {
  const x = s[0]!;
  const refusal = { '@type': 'generic_error', error_code: 40005, message: "Can't call internal endpoint on public listener" };
  const hb = { hostInfo: 'evil:1', timestamp: Date.now() };
  const lag = { ksqlHost: 'evil:1', hostStoreLags: { stateStoreLags: {}, updateTimeMs: Date.now() }, lastStatusUpdateMs: Date.now() };
  for (const [path, body] of [['/heartbeat', hb], ['/lag', lag]] as const) {
    const r = await post(`http://${x.host}${path}`, body);
    assert.equal(r.status, 400, path);
    assert.deepEqual(r.body, refusal, path);
  }
  const forwarded = { sql: 'SELECT K, S FROM T;', properties: { 'request.ksql.query.pull.partition': '0', 'request.ksql.query.pull.skip.forwarding': 'true' } };
  // (Signed in: authentication comes first, an anonymous call would get 401.)
  const pub = await post(`http://${x.host}/query-stream`, forwarded, authHeaders(x));
  assert.equal(pub.status, 400);
  assert.deepEqual(pub.body, refusal);

  // Users need credentials on either listener; peers' heartbeats need none on the internal one.
  assert.equal((await post(`http://${x.host}/ksql`, { ksql: 'SHOW STREAMS;' })).status, 401);
  assert.equal((await post(`http://${x.peerHost}/query-stream`, { sql: 'SELECT K, S FROM T;' })).status, 401);
  // The same calls on the internal listener are served; peers know each other by it.
  assert.equal((await post(`http://${x.peerHost}/heartbeat`, { hostInfo: s[1]!.peerHost, timestamp: Date.now() })).status, 200);
  const status = await clusterStatus(x);
  assert.deepEqual(Object.keys(status).sort(), s.map((y) => y.peerHost).sort());
  for (const h of Object.values(status)) assert.equal(h.hostAlive, true);
  // A query on a public listener gathers every partition, most of them forwarded to peers.
  const { rows, servedBy } = await allRows(s[1]!);
  assert.ok(matches(rows));
  assert.ok(servedBy.some((p) => p.host !== s[1]!.peerHost), JSON.stringify(servedBy));
});

test('cut off from peers: marked dead, reads move to replicas; once fenced by Kafka it no longer acts as active', { timeout: 120_000 }, async () => {
  const p = await placement(s[0]!);
  const counts = new Map<string, number>();
  for (const e of p.values()) counts.set(e.active, (counts.get(e.active) ?? 0) + 1);
  const victimHost = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
  const A = s.find((x) => x.peerHost === victimHost)!;
  const B = s.find((x) => x !== A)!;
  const itsPartitions = [...p].filter(([, e]) => e.active === victimHost).map(([part]) => part);
  const activeOnly = { 'ksql.query.pull.enable.standby.reads': false };

  // Cut off from its peers only: they mark it dead and read its partitions from standbys.
  c.fault(A, 'peers');
  await waitFor('peers mark A dead', async () => (await clusterStatus(B))[A.peerHost]?.hostAlive === false, 10_000, 100);
  const viaB = await allRows(B);
  assert.ok(matches(viaB.rows));
  assert.ok(viaB.servedBy.every((sp) => sp.host !== A.peerHost), JSON.stringify(viaB.servedBy));
  // Still in the group, A remains the active for its partitions and answers for them itself.
  const own = await pull(A, `SELECT K, S FROM T WHERE K IN (${[...expected.keys()].map((key) => `'${key}'`).join(', ')});`, activeOnly);
  if (own.status === 200) for (const sp of own.servedBy) if (itsPartitions.includes(sp.partition)) assert.equal(sp.role, 'active');

  // Cut off from Kafka too: A fences itself before the group evicts it, and stops acting as active.
  const mark = A.output.length;
  c.fault(A, 'peers', 'kafka');
  await waitFor('A fenced', async () => A.output.slice(mark).includes('membership: fenced'), 15_000, 100);
  await waitFor('A refuses active-only reads of its former partitions', async () => {
    const r = await pull(A, 'SELECT K, S FROM T;', activeOnly);
    return r.status === 503 && itsPartitions.every((part) => r.error!.includes(`Partition ${part} failed`)) ? r : undefined;
  }, 15_000, 200);
  const standbyRead = await pull(A, 'SELECT K, S FROM T;');
  if (standbyRead.status === 200) for (const sp of standbyRead.servedBy) assert.notEqual(sp.role, 'active', JSON.stringify(standbyRead.servedBy));

  // The others take over: new input is processed and served without A.
  await insert(B, 'k0', 100);
  await waitFor('new input visible without A', async () => {
    const r = await allRows(B, activeOnly);
    return matches(r.rows) && r.servedBy.every((sp) => sp.host !== A.peerHost);
  }, 30_000, 200);

  // Healed: A rejoins and the cluster settles with it again.
  c.fault(A);
  await waitFor('A back in the group', async () => [...(await placement(B)).values()].some((e) => e.active === A.peerHost || e.standbys.includes(A.peerHost)), 60_000);
  await waitFor('cluster settled with A back', () => settled(B, s, PARTITIONS), 60_000);
  assert.ok(matches((await allRows(A)).rows));
});
