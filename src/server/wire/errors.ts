// ksqlDB's error bodies (KsqlErrorMessage / KsqlStatementErrorMessage, always with `@type`) and the
// mapping from our errors to them. The HTTP status is the error code / 100.

import { KsqlError } from '../../common/errors.ts';

export const BAD_REQUEST = 40000;
export const BAD_STATEMENT = 40001;
export const QUERY_ENDPOINT = 40002;
export const MAX_PUSH_QUERIES_EXCEEDED = 40003;
export const HTTP2_ONLY = 40004;
export const NOT_FOUND = 40400;
export const PAYLOAD_TOO_LARGE = 41300;
export const SERVER_ERROR = 50000;
export const SERVER_SHUTTING_DOWN = 50303;

export const INTERNAL_ERROR_MESSAGE =
  'The server encountered an internal error when processing the query. Please consult the server logs for more information.';

export const QUERY_ENDPOINT_MESSAGE =
  "The following statement types should be issued to the websocket endpoint '/query':\n\t* PRINT\n\t* SELECT";

export interface GenericErrorJson {
  readonly '@type': 'generic_error';
  readonly error_code: number;
  readonly message: string;
}

export interface StatementErrorJson {
  readonly '@type': 'statement_error';
  readonly error_code: number;
  readonly message: string;
  readonly statementText: string;
  readonly entities: readonly unknown[];
}

export type ErrorJson = GenericErrorJson | StatementErrorJson;

/** An error ready to send: status plus body. */
export interface WireError {
  readonly status: number;
  readonly body: ErrorJson;
}

export function genericError(code: number, message: string): GenericErrorJson {
  return { '@type': 'generic_error', error_code: code, message };
}

export function statementError(code: number, message: string, statementText: string, entities: readonly unknown[] = []): StatementErrorJson {
  return { '@type': 'statement_error', error_code: code, message, statementText, entities };
}

export function httpStatus(code: number): number {
  return Math.floor(code / 100);
}

export function wireError(body: ErrorJson): WireError {
  return { status: httpStatus(body.error_code), body };
}

export function badRequest(message: string): WireError {
  return wireError(genericError(BAD_REQUEST, message));
}

/**
 * /ksql: statement problems -> statement_error (40001, or the engine's own code such as 40002), other
 * engine errors -> generic_error 40000, anything unexpected -> statement_error 50000.
 */
export function ksqlEndpointError(err: unknown, fallbackStatement: string, entities: readonly unknown[]): WireError {
  if (err instanceof KsqlError) {
    const text = err.statementText ?? fallbackStatement;
    if (isQueryStatement(text) && err.category !== 'parse') {
      return wireError(statementError(QUERY_ENDPOINT, QUERY_ENDPOINT_MESSAGE, text, entities));
    }
    if (err.category === 'parse' || err.category === 'statement' || err.errorCode === QUERY_ENDPOINT) {
      return wireError(statementError(err.errorCode, err.message, text, entities));
    }
    if (err.category === 'ksql') return wireError(genericError(err.errorCode, err.message));
    return wireError(statementError(SERVER_ERROR, err.message, text, entities));
  }
  return wireError(statementError(SERVER_ERROR, errorMessage(err), fallbackStatement, entities));
}

/**
 * /query-stream, /query, /inserts-stream before streaming: statement errors carry statementText;
 * internal errors are not exposed.
 */
export function queryEndpointError(err: unknown, sql: string): WireError {
  if (err instanceof KsqlError) {
    if (err.category === 'parse' || err.category === 'statement') {
      return wireError(statementError(err.errorCode, err.message, err.statementText ?? sql));
    }
    if (err.category === 'ksql') return wireError(genericError(err.errorCode, err.message));
  }
  return wireError(genericError(SERVER_ERROR, INTERNAL_ERROR_MESSAGE));
}

/** The error element written inside a stream after the 200 header. */
export function streamError(err: unknown): GenericErrorJson {
  if (err instanceof KsqlError) return genericError(err.errorCode >= 50000 ? err.errorCode : SERVER_ERROR, err.message);
  return genericError(SERVER_ERROR, errorMessage(err));
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** SELECT/PRINT, which /ksql refuses with 40002 (leading comments and blanks skipped). */
export function isQueryStatement(sql: string): boolean {
  const body = sql.replace(/^(\s|--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/)*/, '');
  return /^(SELECT|PRINT)\b/i.test(body);
}
