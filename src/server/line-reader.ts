// Splits a streamed request body into '\n'-delimited lines as they arrive (the last line may lack
// its '\n'), with a bound on a single line so one endless line cannot exhaust memory. Lines come in
// batches: every complete line of the bytes received so far, so a consumer that is slower than the
// client (an insert waiting for fsync) handles many lines per step instead of one.

import type { Readable } from 'node:stream';

export class LineTooLongError extends Error {
  constructor(limit: number) {
    super(`A line of the request exceeds the limit of ${limit} bytes`);
  }
}

export async function* readLineBatches(stream: Readable, maxLineBytes: number): AsyncGenerator<string[]> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  // The stream iterator reads everything buffered at once (Readable.read() without a size).
  // destroyOnReturn: false - a consumer that stops early must not reset the request (HTTP/2 stream).
  for await (const chunk of stream.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    const batch: string[] = [];
    let start = 0;
    let nl = chunk.indexOf(0x0a, start);
    while (nl >= 0) {
      const piece = chunk.subarray(start, nl);
      if (pendingBytes + piece.length > maxLineBytes) {
        // Lines before the long one are still handed over; the error comes with the next step.
        if (batch.length > 0) yield batch;
        throw new LineTooLongError(maxLineBytes);
      }
      const line = pending.length === 0 ? piece : Buffer.concat([...pending, piece]);
      pending = [];
      pendingBytes = 0;
      batch.push(stripCr(line.toString('utf8')));
      start = nl + 1;
      nl = chunk.indexOf(0x0a, start);
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      pendingBytes += rest.length;
      if (pendingBytes > maxLineBytes) {
        if (batch.length > 0) yield batch;
        throw new LineTooLongError(maxLineBytes);
      }
      pending.push(rest);
    }
    if (batch.length > 0) yield batch;
  }
  if (pendingBytes > 0) yield [Buffer.concat(pending).toString('utf8')];
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
