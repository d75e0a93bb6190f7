// Splits a streamed request body into '\n'-delimited lines as they arrive (the last line may lack
// its '\n'), with a bound on a single line so one endless line cannot exhaust memory.

import type { Readable } from 'node:stream';

export class LineTooLongError extends Error {
  constructor(limit: number) {
    super(`A line of the request exceeds the limit of ${limit} bytes`);
  }
}

export async function* readLines(stream: Readable, maxLineBytes: number): AsyncGenerator<string> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  // destroyOnReturn: false - a consumer that stops early must not reset the request (HTTP/2 stream).
  for await (const chunk of stream.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    let start = 0;
    let nl = chunk.indexOf(0x0a, start);
    while (nl >= 0) {
      const piece = chunk.subarray(start, nl);
      if (pendingBytes + piece.length > maxLineBytes) throw new LineTooLongError(maxLineBytes);
      const line = pending.length === 0 ? piece : Buffer.concat([...pending, piece]);
      pending = [];
      pendingBytes = 0;
      yield line.toString('utf8').replace(/\r$/, '');
      start = nl + 1;
      nl = chunk.indexOf(0x0a, start);
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      pendingBytes += rest.length;
      if (pendingBytes > maxLineBytes) throw new LineTooLongError(maxLineBytes);
      pending.push(rest);
    }
  }
  if (pendingBytes > 0) yield Buffer.concat(pending).toString('utf8');
}
