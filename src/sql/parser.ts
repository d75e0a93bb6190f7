// The SQL front end's public API: parse a script into statements (with `${var}` substitution),
// or parse a lone expression, type or schema string. Never throws: errors come back as Diagnostics.

import type { Diagnostic, Expr, ParsedStatement, ParseResult, Pos, TableElement, TypeNode } from './ast.ts';
import { tokenize } from './lexer.ts';
import { Cursor, ParseFailure } from './parser-core.ts';
import { parseTableElements as parseElements } from './parser-ddl.ts';
import { parseExpr } from './parser-expressions.ts';
import { parseStatement } from './parser-statements.ts';
import { parseTypeNode } from './parser-types.ts';
import { splitStatements } from './split.ts';
import { substituteVariables } from './variables.ts';

export { splitStatements } from './split.ts';
export { substituteVariables } from './variables.ts';

export interface ParseOptions {
  /** Variables defined before the script (e.g. by earlier requests of the session); names are case-insensitive. */
  readonly variables?: ReadonlyMap<string, string>;
}

/**
 * Parses every statement of a script. DEFINE / UNDEFINE statements take effect for the statements
 * after them, as they do when ksqlDB runs a script.
 */
export function parseScript(sql: string, options: ParseOptions = {}): ParseResult {
  const variables = new Map<string, string>();
  for (const [name, value] of options.variables ?? []) variables.set(name.toUpperCase(), value);
  const statements: ParsedStatement[] = [];
  for (const piece of splitStatements(sql)) {
    const text = substituteVariables(piece.text, variables);
    const result = run(text, piece.pos, (c) => {
      const statement = parseStatement(c);
      c.acceptOp(';');
      if (!c.atEnd()) c.failNear();
      return statement;
    });
    if (!isParsed(result)) return { ok: false, error: result, statementText: piece.text };
    if (result.kind === 'DefineVariable') variables.set(result.name.toUpperCase(), result.value);
    if (result.kind === 'UndefineVariable') variables.delete(result.name.toUpperCase());
    statements.push(text === piece.text ? { statement: result, text, pos: piece.pos } : { statement: result, text: piece.text, pos: piece.pos, substitutedText: text });
  }
  return { ok: true, statements };
}

/** Parses a single expression such as `A + 1 > B` (positions are relative to `text`). */
export function parseExpression(text: string): Expr | Diagnostic {
  return run(text, { line: 1, column: 1 }, (c) => whole(c, parseExpr(c)));
}

/** Parses a type such as `STRUCT<A INT, B ARRAY<STRING>>`. */
export function parseType(text: string): TypeNode | Diagnostic {
  return run(text, { line: 1, column: 1 }, (c) => whole(c, parseTypeNode(c)));
}

/** Parses a schema string such as `ID BIGINT KEY, NAME STRING` (no parentheses). */
export function parseTableElements(text: string): readonly TableElement[] | Diagnostic {
  return run(text, { line: 1, column: 1 }, (c) => (c.atEnd() ? [] : parseElements(c, 'eof')));
}

/** True when a parse function returned a result rather than a Diagnostic. */
export function isDiagnostic(value: unknown): value is Diagnostic {
  return typeof value === 'object' && value !== null && 'message' in value && 'pos' in value && !('kind' in value) && !Array.isArray(value);
}

function isParsed<T>(value: T | Diagnostic): value is T {
  return !isDiagnostic(value);
}

function whole<T>(c: Cursor, value: T): T {
  if (!c.atEnd()) c.failNear();
  return value;
}

function run<T>(text: string, origin: Pos, body: (c: Cursor) => T): T | Diagnostic {
  try {
    return body(new Cursor(tokenize(text, origin), text));
  } catch (e) {
    if (e instanceof ParseFailure) return e.diagnostic;
    // A parser bug must not take the server down; report it as a parse failure at the start.
    return { message: `line ${origin.line}:${origin.column}: Syntax Error\nInternal parser error: ${String(e)}`, pos: origin };
  }
}
