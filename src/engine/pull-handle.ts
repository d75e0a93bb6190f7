// The QueryHandle of a pull query on a table: its rows are all computed before it is returned, so
// the handle exposes them as `completedRows` (the server writes the whole response at once) as well
// as the async iteration every handle offers. A class, so a prepared pull query (thousands per
// second) allocates one object rather than a handful of closures.

import type { QueryColumn, QueryHandle, QueryRow } from './engine-api.ts';

type EndReason = 'Limit Reached' | 'Query Completed';

class CompletedPullHandle implements QueryHandle {
  readonly kind = 'pull' as const;
  readonly queryId: string;
  readonly columns: readonly QueryColumn[];
  readonly completedRows: readonly QueryRow[];
  readonly #endReason: EndReason;
  #closed = false;

  constructor(queryId: string, columns: readonly QueryColumn[], rows: readonly QueryRow[], endReason: EndReason) {
    this.queryId = queryId;
    this.columns = columns;
    this.completedRows = rows;
    this.#endReason = endReason;
  }

  get rows(): AsyncIterable<QueryRow> {
    return { [Symbol.asyncIterator]: () => this.#iterate() };
  }

  async *#iterate(): AsyncGenerator<QueryRow> {
    for (const r of this.completedRows) {
      if (this.#closed) return;
      yield r;
    }
  }

  endReason(): EndReason {
    return this.#endReason;
  }

  close(): void {
    this.#closed = true;
  }
}

export function completedPullHandle(queryId: string, columns: readonly QueryColumn[], rows: readonly QueryRow[], endReason: EndReason): QueryHandle {
  return new CompletedPullHandle(queryId, columns, rows, endReason);
}
