// Shared response steps of the endpoints: sending a wire error, reading a bounded body (413 past the
// limit), and mapping request-parsing failures to their 40000 bodies.

import type { ServerContext } from './context.ts';
import { BodyTooLargeError, type Exchange } from './exchange.ts';
import { genericError, PAYLOAD_TOO_LARGE, SERVER_ERROR, wireError, type WireError } from './wire/errors.ts';
import { RequestError } from './wire/requests.ts';

export function sendError(ex: Exchange, err: WireError): void {
  ex.sendJson(err.status, err.body);
}

/** The whole request body, or undefined after answering 413 (or if the client went away). */
export async function readBody(ctx: ServerContext, ex: Exchange): Promise<Buffer | undefined> {
  try {
    return await ex.readBody(ctx.limits.maxRequestBytes);
  } catch (e) {
    if (e instanceof BodyTooLargeError) sendError(ex, wireError(genericError(PAYLOAD_TOO_LARGE, e.message)));
    return undefined;
  }
}

/** Parses with `parse`; on a RequestError answers it and returns undefined. */
export function parseOrAnswer<T>(ex: Exchange, parse: () => T): T | undefined {
  try {
    return parse();
  } catch (e) {
    if (e instanceof RequestError) {
      sendError(ex, e.wire);
      return undefined;
    }
    throw e;
  }
}

export function sendInternalError(ex: Exchange, err: unknown): void {
  if (!ex.headersSent) sendError(ex, wireError(genericError(SERVER_ERROR, err instanceof Error ? err.message : String(err))));
  else ex.destroy();
}
