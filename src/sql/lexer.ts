// Turns SQL text into tokens with 1-based line/column positions. Knows the lexical rules of
// ksqlDB's dialect (identifier case folding, quoting, number forms, comments) but no grammar.
// Never throws: a lexical error becomes a final 'error' token carrying the message.

import type { Pos } from './ast.ts';

export type TokenType =
  /** Unquoted identifier or keyword; `value` is upper-cased. */
  | 'identifier'
  /** Back-quoted or double-quoted identifier; `value` keeps its case, escapes removed. */
  | 'quotedIdentifier'
  /** '...' literal; `value` has the '' escapes removed. */
  | 'string'
  /** Number literals keep their source text in `value`. */
  | 'integer'
  | 'decimal'
  | 'double'
  /** `${name}` left after substitution; `value` is the name. */
  | 'variable'
  /** Operator or punctuation; `value` is the operator text. */
  | 'op'
  | 'eof'
  /** A lexical error; `value` is the message. Always the last token before 'eof'. */
  | 'error';

export interface Token {
  readonly type: TokenType;
  readonly value: string;
  readonly pos: Pos;
  /** Offsets into the lexed text: [start, end). */
  readonly start: number;
  readonly end: number;
}

// Longest operators first so `<=` wins over `<`.
const OPERATORS = ['<>', '!=', '<=', '>=', '||', '->', '=>', ':=', '=', '<', '>', '+', '-', '*', '/', '%', '.', ',', '(', ')', '[', ']', ';'];

const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isLetter = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
const isIdentStart = (c: string): boolean => isLetter(c) || c === '_';
const isIdentPart = (c: string): boolean => isLetter(c) || isDigit(c) || c === '_' || c === '@';

/**
 * Tokenizes `text`. `origin` is the position of text[0] within a larger script, so that
 * positions stay script-relative when a single statement is lexed.
 */
export function tokenize(text: string, origin: Pos = { line: 1, column: 1 }): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = origin.line;
  let column = origin.column;

  // Moves the cursor to `to`, keeping line/column in step with the consumed characters.
  const advanceTo = (to: number): void => {
    for (; i < to; i++) {
      if (text[i] === '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
  };
  const push = (type: TokenType, value: string, end: number): void => {
    tokens.push({ type, value, pos: { line, column }, start: i, end });
    advanceTo(end);
  };
  const fail = (message: string): Token[] => {
    tokens.push({ type: 'error', value: message, pos: { line, column }, start: i, end: i });
    tokens.push({ type: 'eof', value: '', pos: { line, column }, start: i, end: i });
    return tokens;
  };

  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') {
      advanceTo(i + 1);
      continue;
    }
    if (c === '-' && text[i + 1] === '-') {
      const nl = text.indexOf('\n', i);
      advanceTo(nl < 0 ? text.length : nl);
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) return fail(`line ${line}:${column}: Syntax Error\nUnterminated comment`);
      advanceTo(close + 2);
      continue;
    }
    if (c === "'") {
      const end = scanQuoted(text, i, "'");
      if (end < 0) return fail(`line ${line}:${column}: Syntax Error\nUnterminated string literal`);
      push('string', text.slice(i + 1, end - 1).replaceAll("''", "'"), end);
      continue;
    }
    if (c === '`' || c === '"') {
      const end = scanQuoted(text, i, c);
      if (end < 0) return fail(`line ${line}:${column}: Syntax Error\nUnterminated quoted identifier`);
      push('quotedIdentifier', text.slice(i + 1, end - 1).replaceAll(c + c, c), end);
      continue;
    }
    if (c === '$' && text[i + 1] === '{') {
      const close = text.indexOf('}', i + 2);
      const name = close < 0 ? '' : text.slice(i + 2, close);
      if (close < 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        return fail(`line ${line}:${column}: Syntax Error\nInvalid variable reference`);
      }
      push('variable', name, close + 1);
      continue;
    }
    if (isDigit(c) || (c === '.' && isDigit(text[i + 1] ?? ''))) {
      const num = scanNumber(text, i);
      // A digit-leading identifier (`1abc`) wins when it is longer than the number match.
      let identEnd = i;
      if (isDigit(c)) while (identEnd < text.length && isIdentPart(text[identEnd]!)) identEnd++;
      if (identEnd > num.end) push('identifier', text.slice(i, identEnd).toUpperCase(), identEnd);
      else push(num.type, text.slice(i, num.end), num.end);
      continue;
    }
    if (isIdentStart(c)) {
      let end = i + 1;
      while (end < text.length && isIdentPart(text[end]!)) end++;
      push('identifier', text.slice(i, end).toUpperCase(), end);
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op !== undefined) {
      push('op', op, i + op.length);
      continue;
    }
    return fail(`line ${line}:${column}: Syntax Error\nUnexpected character '${c}'`);
  }
  tokens.push({ type: 'eof', value: '', pos: { line, column }, start: i, end: i });
  return tokens;
}

/** Returns the offset just past the closing quote, or -1. A doubled quote is an escape. */
export function scanQuoted(text: string, start: number, quote: string): number {
  let j = start + 1;
  while (j < text.length) {
    if (text[j] === quote) {
      if (text[j + 1] === quote) {
        j += 2;
        continue;
      }
      return j + 1;
    }
    j++;
  }
  return -1;
}

function scanNumber(text: string, start: number): { type: 'integer' | 'decimal' | 'double'; end: number } {
  let j = start;
  while (isDigit(text[j] ?? '')) j++;
  let type: 'integer' | 'decimal' | 'double' = 'integer';
  if (text[j] === '.' && (j > start || isDigit(text[j + 1] ?? ''))) {
    // `1.` is a decimal too, but not when a `.` starts another token such as `..`.
    type = 'decimal';
    j++;
    while (isDigit(text[j] ?? '')) j++;
  }
  if (text[j] === 'e' || text[j] === 'E') {
    let k = j + 1;
    if (text[k] === '+' || text[k] === '-') k++;
    if (isDigit(text[k] ?? '')) {
      while (isDigit(text[k] ?? '')) k++;
      return { type: 'double', end: k };
    }
  }
  return { type, end: j };
}
