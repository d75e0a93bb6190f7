// Sorts one statement text into what the shell does with it: client-side commands (SET, UNSET,
// DEFINE, UNDEFINE, RUN SCRIPT), queries for /query-stream (SELECT, PRINT), the rest for /ksql.

export type ClientStatement =
  | { readonly kind: 'set'; readonly name: string; readonly value: string }
  | { readonly kind: 'unset'; readonly name: string }
  | { readonly kind: 'define'; readonly name: string; readonly value: string }
  | { readonly kind: 'undefine'; readonly name: string }
  | { readonly kind: 'runScript'; readonly path: string }
  | { readonly kind: 'query'; readonly text: string }
  | { readonly kind: 'server'; readonly text: string; readonly changesCatalog: boolean };

const STRING = String.raw`'((?:[^']|'')*)'`;
const NAME = String.raw`([A-Za-z_][A-Za-z0-9_]*)`;
const END = String.raw`\s*;?\s*$`;

const SET = new RegExp(String.raw`^SET\s+${STRING}\s*=\s*${STRING}${END}`, 'is');
const UNSET = new RegExp(String.raw`^UNSET\s+${STRING}${END}`, 'is');
const DEFINE = new RegExp(String.raw`^DEFINE\s+${NAME}\s*=\s*${STRING}${END}`, 'is');
const UNDEFINE = new RegExp(String.raw`^UNDEFINE\s+${NAME}${END}`, 'is');
const RUN_SCRIPT = new RegExp(String.raw`^RUN\s+SCRIPT\s+${STRING}${END}`, 'is');

/** `text` is one statement, as produced by splitStatements (leading comments may remain). */
export function classifyStatement(text: string): ClientStatement {
  const body = stripLeadingComments(text);
  let m: RegExpExecArray | null;
  if ((m = SET.exec(body))) return { kind: 'set', name: unquote(m[1]!), value: unquote(m[2]!) };
  if ((m = UNSET.exec(body))) return { kind: 'unset', name: unquote(m[1]!) };
  if ((m = DEFINE.exec(body))) return { kind: 'define', name: m[1]!, value: unquote(m[2]!) };
  if ((m = UNDEFINE.exec(body))) return { kind: 'undefine', name: m[1]! };
  if ((m = RUN_SCRIPT.exec(body))) return { kind: 'runScript', path: unquote(m[1]!) };
  if (/^(SELECT|PRINT)\b/i.test(body)) return { kind: 'query', text: body };
  // Statements after which the stream / table / column names offered by tab completion change.
  return { kind: 'server', text: body, changesCatalog: /^(CREATE|DROP|ALTER)\b/i.test(body) };
}

export function stripLeadingComments(text: string): string {
  return text.replace(/^(\s|--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/)*/, '');
}

function unquote(s: string): string {
  return s.replace(/''/g, "'");
}
