// The QueryHandle of a pull query on a table: its rows are all computed before it is returned, so
// the handle exposes them as `completedRows` (the server writes the whole response at once) as well
// as the async iteration every handle offers.

import type { QueryColumn, QueryHandle, QueryRow } from './engine-api.ts';

export function completedPullHandle(queryId: string, columns: readonly QueryColumn[], rows: readonly QueryRow[],
  endReason: 'Limit Reached' | 'Query Completed'): QueryHandle {
  let closed = false;
  return {
    queryId, kind: 'pull', columns,
    completedRows: rows,
    rows: {
      [Symbol.asyncIterator]: async function* () {
        for (const r of rows) {
          if (closed) return;
          yield r;
        }
      },
    },
    endReason: () => endReason,
    close: () => { closed = true; },
  };
}
