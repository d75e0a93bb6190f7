// Shared by crash-recovery.test.ts and its child: the statements, and the deterministic input
// (user and amount of record i) with the table it must produce.

export const SOURCE_TOPIC = 'events';
export const SINK_TOPIC = 'TOTALS';
export const USERS = 500;

export const CREATE_STREAM =
  `CREATE STREAM events (user_id VARCHAR, amount INT) WITH (KAFKA_TOPIC='${SOURCE_TOPIC}', PARTITIONS=2, VALUE_FORMAT='JSON');`;
export const CRASH_STATEMENTS = `${CREATE_STREAM}
  CREATE TABLE totals AS SELECT user_id, COUNT(*) AS cnt, SUM(amount) AS total FROM events GROUP BY user_id EMIT CHANGES;`;

export function userOf(i: number): string {
  return `u${(i * 37) % USERS}`;
}

export function amountOf(i: number): number {
  return (i % 97) + 1;
}

/** user -> [count, sum] over records 0..n-1. */
export function expectedTable(n: number): Map<string, [number, number]> {
  const out = new Map<string, [number, number]>();
  for (let i = 0; i < n; i++) {
    const e = out.get(userOf(i)) ?? [0, 0];
    out.set(userOf(i), [e[0] + 1, e[1] + amountOf(i)]);
  }
  return out;
}
