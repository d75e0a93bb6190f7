// Streams a running query's rows to one HTTP client. Push queries are read eagerly so a slow client
// never holds up the engine: when its bounded buffer overflows, only its query ends (with an error
// row). Pull queries wait for the client instead (their rows are already computed). A client that
// disconnects closes its query at once.

import type { QueryHandle, QueryRow } from '../engine/engine-api.ts';
import type { ServerContext } from './context.ts';
import type { Exchange } from './exchange.ts';
import { genericError, SERVER_ERROR, streamError } from './wire/errors.ts';
import { DELIMITED } from './wire/media-types.ts';
import type { QueryWriter } from './wire/query-formats.ts';

/** Pull-query output waits for the client once this much is queued. */
const PULL_HIGH_WATER_BYTES = 64 * 1024;

/** Pull results up to this many rows are written in one step, without iterating asynchronously. */
const COMPLETED_ROWS_AT_ONCE = 100;

/** `onQueryClosed` runs as soon as the query is closed, before the rest of the output is flushed. */
export async function pumpQuery(ctx: ServerContext, ex: Exchange, handle: QueryHandle, writer: QueryWriter, onQueryClosed: () => void): Promise<void> {
  const done = handle.completedRows;
  if (done !== undefined && done.length <= COMPLETED_ROWS_AT_ONCE) return writeCompleted(ex, handle, done, writer, onQueryClosed);
  // A pull query's rows are computed already: its response goes out in one piece (one write; on
  // HTTP/2 one DATA frame, except delimited lines, which clients read one frame at a time).
  const out = ex.startStream(200, writer.contentType, handle.kind === 'pull' ? pullDefer(writer) : undefined);
  const abort = () => handle.close();
  ex.onAbort(abort);
  ctx.openStreams.add(abort);
  out.writeAll(writer.header());
  let slowClient = false;
  const iterator = handle.rows[Symbol.asyncIterator]();
  try {
    while (true) {
      const next = await iterator.next();
      if (out.closed) break;
      if (next.done) {
        // ksqlDB: pull queries (tables) end without a final message; push queries, including bounded
        // scans of streams, end with "Limit Reached" or "Query Completed".
        const reason = handle.endReason();
        if (handle.kind === 'push' && (reason === 'Limit Reached' || reason === 'Query Completed')) out.writeAll(writer.final(reason));
        break;
      }
      out.writeAll(writer.row(next.value));
      if (handle.kind === 'pull') {
        if (out.queuedBytes > PULL_HIGH_WATER_BYTES) await out.drained();
      } else if (out.queuedBytes > ctx.limits.pushClientBufferBytes) {
        slowClient = true;
        out.writeAll(writer.error(genericError(SERVER_ERROR,
          `Push query ${handle.queryId} was closed because the client did not read its results fast enough ` +
          `(more than ${ctx.limits.pushClientBufferBytes} bytes were waiting to be sent)`)));
        break;
      }
    }
  } catch (err) {
    if (!out.closed) out.writeAll(writer.error(streamError(err)));
  } finally {
    ctx.openStreams.delete(abort);
    handle.close();
    onQueryClosed();
    // Let the engine release the iterator; never wait on it (it may be parked in a read).
    iterator.return?.().catch(() => {});
  }
  out.writeAll(writer.end());
  let timer: NodeJS.Timeout | undefined;
  if (slowClient) {
    // The client may never read again; don't keep its buffer forever.
    timer = setTimeout(() => ex.destroy(), ctx.limits.slowClientTimeoutMs);
    timer.unref();
  }
  await out.end();
  if (timer) clearTimeout(timer);
}

/** Pull responses wait for their first bytes, and share one HTTP/2 frame unless delimited. */
function pullDefer(writer: QueryWriter): { coalesce: boolean } {
  return { coalesce: writer.contentType !== DELIMITED };
}

/** A small pull result already computed: the whole response in one go, nothing to wait for but the socket. */
function writeCompleted(ex: Exchange, handle: QueryHandle, rows: readonly QueryRow[], writer: QueryWriter, onQueryClosed: () => void): Promise<void> {
  handle.close();
  onQueryClosed();
  return writeCompletedPull(ex, { rows }, writer);
}

/** Writes a pull query's computed rows as one response (delimited HTTP/2: one frame per line). */
export function writeCompletedPull(ex: Exchange, { rows }: { readonly rows: readonly QueryRow[] }, writer: QueryWriter): Promise<void> {
  if (writer.contentType === DELIMITED && ex.isHttp2) {
    // Delimited lines over HTTP/2 go one per DATA frame (clients read them frame by frame).
    const out = ex.startStream(200, writer.contentType, pullDefer(writer));
    out.writeAll(writer.header());
    for (const r of rows) out.writeAll(writer.row(r));
    out.writeAll(writer.end());
    return out.end();
  }
  // Otherwise the body is known in full: one response with a Content-Length, written at once.
  let body = writer.header().join('');
  for (const r of rows) body += writer.row(r).join('');
  body += writer.end().join('');
  ex.sendText(200, body, writer.contentType);
  return Promise.resolve();
}
