// The token cursor shared by the parser files: lookahead, keyword/operator matching, identifiers,
// and ksqlDB-style syntax errors. Errors are thrown as ParseFailure internally and turned into
// Diagnostics at the public entry points, so the public API never throws.

import type { Diagnostic, Pos } from './ast.ts';
import type { Token } from './lexer.ts';
import { RESERVED } from './keywords.ts';

export class ParseFailure extends Error {
  readonly diagnostic: Diagnostic;
  constructor(diagnostic: Diagnostic) {
    super(diagnostic.message);
    this.diagnostic = diagnostic;
  }
}

export class Cursor {
  readonly tokens: readonly Token[];
  /** The text the tokens were lexed from (offsets in tokens index into it). */
  readonly source: string;
  index = 0;

  constructor(tokens: readonly Token[], source: string) {
    this.tokens = tokens;
    this.source = source;
    const error = tokens.find((t) => t.type === 'error');
    // A lexical error only matters if the parser reaches it, but reporting it first is simpler
    // and the message already carries its own position.
    if (error) throw new ParseFailure({ message: error.value, pos: error.pos });
  }

  peek(k = 0): Token {
    return this.tokens[Math.min(this.index + k, this.tokens.length - 1)]!;
  }

  get pos(): Pos {
    return this.peek().pos;
  }

  next(): Token {
    const t = this.peek();
    if (this.index < this.tokens.length - 1) this.index++;
    return t;
  }

  atEnd(): boolean {
    return this.peek().type === 'eof';
  }

  /** True if the token k ahead is the unquoted word `word`. */
  isWord(word: string, k = 0): boolean {
    const t = this.peek(k);
    return t.type === 'identifier' && t.value === word;
  }

  /** Consumes the words in sequence if they are all next; otherwise consumes nothing. */
  acceptWords(...words: string[]): boolean {
    for (let k = 0; k < words.length; k++) if (!this.isWord(words[k]!, k)) return false;
    this.index += words.length;
    return true;
  }

  expectWord(word: string): Token {
    if (!this.isWord(word)) this.failExpecting([`'${word}'`]);
    return this.next();
  }

  isOp(op: string, k = 0): boolean {
    const t = this.peek(k);
    return t.type === 'op' && t.value === op;
  }

  acceptOp(op: string): boolean {
    if (!this.isOp(op)) return false;
    this.next();
    return true;
  }

  expectOp(op: string, alternatives: string[] = []): Token {
    if (!this.isOp(op)) this.failExpecting([`'${op}'`, ...alternatives]);
    return this.next();
  }

  /** True if the token k ahead can be read as an identifier. */
  isIdentifier(k = 0): boolean {
    const t = this.peek(k);
    return t.type === 'quotedIdentifier' || t.type === 'variable' || (t.type === 'identifier' && !RESERVED.has(t.value));
  }

  /** Reads an identifier: unquoted names upper-cased, quoted names as written. */
  identifier(): string {
    if (!this.isIdentifier()) this.failNear();
    return this.identifierText(this.next());
  }

  identifierText(t: Token): string {
    return t.type === 'variable' ? '${' + t.value + '}' : t.value;
  }

  /** The token's text exactly as written in the source. */
  raw(t: Token): string {
    return this.source.slice(t.start, t.end);
  }

  expectString(): string {
    const t = this.peek();
    if (t.type !== 'string') this.failExpecting(['STRING']);
    this.next();
    return t.value;
  }

  expectInteger(): number {
    const t = this.peek();
    if (t.type !== 'integer') this.failExpecting(['INTEGER_VALUE']);
    this.next();
    return Number(t.value);
  }

  fail(message: string, pos: Pos = this.pos): never {
    throw new ParseFailure({ message, pos });
  }

  /** `line L:C: Syntax Error\nExpecting {a, b}` at the current token. */
  failExpecting(expected: readonly string[]): never {
    const list = expected.length === 1 ? expected[0]! : `{${expected.join(', ')}}`;
    this.syntaxError(`Expecting ${list}`);
  }

  /** `Syntax error at or near 'X'`: used where several alternatives could have started here. */
  failNear(t: Token = this.peek()): never {
    this.syntaxError(`Syntax error at or near '${this.describe(t)}' at line ${t.pos.line}:${t.pos.column}`, t.pos);
  }

  syntaxError(detail: string, pos: Pos = this.pos): never {
    this.fail(`line ${pos.line}:${pos.column}: Syntax Error\n${detail}`, pos);
  }

  describe(t: Token): string {
    return t.type === 'eof' ? '<EOF>' : this.raw(t);
  }
}
