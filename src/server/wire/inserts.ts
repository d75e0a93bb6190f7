// /inserts-stream wire format: acks and InsertError objects, delimited or as one JSON array, and the
// JSON-to-value conversion of inserted rows (numbers read losslessly for DECIMAL and BIGINT columns).

import type { SqlType } from '../../common/sql-type.ts';
import { DELIMITED, JSON_TYPE } from './media-types.ts';

export const INVALID_INSERT_JSON = 'Invalid JSON in inserts stream';
export const INSERT_PROCESSING_ERROR = 'Error in processing inserts. Check server logs for details.';

export function ackJson(seq: number): string {
  return `{"seq":${seq},"status":"ok"}`;
}

/** InsertError extends KsqlErrorMessage without a registered subtype, so Jackson names it by class. */
export function insertErrorJson(seq: number, code: number, message: string): string {
  return JSON.stringify({ '@type': 'InsertError', error_code: code, message, status: 'error', seq });
}

export interface AckWriter {
  readonly contentType: string;
  element(json: string): string;
  end(): string;
}

export function createAckWriter(format: 'delimited' | 'json'): AckWriter {
  if (format === 'delimited') {
    return { contentType: DELIMITED, element: (j) => j + '\n', end: () => '' };
  }
  let first = true;
  return {
    contentType: JSON_TYPE,
    element: (j) => {
      const out = (first ? '[' : ',') + j;
      first = false;
      return out;
    },
    end: () => (first ? '[]' : ']'),
  };
}

/**
 * Parses one row line. Numbers are read losslessly where a double would lose digits: a DECIMAL
 * column gets the number's exact source text (the engine casts text to DECIMAL exactly, as for a JSON
 * string) and a BIGINT column beyond 2^53 an exact bigint (a safe integer stays a number, which the
 * engine converts exactly); other values stay as JSON gives them.
 * Only top-level fields are typed here; nested values are left to the engine.
 * Throws SyntaxError on malformed JSON or a non-object.
 */
export function parseInsertRow(line: string, columnType: (name: string) => SqlType | undefined): Record<string, unknown> {
  // Most rows need no source text: a plain parse, unless a number must be re-read losslessly.
  const plain: unknown = JSON.parse(line);
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) throw new SyntaxError('row is not a JSON object');
  let lossless = false;
  for (const [key, v] of Object.entries(plain)) {
    if (typeof v !== 'number') continue;
    const t = columnType(key);
    // A BIGINT that is a safe integer converts exactly later on; DECIMALs keep their digits as written.
    if (t?.kind === 'DECIMAL' || (t?.kind === 'BIGINT' && !Number.isSafeInteger(v))) lossless = true;
  }
  return lossless ? parseLossless(line, columnType) : plain as Record<string, unknown>;
}

function parseLossless(line: string, columnType: (name: string) => SqlType | undefined): Record<string, unknown> {
  // The reviver sees each number's source text; remember it per holder object and key.
  const sources = new WeakMap<object, Map<string, string>>();
  const reviver = function (this: unknown, key: string, v: unknown, context?: { source?: string }): unknown {
    if (typeof v === 'number' && context?.source !== undefined && typeof this === 'object' && this !== null) {
      let m = sources.get(this);
      if (!m) sources.set(this, (m = new Map()));
      m.set(key, context.source);
    }
    return v;
  };
  const value: unknown = JSON.parse(line, reviver as (this: unknown, key: string, value: unknown) => unknown);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SyntaxError('row is not a JSON object');
  const row = value as Record<string, unknown>;
  for (const [key, source] of sources.get(row) ?? []) {
    const t = columnType(key);
    if (t?.kind === 'DECIMAL') row[key] = source;
    else if (t?.kind === 'BIGINT' && /^-?\d+$/.test(source)) row[key] = BigInt(source);
  }
  return row;
}
