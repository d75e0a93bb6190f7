import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BIGINT, DATE, INTEGER, STRING, TIME, TIMESTAMP } from '../../common/sql-type.ts';
import type { ArgInfo } from '../function-types.ts';
import { scalarFunctions } from './index.ts';
import { call } from './test-support.ts';

const s = (v: string) => [STRING, v] as const;

test('FORMAT_TIMESTAMP with Java patterns and zones', () => {
  assert.equal(call('FORMAT_TIMESTAMP', [TIMESTAMP, 1638360611123], s("yyyy-MM-dd'T'HH:mm:ss.SSS")), '2021-12-01T12:10:11.123');
  assert.equal(call('FORMAT_TIMESTAMP', [TIMESTAMP, 1638360611123], s('yyyy-MM-dd HH:mm:ss zzz'), s('America/Los_Angeles')), '2021-12-01 04:10:11 PST');
  assert.equal(call('FORMAT_TIMESTAMP', [TIMESTAMP, 0], s('EEE, d MMM yyyy hh:mm a XXX'), s('+05:30')), 'Thu, 1 Jan 1970 05:30 AM +05:30');
  assert.equal(call('TIMESTAMPTOSTRING', [BIGINT, 1526075913000n], s("yyyy-MM-dd''HH:mm"), s('UTC')), "2018-05-11'21:58");
  assert.throws(() => call('FORMAT_TIMESTAMP', [TIMESTAMP, 0], s('yyyy'), s('Nowhere/Land')), /Failed to format timestamp/);
});

test('PARSE_TIMESTAMP defaults missing fields and honours zones', () => {
  assert.equal(call('PARSE_TIMESTAMP', s('2021-12-01 12:10:11.123'), s('yyyy-MM-dd HH:mm:ss.SSS')), 1638360611123);
  assert.equal(call('PARSE_TIMESTAMP', s('2021-12-01 04:10:11'), s('yyyy-MM-dd HH:mm:ss'), s('America/Los_Angeles')), 1638360611000);
  assert.equal(call('PARSE_TIMESTAMP', s('2021-12-01T12:10:11+0100'), s("yyyy-MM-dd'T'HH:mm:ssZ")), 1638357011000);
  assert.equal(call('PARSE_TIMESTAMP', s('20211201'), s('yyyyMMdd')), 1638316800000);
  assert.equal(call('PARSE_TIMESTAMP', s('10:00'), s('HH:mm')), 36000000);
  assert.equal(call('STRINGTOTIMESTAMP', s('2018-05-11 21:58:33'), s('yyyy-MM-dd HH:mm:ss')), 1526075913000n);
  assert.throws(() => call('PARSE_TIMESTAMP', s('2021-13-01'), s('yyyy-MM-dd')), /Failed to parse timestamp '2021-13-01'/);
});

test('dates and times', () => {
  assert.equal(call('FORMAT_DATE', [DATE, 18000], s('yyyy-MM-dd')), '2019-04-14');
  assert.equal(call('PARSE_DATE', s('2019-04-14'), s('yyyy-MM-dd')), 18000);
  // Like ksqlDB, PARSE_DATE reads the pattern from the start and ignores what follows.
  assert.equal(call('PARSE_DATE', s('2003-12-24-01-01'), s('yyyy-MM-dd')), 12410);
  assert.throws(() => call('PARSE_DATE', s('2004'), s('yyyy-MM-dd')), /Failed to parse date '2004'/);
  assert.throws(() => call('PARSE_DATE', s('2019-04-14 10'), s('yyyy-MM-dd HH')), /Date format contains time field/);
  assert.equal(call('FORMAT_TIME', [TIME, 33360000], s('HH:mm:ss')), '09:16:00');
  assert.equal(call('PARSE_TIME', s('09:16'), s('HH:mm')), 33360000);
  assert.throws(() => call('FORMAT_TIME', [TIME, 0], s('yyyy')), /Failed to format time 00:00/);
  assert.equal(call('DATETOSTRING', [INTEGER, 18000], s('dd/MM/yy')), '14/04/19');
  assert.equal(call('STRINGTODATE', s('14/04/19'), s('dd/MM/yy')), 18000);
  assert.equal(call('CONVERT_TZ', [TIMESTAMP, 1638360611000], s('UTC'), s('America/Los_Angeles')), 1638360611000 - 8 * 3600000);
});

test('unit arithmetic: TIMEADD wraps, DATEADD truncates toward zero', () => {
  const f = (name: string) => scalarFunctions.find((x) => x.doc.name === name)!;
  const unit: ArgInfo = { type: { kind: 'timeUnit' } };
  const run = (name: string, u: string, n: number, t: typeof TIME, v: number) => {
    const r = f(name).resolve([unit, { type: { kind: 'value', type: INTEGER } }, { type: { kind: 'value', type: t } }]);
    assert.ok(!('error' in r), JSON.stringify(r));
    return r.invoke([u, n, v]);
  };
  assert.equal(run('TIMEADD', 'HOURS', 2, TIME, 23 * 3600000), 3600000);
  assert.equal(run('TIMESUB', 'MINUTES', 1, TIME, 0), 86400000 - 60000);
  assert.equal(run('DATEADD', 'DAYS', 2, DATE, 10), 12);
  assert.equal(run('DATESUB', 'HOURS', 1, DATE, 1), 0);
  assert.equal(run('TIMESTAMPADD', 'SECONDS', 5, TIMESTAMP, 1000), 6000);
  const bad = f('TIMEADD').resolve([unit, { type: { kind: 'value', type: INTEGER } }, { type: { kind: 'value', type: TIMESTAMP } }]);
  assert.ok('error' in bad && bad.error.startsWith("Function 'timeadd' does not accept parameters (INTERVALUNIT, INTEGER, TIMESTAMP)."));
});
