// Negative tests: ksqlDB names Java exception classes and matches them with instanceOf; we map
// them to KsqlError categories (ParseFailed ⊂ KsqlStatement ⊂ Ksql ⊂ Streams) and compare messages
// as substrings. Pass/fail depends on the category; message agreement is only counted.

import type { ExpectedError, ExpectedException } from './model.ts';

export type ErrorCategory = 'parse' | 'statement' | 'ksql' | 'runtime';

/** What a case run threw: an engine error with its category, or a runner-side failure. */
export interface CaughtError {
  /** 'assertion': a verification failure (Java AssertionError) that no expected exception matches. */
  readonly category: ErrorCategory | 'assertion' | 'internal';
  readonly message: string;
  readonly causeMessage?: string;
}

const RANK: Record<ErrorCategory, number> = { parse: 0, statement: 1, ksql: 2, runtime: 3 };

/** The category a Java class name stands for; undefined for classes outside the known hierarchy. */
export function categoryOfJavaType(type: string): ErrorCategory | undefined {
  const simple = type.slice(type.lastIndexOf('.') + 1);
  switch (simple) {
    case 'ParseFailedException':
      return 'parse';
    case 'KsqlStatementException':
      return 'statement';
    case 'KsqlException':
      return 'ksql';
    case 'StreamsException':
      return 'runtime';
    default:
      return undefined;
  }
}

export interface NegativeMatch {
  /** The type (category) matched: this decides pass/fail. */
  readonly typeMatched: boolean;
  /** The message (and cause message) matched ksqlDB's wording. */
  readonly messageMatched: boolean;
}

export function matchExpectedException(expected: ExpectedException, err: CaughtError): NegativeMatch {
  let typeMatched = err.category !== 'assertion' && err.category !== 'internal';
  if (typeMatched && expected.type !== undefined) {
    const want = categoryOfJavaType(expected.type);
    // instanceOf: the actual class must be the expected one or a subclass.
    if (want !== undefined) typeMatched = RANK[err.category as ErrorCategory] <= RANK[want];
  }
  let messageMatched = expected.message === undefined || err.message.includes(expected.message);
  if (expected.causeMessage !== undefined) {
    messageMatched &&= (err.causeMessage ?? err.message).includes(expected.causeMessage) ||
      err.message.includes(expected.causeMessage);
  }
  return { typeMatched, messageMatched };
}

/** RQTT expectedError: `KsqlStatementErrorMessage` for parse/statement errors, status = code / 100. */
export function matchExpectedError(expected: ExpectedError, err: CaughtError & { status: number }): NegativeMatch {
  let typeMatched = err.category !== 'assertion' && err.category !== 'internal';
  if (typeMatched && expected.type?.endsWith('KsqlStatementErrorMessage')) {
    typeMatched = err.category === 'parse' || err.category === 'statement';
  }
  if (typeMatched && expected.status !== undefined) typeMatched = err.status === expected.status;
  const messageMatched = expected.message === undefined || err.message.includes(expected.message);
  return { typeMatched, messageMatched };
}
