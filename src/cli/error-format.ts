// Error text for the shell: the server's message, and when it names a position (`line 2:6`, as
// ksqlDB's parser errors do) the offending line of the statement with a caret under the column.

import { RestError } from './rest-client.ts';

export interface StatementOrigin {
  /** The statement as sent, to which the server's positions refer. */
  readonly text: string;
  /** Where the statement starts in a script file, to report the position in the file as well. */
  readonly file?: { readonly name: string; readonly line: number; readonly column: number };
}

const POSITION = /\bline (\d+):(\d+)/;

export function formatError(err: unknown, origin?: StatementOrigin): string {
  if (!(err instanceof RestError)) return formatTransportError(err);
  let out = err.message.endsWith('\n') ? err.message : `${err.message}\n`;
  const m = POSITION.exec(err.message);
  const text = origin?.text ?? err.statementText;
  if (m && text !== undefined) {
    const line = Number(m[1]);
    const column = Number(m[2]);
    const source = text.split('\n')[line - 1];
    if (source !== undefined) {
      if (origin?.file) {
        const f = origin.file;
        const fileLine = f.line + line - 1;
        const fileColumn = line === 1 ? f.column + column - 1 : column;
        out += `In ${f.name} at line ${fileLine}, column ${fileColumn}:\n`;
      }
      out += `${source}\n${' '.repeat(Math.max(0, column - 1))}^\n`;
    }
  }
  return out;
}

function formatTransportError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ECONNREFUSED' || e.code === 'ECONNRESET' || e.code === 'ENOTFOUND') {
    return `Could not reach the server: ${e.message}\n`;
  }
  return `${err instanceof Error ? err.message : String(err)}\n`;
}
