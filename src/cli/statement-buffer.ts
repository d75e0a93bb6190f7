// Collects typed lines until they end a statement: a `;` outside strings, quoted identifiers and
// comments. Returns the statements then, so `a; b;` typed on one line runs both.

import { scanQuoted } from '../sql/lexer.ts';
import { splitStatements, type StatementText } from '../sql/split.ts';

export type { StatementText };

export class StatementBuffer {
  private text = '';

  /** Whether a statement has been started and is waiting for its `;`. */
  get pending(): boolean {
    return this.text !== '';
  }

  /**
   * Adds a line. Returns the statements once the buffer ends with a complete one (then the buffer
   * empties), [] for a line of only blanks or comments, undefined while more input is needed.
   */
  push(line: string): StatementText[] | undefined {
    this.text = this.text === '' ? line : `${this.text}\n${line}`;
    const statements = splitStatements(this.text);
    const last = statements.at(-1);
    if ((last !== undefined && !last.text.endsWith(';')) || endsInsideQuoteOrComment(this.text)) return undefined;
    this.text = '';
    return statements;
  }

  clear(): void {
    this.text = '';
  }
}

/** Whether `text` ends inside a string, a quoted identifier or a block comment. */
function endsInsideQuoteOrComment(text: string): boolean {
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '-' && text[i + 1] === '-') {
      const nl = text.indexOf('\n', i);
      if (nl < 0) return false;
      i = nl + 1;
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) return true;
      i = close + 2;
    } else if (c === "'" || c === '`' || c === '"') {
      i = scanQuoted(text, i, c);
      if (i < 0) return true;
    } else {
      i++;
    }
  }
  return false;
}
