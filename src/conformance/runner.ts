// Runs cases in-process with a small concurrency and a per-case timeout. Anything a case throws
// (or a timeout) becomes a failed case with its reason; the run itself never crashes.

import type { TestCase } from './model.ts';
import type { CaseOutcome } from './outcome.ts';
import { runQttCase } from './qtt-executor.ts';
import { runRqttCase } from './rqtt-executor.ts';

export interface CaseResult {
  readonly file: string;
  readonly name: string;
  readonly status: 'passed' | 'failed' | 'skipped';
  readonly reason: string;
  /** Present for negative cases that ran: whether ksqlDB's message text matched. */
  readonly negativeMessageMatched?: boolean;
}

export interface RunOptions {
  /** Per-case time limit (default 20 s). */
  readonly timeoutMs?: number;
  /** Cases run at once (default 1; in-process, so more mostly helps with I/O waits). */
  readonly concurrency?: number;
  /** Called once per case as it finishes. */
  readonly onResult?: (r: CaseResult) => void;
}

export const DEFAULT_TIMEOUT_MS = 20_000;

export function isNegative(tc: TestCase): boolean {
  return tc.expectedException !== undefined || tc.expectedError !== undefined;
}

export async function runCase(tc: TestCase, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<CaseResult> {
  const base = { file: tc.file, name: tc.name };
  if (tc.invalid) return { ...base, status: 'failed', reason: tc.invalid };
  if (tc.skip) return { ...base, status: 'skipped', reason: tc.skip };
  let timer: NodeJS.Timeout | undefined;
  let outcome: CaseOutcome;
  try {
    const run = tc.suite === 'rqtt' ? runRqttCase(tc) : runQttCase(tc);
    const timeout = new Promise<CaseOutcome>((resolve) => {
      timer = setTimeout(() => resolve({ status: 'failed', reason: `timeout after ${timeoutMs} ms` }), timeoutMs);
    });
    // A late rejection after the timeout won must not surface as an unhandled rejection.
    run.catch(() => undefined);
    outcome = await Promise.race([run, timeout]);
  } catch (e) {
    outcome = { status: 'failed', reason: `crash: ${crashText(e)}` };
  } finally {
    clearTimeout(timer);
  }
  const result: CaseResult = { ...base, status: outcome.status, reason: outcome.reason ?? '' };
  return isNegative(tc) && outcome.negativeMessageMatched !== undefined
    ? { ...result, negativeMessageMatched: outcome.negativeMessageMatched }
    : result;
}

/** The error and the top of its stack: enough to find the bug without flooding the report. */
function crashText(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  return (e.stack ?? `${e.name}: ${e.message}`).split('\n').slice(0, 4).join('\n');
}

/** Runs all cases; results come back in input order. */
export async function runCases(cases: readonly TestCase[], options: RunOptions = {}): Promise<CaseResult[]> {
  const results = new Array<CaseResult>(cases.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < cases.length) {
      const i = next++;
      const r = await runCase(cases[i]!, options.timeoutMs);
      results[i] = r;
      options.onResult?.(r);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 1) }, worker));
  return results;
}
