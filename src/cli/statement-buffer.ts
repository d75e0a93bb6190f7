// Collects typed lines until they end a statement: a `;` outside strings, quoted identifiers and
// comments. Returns the statements then, so `a; b;` typed on one line runs both.

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
    const rest = last === undefined ? this.text : this.text.slice(last.offset + last.text.length);
    if ((last !== undefined && !last.text.endsWith(';')) || opensBlockComment(rest)) return undefined;
    this.text = '';
    return statements;
  }

  clear(): void {
    this.text = '';
  }
}

/** `rest` holds only blanks and comments (it follows the last statement): is a `/*` left open? */
function opensBlockComment(rest: string): boolean {
  const withoutLineComments = rest.replace(/--[^\n]*/g, '');
  const open = withoutLineComments.lastIndexOf('/*');
  return open >= 0 && withoutLineComments.indexOf('*/', open + 2) < 0;
}
