// The leader's decision from JoinGroup metadata, without a broker: stickiness rebuilt from what
// members own, a disputed active resolved by generation, one identity per host, encodings round-trip.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeGroupAssignment,
  decodeMemberMetadata,
  encodeGroupAssignment,
  encodeMemberMetadata,
  leaderAssignment,
  type MemberMetadata,
  membershipGroupId,
} from '../../src/cluster/group-messages.ts';

const meta = (host: string, generation: number, active: string[], standby: string[] = [], tasks = ['t1', 't2']): MemberMetadata => ({
  version: 1,
  host,
  generation,
  owned: { active, standby, warmup: [] },
  lags: Object.fromEntries([...active, ...standby].map((t) => [t, { offsetLag: 0, timeLagMs: 0 }])),
  tasks,
});

describe('leaderAssignment', () => {
  test('a new leader keeps what members own (sticky without the old leader)', () => {
    const out = leaderAssignment({
      generation: 7,
      leaderHost: 'b:1',
      members: [
        { memberId: 'm-a', metadata: meta('a:1', 6, ['t2'], ['t1']) },
        { memberId: 'm-b', metadata: meta('b:1', 6, ['t1'], ['t2']) },
      ],
      numStandbys: 1,
    });
    assert.deepEqual(out.assignment.tasks, {
      t1: { active: 'b:1', standbys: ['a:1'], warmups: [] },
      t2: { active: 'a:1', standbys: ['b:1'], warmups: [] },
    });
    assert.deepEqual(out.members, [
      { memberId: 'm-a', host: 'a:1' },
      { memberId: 'm-b', host: 'b:1' },
    ]);
  });

  test('a disputed active goes to the newest generation; a zombie claim is ignored', () => {
    const out = leaderAssignment({
      generation: 9,
      leaderHost: 'a:1',
      members: [
        { memberId: 'm-a', metadata: meta('a:1', 8, ['t1', 't2']) },
        // z was cut off at generation 3 and has fallen far behind since.
        { memberId: 'm-z', metadata: { ...meta('z:1', 3, ['t1']), lags: { t1: { offsetLag: 50_000, timeLagMs: 60_000 } } } },
      ],
      numStandbys: 0,
    });
    assert.equal(out.assignment.tasks.t1!.active, 'a:1');
    assert.equal(out.assignment.tasks.t2!.active, 'a:1');
  });

  test('a restarted server with a stale member id still in the group counts once', () => {
    const out = leaderAssignment({
      generation: 4,
      leaderHost: 'a:1',
      members: [
        { memberId: 'old', metadata: meta('a:1', 2, ['t1', 't2']) },
        { memberId: 'new', metadata: meta('a:1', 3, ['t1', 't2']) },
        { memberId: 'm-b', metadata: meta('b:1', 3, []) },
      ],
      numStandbys: 1,
    });
    for (const p of Object.values(out.assignment.tasks)) assert.equal(p.standbys.length, 1);
    assert.deepEqual(Object.keys(out.assignment.tasks).sort(), ['t1', 't2']);
  });

  test('tasks known to any member are assigned', () => {
    const out = leaderAssignment({
      generation: 1,
      leaderHost: 'a:1',
      members: [
        { memberId: 'm-a', metadata: meta('a:1', -1, [], [], ['t1']) },
        { memberId: 'm-b', metadata: meta('b:1', -1, [], [], ['t1', 't9']) },
      ],
      numStandbys: 0,
    });
    assert.deepEqual(Object.keys(out.assignment.tasks).sort(), ['t1', 't9']);
  });

  test('encodings round-trip and reject foreign bytes', () => {
    const m = meta('a:1', 1, ['t1']);
    assert.deepEqual(decodeMemberMetadata(encodeMemberMetadata(m)), m);
    const g = leaderAssignment({ generation: 1, leaderHost: 'a:1', members: [{ memberId: 'x', metadata: m }], numStandbys: 0 });
    assert.deepEqual(decodeGroupAssignment(encodeGroupAssignment(g)), g);
    assert.throws(() => decodeMemberMetadata(Buffer.from('{"version":2}')), /Unsupported Riffle member metadata/);
    assert.equal(membershipGroupId('default_'), '_riffle-default_-membership');
  });
});
