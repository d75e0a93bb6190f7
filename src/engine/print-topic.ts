// PRINT 'topic' [FROM BEGINNING] [INTERVAL n] [LIMIT n]: a topic's raw records as text lines, in
// ksqlDB's layout — "Key format: …" and "Value format: …" once the first records are seen, then
//   rowtime: 2022/12/02 17:22:02.556 Z, key: 18, value: {"A":1}, partition: 0
// for every INTERVAL-th record, until LIMIT lines are printed or the caller closes it.

import { statementError } from '../common/errors.ts';
import type { Log, LogRecord } from '../log/log.ts';
import { FormatGuess, printTimestamp } from './print-format.ts';

export interface PrintOptions {
  readonly fromBeginning: boolean;
  readonly interval: number | undefined;
  readonly limit: number | undefined;
}

export interface PrintHandle {
  /** The topic's name as stored (PRINT matches an unquoted name case-insensitively). */
  readonly topic: string;
  /** Ends after LIMIT records, or when closed. */
  readonly lines: AsyncIterable<string>;
  close(): void;
}

const BATCH = 500;
const WAIT_MS = 500;

/** The stored topic a PRINT names: the exact name, else the one topic equal to it ignoring case. */
async function resolveTopic(log: Log, requested: string): Promise<{ name: string; partitions: number }> {
  const exact = await log.describeTopic(requested);
  if (exact) return exact;
  const matches = (await log.listTopics()).filter((t) => t.name.toLowerCase() === requested.toLowerCase());
  if (matches.length === 1) return matches[0]!;
  throw statementError(`Could not find topic '${requested}', or the KSQL user does not have permissions to list the topic. Topic names are case-sensitive.`);
}

export async function printTopic(log: Log, requested: string, options: PrintOptions): Promise<PrintHandle> {
  const topic = await resolveTopic(log, requested);
  const positions: number[] = [];
  for (let p = 0; p < topic.partitions; p++) {
    positions.push(options.fromBeginning ? await log.startOffset(topic.name, p) : await log.endOffset(topic.name, p));
  }
  const interval = Math.max(1, options.interval ?? 1);
  const limit = options.limit;
  let closed = false;

  async function* lines(): AsyncGenerator<string> {
    const keys = new FormatGuess();
    const values = new FormatGuess();
    let described = false;
    let seen = 0;
    let printed = 0;
    while (!closed) {
      let any = false;
      for (let p = 0; p < topic.partitions && !closed; p++) {
        const records: LogRecord[] = await log.read(topic.name, p, positions[p]!, BATCH);
        if (records.length === 0) continue;
        any = true;
        positions[p] = records[records.length - 1]!.offset + 1;
        for (const r of records) {
          keys.observe(r.key);
          values.observe(r.value);
        }
        if (!described) {
          described = true;
          yield `Key format: ${keys.describe()}`;
          yield `Value format: ${values.describe()}`;
        }
        for (const r of records) {
          if (seen++ % interval !== 0) continue;
          yield `rowtime: ${printTimestamp(r.timestamp)}, key: ${keys.render(r.key)}, value: ${values.render(r.value)}, partition: ${p}`;
          if (limit !== undefined && ++printed >= limit) return;
        }
      }
      if (!any && !closed) {
        await Promise.race(positions.map((from, p) => log.waitForData(topic.name, p, from, WAIT_MS)));
      }
    }
  }

  return {
    topic: topic.name,
    lines: lines(),
    close: () => {
      closed = true;
    },
  };
}
