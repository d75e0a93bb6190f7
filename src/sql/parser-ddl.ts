// Parses the pieces of DDL statements: table elements with their constraints, WITH (...) property
// lists, and the checks ksqlDB makes while parsing CREATE STREAM/TABLE (key kinds, window props).

import type { Expr, Pos, Properties, TableElement } from './ast.ts';
import type { Cursor } from './parser-core.ts';
import { numberLiteral } from './parser-expressions.ts';
import { parseTypeNode } from './parser-types.ts';

/** Elements up to (not including) `close`: `name type [KEY | PRIMARY KEY | HEADERS | HEADER('k')]`. */
export function parseTableElements(c: Cursor, close: 'eof' | ')'): TableElement[] {
  const elements: TableElement[] = [];
  while (true) {
    const pos = c.pos;
    const name = c.identifier();
    const type = parseTypeNode(c);
    let constraint: TableElement['constraint'];
    if (c.acceptWords('PRIMARY', 'KEY')) constraint = 'PRIMARY KEY';
    else if (c.acceptWords('KEY')) constraint = 'KEY';
    else if (c.acceptWords('HEADERS')) constraint = 'HEADERS';
    else if (c.isWord('HEADER') && c.isOp('(', 1)) {
      c.index += 2;
      constraint = { header: c.expectString() };
      c.expectOp(')');
    }
    elements.push({ name, type, constraint, pos });
    if (c.acceptOp(',')) continue;
    if (close === 'eof' ? c.atEnd() : c.isOp(')')) return elements;
    c.failExpecting(close === 'eof' ? ["','", '<EOF>'] : ["','", "')'"]);
  }
}

/** `WITH (name = literal, ...)`; the WITH word must already be consumed. */
export function parseProperties(c: Cursor): Properties {
  c.expectOp('(');
  const entries: { name: string; value: Expr; pos: Pos }[] = [];
  do {
    const pos = c.pos;
    const t = c.peek();
    // Unquoted names are upper-cased like any identifier; quoted or string names (connector
    // configs such as "connector.class") keep their case.
    const name = t.type === 'string' ? c.next().value : c.identifier();
    c.expectOp('=');
    entries.push({ name, value: parseLiteral(c), pos });
  } while (c.acceptOp(','));
  c.expectOp(')', ["','"]);
  return { entries };
}

export const NO_PROPERTIES: Properties = { entries: [] };

/** A literal property value: string, signed number, boolean or NULL. */
function parseLiteral(c: Cursor): Expr {
  const t = c.peek();
  const pos = t.pos;
  if (t.type === 'string') {
    c.next();
    return { kind: 'StringLiteral', value: t.value, pos };
  }
  const negative = c.isOp('-');
  const n = c.peek(negative ? 1 : 0);
  if (n.type === 'integer' || n.type === 'decimal' || n.type === 'double') {
    if (negative) c.next();
    c.next();
    return numberLiteral(c, n, (negative ? '-' : '') + n.value, pos);
  }
  if (c.acceptWords('TRUE')) return { kind: 'BooleanLiteral', value: true, pos };
  if (c.acceptWords('FALSE')) return { kind: 'BooleanLiteral', value: false, pos };
  if (c.acceptWords('NULL')) return { kind: 'NullLiteral', pos };
  return c.failNear();
}

/** The checks ksqlDB runs while building a CREATE STREAM/TABLE statement (ParseFailedException there). */
export function checkCreateSource(c: Cursor, sourceType: 'STREAM' | 'TABLE', elements: readonly TableElement[], properties: Properties, pos: Pos): void {
  for (const e of elements) {
    const at = `Line: ${e.pos.line}, Col: ${e.pos.column}: Column \`${e.name}\``;
    if (sourceType === 'TABLE' && e.constraint === 'KEY') c.fail(`${at} is a 'KEY' column: please use 'PRIMARY KEY' for tables.`, e.pos);
    if (sourceType === 'STREAM' && e.constraint === 'PRIMARY KEY') c.fail(`${at} is a 'PRIMARY KEY' column: please use 'KEY' for streams.`, e.pos);
  }
  const windowType = stringProperty(properties, 'WINDOW_TYPE')?.toUpperCase();
  const windowSize = stringProperty(properties, 'WINDOW_SIZE');
  if (windowSize !== undefined) {
    const problem = durationProblem(windowSize);
    if (problem !== undefined) c.fail(`Configuration WINDOW_SIZE is invalid: Invalid duration: '${windowSize}'. ${problem}`, pos);
    if (windowType === 'SESSION') c.fail("'WINDOW_SIZE' should not be set for SESSION windows.", pos);
  } else if (windowType === 'TUMBLING' || windowType === 'HOPPING') {
    c.fail("Tumbling and Hopping window types should set 'WINDOW_SIZE' in the WITH clause.", pos);
  }
}

function stringProperty(properties: Properties, name: string): string | undefined {
  const entry = properties.entries.find((e) => e.name.toUpperCase() === name);
  if (entry === undefined) return undefined;
  const v = entry.value;
  return v.kind === 'StringLiteral' ? v.value : v.kind === 'IntegerLiteral' || v.kind === 'DecimalLiteral' ? v.text : undefined;
}

// Java TimeUnit names, which is what ksqlDB's duration strings ('30 SECONDS') accept.
const DURATION_UNITS = new Set(['NANOSECONDS', 'MICROSECONDS', 'MILLISECONDS', 'SECONDS', 'MINUTES', 'HOURS', 'DAYS']);

/** Why `text` is not a `<number> <unit>` duration, or undefined if it is one. */
function durationProblem(text: string): string | undefined {
  const parts = text.trim().split(/\s+/);
  if (parts.length !== 2) return `Expected 2 tokens, got: ${parts.length}`;
  if (!/^\d+$/.test(parts[0]!)) return `Not numeric: '${parts[0]}'`;
  let unit = parts[1]!.toUpperCase();
  if (!unit.endsWith('S')) unit += 'S';
  return DURATION_UNITS.has(unit) ? undefined : `Unknown time unit: '${unit}'`;
}
