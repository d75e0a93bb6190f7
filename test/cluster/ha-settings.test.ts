// The one switch: off gives ksqlDB's defaults, on gives working HA, explicit keys always win, and
// lag reporting never silently does nothing for want of heartbeats.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveHaSettings } from '../../src/cluster/ha-settings.ts';

const from = (set: Record<string, string>) => (k: string) => set[k];

test('switch off: ksqlDB defaults (no standbys, no heartbeats, no lag reports, 45 s sessions)', () => {
  const s = resolveHaSettings(from({}));
  assert.deepEqual(
    [s.numStandbyReplicas, s.enableStandbyReads, s.heartbeatEnable, s.lagReportingEnable, s.lagReportingSendIntervalMs, s.sessionTimeoutMs],
    [0, false, false, false, 5000, 45_000],
  );
});

test('switch on: standbys, standby reads, heartbeats and lag reporting, with short intervals', () => {
  const s = resolveHaSettings(from({ 'riffle.ha.enable': 'true' }));
  assert.deepEqual(
    [s.numStandbyReplicas, s.enableStandbyReads, s.heartbeatEnable, s.lagReportingEnable, s.lagReportingSendIntervalMs, s.sessionTimeoutMs],
    [1, true, true, true, 1000, 6000],
  );
  assert.deepEqual([s.heartbeatSendIntervalMs, s.heartbeatCheckIntervalMs, s.heartbeatWindowMs, s.heartbeatMissedThreshold], [100, 200, 2000, 3]);
});

test('explicit keys win over the switch', () => {
  const s = resolveHaSettings(from({ 'riffle.ha.enable': 'true', 'ksql.streams.num.standby.replicas': '2', 'ksql.query.pull.enable.standby.reads': 'false' }));
  assert.equal(s.numStandbyReplicas, 2);
  assert.equal(s.enableStandbyReads, false);
});

test('a member refusing connections is evicted at once unless turned off', () => {
  assert.equal(resolveHaSettings(from({ 'riffle.ha.enable': 'true' })).evictRefusedMembers, true);
  assert.equal(resolveHaSettings(from({ 'riffle.ha.enable': 'true', 'riffle.cluster.evict.refused.members': 'false' })).evictRefusedMembers, false);
});

test('lag reporting without heartbeats: heartbeats turned on, or a note when explicitly off', () => {
  const implied = resolveHaSettings(from({ 'ksql.lag.reporting.enable': 'true' }));
  assert.equal(implied.heartbeatEnable, true);
  assert.match(implied.notes[0]!, /turned on/);
  const off = resolveHaSettings(from({ 'ksql.lag.reporting.enable': 'true', 'ksql.heartbeat.enable': 'false' }));
  assert.equal(off.heartbeatEnable, false);
  assert.match(off.notes[0]!, /no effect/);
});

test('bad values name the key', () => {
  assert.throws(() => resolveHaSettings(from({ 'riffle.ha.enable': 'yes' })), /riffle\.ha\.enable must be true or false, got 'yes'/);
  assert.throws(() => resolveHaSettings(from({ 'riffle.cluster.session.timeout.ms': '500' })), /must be an integer >= 2000/);
});
