// Date and time functions over TIMESTAMP (epoch ms), DATE (epoch days) and TIME (ms of day):
// formatting/parsing with Java patterns, time-zone conversion and unit arithmetic, plus the
// deprecated BIGINT/INT based STRINGTOTIMESTAMP family.

import type { SqlType } from '../../common/sql-type.ts';
import { BIGINT, DATE, INTEGER, STRING, TIME, TIMESTAMP } from '../../common/sql-type.ts';
import type { ScalarFunction } from '../function-types.ts';
import { P } from '../signature.ts';
import { defineScalar, strict } from './define.ts';
import {
  formatEpochDay, formatIsoDate, formatIsoTime, formatTimeOfDay, formatTimestampMs,
  parseEpochDay, parseTimeOfDay, parseTimestampMs, resolveZone, zoneOffsetMs,
} from './java-time-format.ts';

const DAY_MS = 86_400_000;

const UNIT_MS: Record<string, number> = {
  NANOSECONDS: 1e-6, MICROSECONDS: 1e-3, MILLISECONDS: 1, SECONDS: 1000, MINUTES: 60_000, HOURS: 3_600_000, DAYS: DAY_MS,
};

/** java.util.concurrent.TimeUnit named by the bare unit argument (singular forms accepted too). */
function unitMillis(unit: unknown): number {
  const u = String(unit).toUpperCase();
  const ms = UNIT_MS[u] ?? UNIT_MS[u + 'S'];
  if (ms === undefined) throw new Error(`Unknown time unit: ${String(unit)}`);
  return ms;
}

/** TimeUnit.toMillis(interval): sub-millisecond units truncate toward zero. */
function toMillis(unit: unknown, interval: number): number {
  return Math.trunc(unitMillis(unit) * interval);
}

function wrap<T>(message: () => string, body: () => T): T {
  try {
    return body();
  } catch (e) {
    throw new Error(`${message()}: ${(e as Error).message}`, { cause: e });
  }
}

function timeUnitFn(name: string, target: SqlType, sign: 1 | -1, apply: (value: number, deltaMs: number) => number): ScalarFunction {
  const p = target === DATE ? P.DATE : target === TIME ? P.TIME : P.TIMESTAMP;
  return defineScalar({
    name, category: 'DATE / TIME',
    description: `${sign > 0 ? 'Adds' : 'Subtracts'} a duration to a ${target.kind}.`,
    overloads: [{
      params: [P.TIME_UNIT, P.INT, p], names: ['unit', 'interval', name.startsWith('DATE') ? 'date' : name.startsWith('TIMESTAMP') ? 'timestamp' : 'time'], returns: target,
      invoke: strict((a) => apply(a[2] as number, sign * toMillis(a[0], a[1] as number))),
    }],
  });
}

const formatTsMsg = (a: unknown[], zoned: boolean): string =>
  `Failed to format timestamp ${formatJavaTimestamp(a[0] as number)}${zoned ? ` at timeZone '${String(a[2])}'` : ''} with formatter '${String(a[1])}'`;

/** java.sql.Timestamp.toString(): yyyy-mm-dd hh:mm:ss.f in the JVM zone (UTC here). */
function formatJavaTimestamp(ms: number): string {
  const s = formatTimestampMs(ms, 'yyyy-MM-dd HH:mm:ss.SSS');
  return s.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '.0');
}

export const datetimeFunctions: readonly ScalarFunction[] = [
  defineScalar({
    name: 'CONVERT_TZ', category: 'DATE / TIME', description: 'Converts a TIMESTAMP value from one time zone to another.',
    overloads: [{
      params: [P.TIMESTAMP, P.STRING, P.STRING], names: ['timestamp', 'fromTimeZone', 'toTimeZone'], returns: TIMESTAMP,
      invoke: strict((a) => {
        const ts = a[0] as number;
        const [from, to] = wrap(() => 'Invalid time zone', () => [resolveZone(a[1] as string), resolveZone(a[2] as string)]);
        return ts + zoneOffsetMs(to, ts) - zoneOffsetMs(from, ts);
      }),
    }],
  }),
  timeUnitFn('DATEADD', DATE, 1, (d, ms) => Math.trunc((d * DAY_MS + ms) / DAY_MS)),
  timeUnitFn('DATESUB', DATE, -1, (d, ms) => Math.trunc((d * DAY_MS + ms) / DAY_MS)),
  defineScalar({
    name: 'FORMAT_DATE', category: 'DATE / TIME', description: 'Converts a DATE value into a string representing the date in the given format.',
    overloads: [{
      params: [P.DATE, P.STRING], names: ['date', 'formatPattern'], returns: STRING,
      invoke: strict((a) => wrap(() => `Failed to format date ${formatIsoDate(a[0] as number)} with formatter '${a[1] as string}'`, () => formatEpochDay(a[0] as number, a[1] as string))),
    }],
  }),
  defineScalar({
    name: 'FORMAT_TIME', category: 'DATE / TIME', description: 'Converts a TIME value into the string representation of the time in the given format.',
    overloads: [{
      params: [P.TIME, P.STRING], names: ['time', 'formatPattern'], returns: STRING,
      invoke: strict((a) => wrap(() => `Failed to format time ${formatIsoTime(a[0] as number)} with formatter '${a[1] as string}'`, () => formatTimeOfDay(a[0] as number, a[1] as string))),
    }],
  }),
  defineScalar({
    name: 'FORMAT_TIMESTAMP', category: 'DATE / TIME', description: 'Converts a TIMESTAMP value into the string representation of the timestamp in the given format.',
    overloads: [
      {
        params: [P.TIMESTAMP, P.STRING], names: ['timestamp', 'formatPattern'], returns: STRING,
        invoke: strict((a) => wrap(() => formatTsMsg([a[0], a[1], 'GMT'], true), () => formatTimestampMs(a[0] as number, a[1] as string, 'UTC'))),
      },
      {
        params: [P.TIMESTAMP, P.STRING, P.STRING], names: ['timestamp', 'formatPattern', 'timeZone'], returns: STRING,
        invoke: strict((a) => wrap(() => formatTsMsg(a, true), () => formatTimestampMs(a[0] as number, a[1] as string, a[2] as string))),
      },
    ],
  }),
  defineScalar({
    name: 'FROM_DAYS', category: 'DATE / TIME', description: 'Converts an INT number of days since epoch to a DATE value.',
    overloads: [{ params: [P.INT], names: ['days'], returns: DATE, invoke: strict((a) => a[0]) }],
  }),
  defineScalar({
    name: 'FROM_UNIXTIME', category: 'DATE / TIME', description: 'Converts a BIGINT millisecond timestamp value into a TIMESTAMP value.',
    overloads: [{ params: [P.BIGINT], names: ['epochMilli'], returns: TIMESTAMP, invoke: strict((a) => Number(a[0] as bigint)) }],
  }),
  defineScalar({
    name: 'PARSE_DATE', category: 'DATE / TIME', description: 'Converts a string representation of a date in the given format into a DATE value.',
    overloads: [{
      params: [P.STRING, P.STRING], names: ['formattedDate', 'formatPattern'], returns: DATE,
      invoke: strict((a) => wrap(() => `Failed to parse date '${a[0] as string}' with formatter '${a[1] as string}'`, () => {
        const r = parseEpochDay(a[0] as string, a[1] as string, true);
        if (r.hasTime) throw new Error('Date format contains time field.');
        return r.days;
      })),
    }],
  }),
  defineScalar({
    name: 'PARSE_TIME', category: 'DATE / TIME', description: 'Converts a string representation of a time in the given format into a TIME value.',
    overloads: [{
      params: [P.STRING, P.STRING], names: ['formattedTime', 'formatPattern'], returns: TIME,
      invoke: strict((a) => wrap(() => `Failed to parse time '${a[0] as string}' with formatter '${a[1] as string}'`, () => parseTimeOfDay(a[0] as string, a[1] as string))),
    }],
  }),
  defineScalar({
    name: 'PARSE_TIMESTAMP', category: 'DATE / TIME', description: 'Converts a string value in the given format into a TIMESTAMP value.',
    overloads: [
      {
        params: [P.STRING, P.STRING], names: ['formattedTimestamp', 'formatPattern'], returns: TIMESTAMP,
        invoke: strict((a) => wrap(() => `Failed to parse timestamp '${a[0] as string}' at timezone 'GMT' with formatter '${a[1] as string}'`, () => parseTimestampMs(a[0] as string, a[1] as string, 'UTC'))),
      },
      {
        params: [P.STRING, P.STRING, P.STRING], names: ['formattedTimestamp', 'formatPattern', 'timeZone'], returns: TIMESTAMP,
        invoke: strict((a) => wrap(() => `Failed to parse timestamp '${a[0] as string}' at timezone '${a[2] as string}' with formatter '${a[1] as string}'`, () => parseTimestampMs(a[0] as string, a[1] as string, a[2] as string))),
      },
    ],
  }),
  timeUnitFn('TIMEADD', TIME, 1, (t, ms) => (((t + ms) % DAY_MS) + DAY_MS) % DAY_MS),
  timeUnitFn('TIMESUB', TIME, -1, (t, ms) => (((t + ms) % DAY_MS) + DAY_MS) % DAY_MS),
  timeUnitFn('TIMESTAMPADD', TIMESTAMP, 1, (ts, ms) => ts + ms),
  timeUnitFn('TIMESTAMPSUB', TIMESTAMP, -1, (ts, ms) => ts + ms),
  defineScalar({
    name: 'UNIX_DATE', category: 'DATE / TIME', description: 'Returns the number of days since 1970-01-01 for the given DATE, or today.',
    overloads: [
      { params: [], returns: INTEGER, invoke: () => Math.floor(Date.now() / DAY_MS) },
      { params: [P.DATE], names: ['date'], returns: INTEGER, invoke: strict((a) => a[0]) },
    ],
  }),
  defineScalar({
    name: 'UNIX_TIMESTAMP', category: 'DATE / TIME', description: 'Returns the milliseconds since the epoch of the given TIMESTAMP, or now.',
    overloads: [
      { params: [], returns: BIGINT, invoke: () => BigInt(Date.now()) },
      { params: [P.TIMESTAMP], names: ['timestamp'], returns: BIGINT, invoke: strict((a) => BigInt(a[0] as number)) },
    ],
  }),
  // Deprecated forms over INT days and BIGINT milliseconds.
  defineScalar({
    name: 'DATETOSTRING', category: 'DATE / TIME', description: 'Converts an INT date value (days since epoch) into a string in the given format.',
    overloads: [{
      params: [P.INT, P.STRING], names: ['epochDays', 'formatPattern'], returns: STRING,
      invoke: (a) => (a[1] === null || a[0] === null ? null : wrap(() => `Failed to format date ${a[0] as number} with formatter '${a[1] as string}'`, () => formatEpochDay(a[0] as number, a[1] as string))),
    }],
  }),
  defineScalar({
    name: 'STRINGTODATE', category: 'DATE / TIME', description: 'Converts a string in the given format into an INT number of days since epoch.',
    overloads: [{
      params: [P.STRING, P.STRING], names: ['formattedDate', 'formatPattern'], returns: INTEGER,
      invoke: strict((a) => wrap(() => `Failed to parse date '${a[0] as string}' with formatter '${a[1] as string}'`, () => parseEpochDay(a[0] as string, a[1] as string).days)),
    }],
  }),
  defineScalar({
    name: 'STRINGTOTIMESTAMP', category: 'DATE / TIME', description: 'Converts a string in the given format into a BIGINT millisecond timestamp.',
    overloads: [
      {
        params: [P.STRING, P.STRING], names: ['formattedTimestamp', 'formatPattern'], returns: BIGINT,
        invoke: strict((a) => BigInt(wrap(() => `Failed to parse timestamp '${a[0] as string}' with formatter '${a[1] as string}'`, () => parseTimestampMs(a[0] as string, a[1] as string, 'UTC')))),
      },
      {
        params: [P.STRING, P.STRING, P.STRING], names: ['formattedTimestamp', 'formatPattern', 'timeZone'], returns: BIGINT,
        invoke: strict((a) => BigInt(wrap(() => `Failed to parse timestamp '${a[0] as string}' at timezone '${a[2] as string}' with formatter '${a[1] as string}'`, () => parseTimestampMs(a[0] as string, a[1] as string, a[2] as string)))),
      },
    ],
  }),
  defineScalar({
    name: 'TIMESTAMPTOSTRING', category: 'DATE / TIME', description: 'Converts a BIGINT millisecond timestamp into a string in the given format.',
    overloads: [
      {
        params: [P.BIGINT, P.STRING], names: ['epochMilli', 'formatPattern'], returns: STRING,
        invoke: (a) => (a[1] === null || a[0] === null ? null : wrap(() => `Failed to format timestamp ${String(a[0])} with formatter '${a[1] as string}'`, () => formatTimestampMs(Number(a[0] as bigint), a[1] as string, 'UTC'))),
      },
      {
        params: [P.BIGINT, P.STRING, P.STRING], names: ['epochMilli', 'formatPattern', 'timeZone'], returns: STRING,
        invoke: (a) => (a[0] === null || a[1] === null || a[2] === null ? null : wrap(() => `Failed to format timestamp ${String(a[0])} at timeZone '${a[2] as string}' with formatter '${a[1] as string}'`, () => formatTimestampMs(Number(a[0] as bigint), a[1] as string, a[2] as string))),
      },
    ],
  }),
];

