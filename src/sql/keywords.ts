// Which words the parser treats as reserved, and the spellings of time units. Everything else
// (including most ksqlDB keywords such as KEY, MAP, DATE, TIMESTAMP, EMIT) may be an identifier.

import type { TimeUnit } from './ast.ts';

/** Words that can never be an unquoted identifier: they would make the grammar ambiguous. */
export const RESERVED: ReadonlySet<string> = new Set([
  'SELECT', 'FROM', 'AS', 'ALL', 'DISTINCT', 'WHERE', 'WITHIN', 'WINDOW', 'GROUP', 'BY', 'HAVING', 'LIMIT',
  'AT', 'OR', 'AND', 'IN', 'NOT', 'EXISTS', 'BETWEEN', 'LIKE', 'IS', 'NULL', 'TRUE', 'FALSE',
  'JOIN', 'FULL', 'OUTER', 'INNER', 'LEFT', 'RIGHT', 'ON', 'WITH', 'VALUES', 'CREATE', 'TABLE', 'STREAM',
  'INSERT', 'INTO', 'DROP', 'CASE', 'WHEN', 'THEN', 'ELSE', 'END', 'CAST',
  'MILLISECOND', 'MILLISECONDS', 'SECONDS', 'MINUTES', 'HOURS', 'DAYS',
]);

/**
 * Words that end an expression or a relation, so they cannot be a bare alias (`FROM s EMIT CHANGES`
 * must not read EMIT as the alias of s) even though some may be identifiers elsewhere.
 */
export const CLAUSE_WORDS: ReadonlySet<string> = new Set([
  'WINDOW', 'WHERE', 'GROUP', 'PARTITION', 'HAVING', 'EMIT', 'LIMIT', 'JOIN', 'INNER', 'LEFT', 'RIGHT',
  'FULL', 'ON', 'WITHIN', 'FROM', 'AS',
]);

const UNITS: Readonly<Record<string, TimeUnit>> = {
  MILLISECOND: 'MILLISECONDS', MILLISECONDS: 'MILLISECONDS',
  SECOND: 'SECONDS', SECONDS: 'SECONDS',
  MINUTE: 'MINUTES', MINUTES: 'MINUTES',
  HOUR: 'HOURS', HOURS: 'HOURS',
  DAY: 'DAYS', DAYS: 'DAYS',
};

/** The time unit a word spells (singular or plural), or undefined. */
export function timeUnitOf(word: string): TimeUnit | undefined {
  return Object.hasOwn(UNITS, word) ? UNITS[word] : undefined;
}
