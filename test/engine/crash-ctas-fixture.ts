// Shared by crash-recovery.test.ts and its child: the statements (run only where the catalog does
// not already hold their result), the deterministic input and the table it must produce.
import type { EngineApi, Session } from '../../src/engine/engine-api.ts';

export const SOURCE_TOPIC = 'events';
export const SINK_TOPIC = 'TOTALS';
export const USERS = 500;

export const CREATE_STREAM =
  `CREATE STREAM events (user_id VARCHAR, amount INT) WITH (KAFKA_TOPIC='${SOURCE_TOPIC}', PARTITIONS=2, VALUE_FORMAT='JSON');`;
export const CREATE_TABLE =
  'CREATE TABLE totals AS SELECT user_id, COUNT(*) AS cnt, SUM(amount) AS total FROM events GROUP BY user_id EMIT CHANGES;';

/**
 * Creates the stream and the CTAS unless the engine already restored them from its data directory;
 * without a persisted catalog a restart re-executes them, finding their topics, stores and committed
 * offsets in place. Returns the CTAS's query id.
 */
export async function ensureQuery(engine: EngineApi, session: Session): Promise<string> {
  if (!engine.source('EVENTS')) await engine.execute(session, CREATE_STREAM);
  if (!engine.source('TOTALS')) await engine.execute(session, CREATE_TABLE);
  const query = engine.persistentQueries().find((q) => q.sinks.includes('TOTALS'));
  if (!query) throw new Error('the CTAS is not running');
  return query.id;
}

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
