// The result of running one case, and the conversion of anything thrown into a CaughtError.

import type { CaughtError, ErrorCategory } from './negative.ts';
import { VerificationError } from './verify-outputs.ts';

export interface CaseOutcome {
  readonly status: 'passed' | 'failed' | 'skipped';
  readonly reason?: string;
  /** Set for negative cases that ran: whether ksqlDB's message text matched. */
  readonly negativeMessageMatched?: boolean;
}

const CATEGORIES: ReadonlySet<string> = new Set(['parse', 'statement', 'ksql', 'runtime']);

/** KsqlError (by shape, so a second copy of the class still works), ExecuteFailure, or anything else. */
export function toCaught(e: unknown, fallback: CaughtError['category'] = 'internal'): CaughtError {
  if (e instanceof VerificationError) {
    return { category: e.countMismatch ? 'ksql' : 'assertion', message: e.message };
  }
  if (typeof e === 'object' && e !== null) {
    const o = e as { error?: unknown; category?: unknown; message?: unknown; cause?: unknown };
    if (o.error !== undefined && !(e instanceof Error)) return toCaught(o.error, fallback);
    if (typeof o.category === 'string' && CATEGORIES.has(o.category)) {
      const cause = o.cause as { message?: unknown } | undefined;
      return {
        category: o.category as ErrorCategory,
        message: String(o.message ?? ''),
        ...(typeof cause?.message === 'string' ? { causeMessage: cause.message } : {}),
      };
    }
    if (e instanceof Error) return { category: fallback, message: `${e.name}: ${e.message}` };
  }
  return { category: fallback, message: String(e) };
}

/** Index of the failing statement in an ExecuteFailure, when the engine says. */
export function failedStatementIndex(e: unknown): number | undefined {
  const completed = (e as { completed?: unknown } | null)?.completed;
  return Array.isArray(completed) ? completed.length : undefined;
}

export function describeCaught(c: CaughtError): string {
  return `${c.category} error: ${c.message}`;
}
