// MembershipView driven by a fake clock: up, down, up again at ksqlDB's default cadence; the sender's
// clock (skewed by hours either way) never matters; dead members are pruned after the TTL.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MembershipView } from '../../src/cluster/liveness.ts';

/** A fake clock plus a peer that heartbeats every `every` ms while `up`. */
function harness(options: { skewMs?: number } = {}) {
  const view = new MembershipView({ localHost: 'me:8088', deadMemberTtlMs: 60_000 });
  let now = 1_000_000;
  let up = true;
  let nextBeat = now;
  const every = view.config.sendIntervalMs;
  const transitions: string[] = [];
  /** Advances the clock in 10 ms steps, delivering heartbeats and running checks on schedule. */
  const advance = (ms: number) => {
    const end = now + ms;
    let nextCheck = now - (now % view.config.checkIntervalMs) + view.config.checkIntervalMs;
    for (; now <= end; now += 10) {
      if (up && now >= nextBeat) {
        view.onHeartbeat('peer:8088', now, now + (options.skewMs ?? 0));
        nextBeat = now + every;
      }
      if (now >= nextCheck) {
        for (const c of view.check(now)) transitions.push(`${c.alive ? 'up' : 'down'}@${now}`);
        nextCheck += view.config.checkIntervalMs;
      }
    }
    now = end;
  };
  return {
    view,
    advance,
    transitions,
    now: () => now,
    stop: () => (up = false),
    start: () => {
      up = true;
      nextBeat = now;
    },
  };
}

describe('MembershipView', () => {
  test('up, down, up again: death detected within 0.3-0.5 s, recovery at the next check', () => {
    const h = harness();
    h.advance(1000);
    assert.equal(h.view.status('peer:8088', h.now())?.hostAlive, true);
    const stoppedAt = h.now();
    h.stop();
    h.advance(1000);
    assert.equal(h.view.status('peer:8088', h.now())?.hostAlive, false);
    const downAt = Number(h.transitions.find((t) => t.startsWith('down'))!.split('@')[1]);
    assert.ok(downAt - stoppedAt >= 300 && downAt - stoppedAt <= 500, `detected after ${downAt - stoppedAt} ms`);
    const restartedAt = h.now();
    h.start();
    h.advance(1000);
    assert.equal(h.view.status('peer:8088', h.now())?.hostAlive, true);
    const upAgain = Number(h.transitions.filter((t) => t.startsWith('up')).at(-1)!.split('@')[1]);
    assert.ok(upAgain - restartedAt <= 200, `back up after ${upAgain - restartedAt} ms`);
    assert.deepEqual(h.transitions.map((t) => t.split('@')[0]), ['up', 'down', 'up']);
  });

  test('isAlive follows the rule exactly: three whole missed intervals mean dead', () => {
    const view = new MembershipView({ localHost: 'me:8088' });
    view.onHeartbeat('p:1', 10_000);
    assert.equal(view.isAlive('p:1', 10_000), true);
    assert.equal(view.isAlive('p:1', 10_300), true); // floor(299 / 100) = 2 missed
    assert.equal(view.isAlive('p:1', 10_301), false); // 3 missed
    assert.equal(view.isAlive('p:1', 9_999), false, 'a heartbeat from the future of `now` does not count');
    const wide = new MembershipView({ localHost: 'me:8088', missedThreshold: 100, windowMs: 2000 });
    wide.onHeartbeat('p:1', 10_000);
    assert.equal(wide.isAlive('p:1', 12_000 - 1), true);
    assert.equal(wide.isAlive('p:1', 12_000), false, 'no heartbeat inside the window');
  });

  test('clock skew of the sender kills nobody, in either direction', () => {
    for (const skewMs of [-3 * 3600_000, -2500, 2500, 5 * 3600_000]) {
      const h = harness({ skewMs });
      h.advance(5000);
      assert.equal(h.view.status('peer:8088', h.now())?.hostAlive, true, `skew ${skewMs}`);
      assert.deepEqual(h.transitions.map((t) => t.split('@')[0]), ['up'], `skew ${skewMs}`);
      assert.equal(h.view.status('peer:8088', h.now())?.lastSenderTimestampMs, h.view.status('peer:8088', h.now())!.lastHeartbeatReceivedMs! + skewMs);
    }
  });

  test('a host discovered but never heard from is dead; the local host is always alive', () => {
    const view = new MembershipView({ localHost: 'me:8088' });
    view.addHost('quiet:8088', 0);
    view.check(100);
    assert.equal(view.status('quiet:8088', 100)?.hostAlive, false);
    assert.equal(view.isAlive('me:8088', 100), true);
    assert.deepEqual(view.aliveHosts(), ['me:8088']);
    assert.equal(view.status('unknown:1', 100), undefined);
  });

  test('dead members are pruned after the TTL; live ones and the local host never', () => {
    const view = new MembershipView({ localHost: 'me:8088', deadMemberTtlMs: 10_000 });
    view.onHeartbeat('gone:1', 1000);
    view.addHost('never:1', 1000);
    view.onHeartbeat('live:1', 1000);
    for (let t = 1100; t <= 11_000; t += 100) view.onHeartbeat('live:1', t);
    assert.deepEqual(view.prune(10_999), []);
    assert.deepEqual(view.prune(11_000), ['gone:1', 'never:1']);
    assert.deepEqual(view.hosts(), ['live:1', 'me:8088']);
    view.removeHost('live:1');
    assert.deepEqual(view.hosts(), ['me:8088']);
  });

  test('a failed connection makes a host dead at once, until its next heartbeat', () => {
    const h = harness();
    h.advance(1000);
    assert.equal(h.view.status('peer:8088', h.now())?.hostAlive, true);
    assert.equal(h.view.markedUnreachable('peer:8088'), false);
    // The call fails between two heartbeats: dead now, with no missed-heartbeat wait.
    const failedAt = h.now();
    assert.equal(h.view.markUnreachable('peer:8088', failedAt), true);
    assert.deepEqual(h.view.status('peer:8088', failedAt), { ...h.view.status('peer:8088', failedAt)!, hostAlive: false, lastStatusUpdateMs: failedAt });
    assert.equal(h.view.markedUnreachable('peer:8088'), true);
    assert.equal(h.view.markUnreachable('peer:8088', failedAt), false, 'already dead');
    // Checks before the next heartbeat keep it dead (its earlier heartbeats no longer count).
    h.view.check(failedAt);
    assert.equal(h.view.status('peer:8088', failedAt)?.hostAlive, false);
    // It was only a blip: the next heartbeat and check bring it back.
    h.advance(300);
    assert.equal(h.view.status('peer:8088', h.now())?.hostAlive, true);
    assert.equal(h.view.markedUnreachable('peer:8088'), false);
    assert.equal(h.view.markUnreachable('unknown:1', h.now()), false, 'unknown hosts stay unknown');
    assert.equal(h.view.status('unknown:1', h.now()), undefined);
  });

  test('heartbeats delivered out of order still count by receipt time', () => {
    const view = new MembershipView({ localHost: 'me:8088' });
    view.onHeartbeat('p:1', 5000);
    view.onHeartbeat('p:1', 4900);
    assert.equal(view.isAlive('p:1', 5250), true);
    assert.equal(view.status('p:1', 5250)?.lastHeartbeatReceivedMs, 5000);
  });
});
