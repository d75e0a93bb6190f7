// Errors users see. Each carries ksqlDB's category (the Java exception class the conformance corpus
// names), a stable code (HTTP status x 100 + n) and, for SQL, a source position.

export type ErrorCategory =
  /** ParseFailedException: the text is not valid SQL. */
  | 'parse'
  /** KsqlStatementException: valid SQL that cannot run (unknown source, type error, ...). */
  | 'statement'
  /** KsqlException: other engine errors. */
  | 'ksql'
  /** StreamsException: a failure while processing records. */
  | 'runtime';

export interface SourcePosition {
  /** 1-based line. */
  readonly line: number;
  /** 1-based column. */
  readonly column: number;
}

export class KsqlError extends Error {
  readonly category: ErrorCategory;
  readonly errorCode: number;
  readonly position: SourcePosition | undefined;
  /** The statement text the error belongs to, when there is one. */
  statementText: string | undefined;

  constructor(
    category: ErrorCategory,
    message: string,
    options: { errorCode?: number; position?: SourcePosition; statementText?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'KsqlError';
    this.category = category;
    this.errorCode = options.errorCode ?? (category === 'parse' || category === 'statement' ? 40001 : 40000);
    this.position = options.position;
    this.statementText = options.statementText;
  }
}

export function parseError(message: string, position?: SourcePosition): KsqlError {
  return new KsqlError('parse', message, position ? { position } : {});
}

export function statementError(message: string, statementText?: string): KsqlError {
  return new KsqlError('statement', message, statementText === undefined ? {} : { statementText });
}

export function ksqlError(message: string): KsqlError {
  return new KsqlError('ksql', message);
}
