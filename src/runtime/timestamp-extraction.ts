// Event time from a column (WITH TIMESTAMP='col' [, TIMESTAMP_FORMAT='...']).

import type { SqlType } from '../common/sql-type.ts';
import { parseTimestamp } from '../common/temporal.ts';
import { parseWithJavaPattern } from './java-time-parse.ts';

/** The timestamp in ms, or undefined when the value is null or cannot be read. */
export function timestampFromColumn(value: unknown, type: SqlType, format: string | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  switch (type.kind) {
    case 'BIGINT': return Number(value as bigint);
    case 'INTEGER': case 'TIMESTAMP': return value as number;
    case 'STRING': {
      if (format) return parseWithJavaPattern(value as string, format);
      return parseTimestamp(value as string);
    }
    default: return undefined;
  }
}
