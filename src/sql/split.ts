// Splits a script into statement texts on top-level `;`, skipping `;` inside strings, quoted
// identifiers and comments. Knows nothing of the grammar, so it works even on invalid SQL.

import type { Pos } from './ast.ts';
import { scanQuoted } from './lexer.ts';

export interface StatementText {
  /** From the statement's first token to its `;` inclusive (or to the last token if there is no `;`). */
  readonly text: string;
  readonly pos: Pos;
  /** Offset of `text` in the script. */
  readonly offset: number;
}

export function splitStatements(sql: string): StatementText[] {
  const out: StatementText[] = [];
  let start = -1; // offset of the current statement's first significant character
  let lastEnd = -1; // offset just past its last significant character
  let i = 0;
  const flush = (end: number): void => {
    if (start >= 0) out.push({ text: sql.slice(start, end), pos: positionAt(sql, start), offset: start });
    start = -1;
  };
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? sql.length : nl;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      i = close < 0 ? sql.length : close + 2;
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (start < 0) start = i;
    if (c === "'" || c === '`' || c === '"') {
      const end = scanQuoted(sql, i, c);
      i = end < 0 ? sql.length : end;
      lastEnd = i;
      continue;
    }
    i++;
    lastEnd = i;
    if (c === ';') flush(i);
  }
  flush(lastEnd);
  return out;
}

/** The 1-based line/column of `offset` in `text`. */
export function positionAt(text: string, offset: number): Pos {
  let line = 1;
  let lineStart = 0;
  for (let j = text.indexOf('\n'); j >= 0 && j < offset; j = text.indexOf('\n', j + 1)) {
    line++;
    lineStart = j + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
