// The seam between the RQTT executor and whatever answers /ksql and /query: the HTTP driver
// (rest-driver-http.ts, the default) talks to the real server; the engine driver
// (rest-driver-engine.ts, --rqtt-driver engine) calls the EngineApi directly for debugging.

import type { JsonValue } from './json.ts';
import type { CaughtError } from './negative.ts';

export interface RestError extends CaughtError {
  readonly status: number;
  /** `KsqlStatementErrorMessage` or `KsqlErrorMessage` (the @type of ksqlDB's error entity). */
  readonly type: string;
}

export type KsqlResult = { readonly ok: true; readonly entities: readonly JsonValue[] } | { readonly ok: false; readonly error: RestError };
export type QueryResult = { readonly ok: true; readonly rows: readonly JsonValue[] } | { readonly ok: false; readonly error: RestError };

export interface QueryOptions {
  /** Stop reading once this many StreamedRows (header and rows) arrived; push queries never end on their own. */
  readonly maxElements: number;
  /** Runs once the header arrived (waitForActivePushQuery: produce the inputs then). */
  readonly afterHeader?: () => Promise<void>;
}

export interface RestDriver {
  /** POST /ksql with one request holding all the statements; `properties` are streamsProperties. */
  ksql(sql: string, properties: Readonly<Record<string, string>>): Promise<KsqlResult>;
  /** POST /query; the parsed StreamedRow lines (header, rows, finalMessage). */
  query(sql: string, properties: Readonly<Record<string, string>>, options: QueryOptions): Promise<QueryResult>;
}
