// Parses Java .properties text (what ksqlDB's `ksql-server-start server.properties` reads), so an
// existing ksqlDB server.properties works unchanged. Pure: takes text, returns ordered entries.

export interface PropertyEntry {
  readonly key: string;
  readonly value: string;
  /** 1-based line where the entry starts, for error messages. */
  readonly line: number;
}

/** java.util.Properties.load semantics: comments, `=`/`:`/space separators, `\` continuations, escapes. */
export function parseProperties(text: string): PropertyEntry[] {
  const physical = text.split(/\r\n|\r|\n/);
  const entries: PropertyEntry[] = [];
  for (let i = 0; i < physical.length; i++) {
    const startLine = i + 1;
    let line = physical[i]!.replace(/^[ \t\f]+/, '');
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    // A line ending in an odd number of backslashes continues on the next one (leading blanks dropped).
    while (endsWithContinuation(line) && i + 1 < physical.length) {
      i++;
      line = line.slice(0, -1) + physical[i]!.replace(/^[ \t\f]+/, '');
    }
    if (endsWithContinuation(line)) line = line.slice(0, -1);
    const { key, rest } = splitKey(line);
    entries.push({ key: unescape(key), value: unescape(rest), line: startLine });
  }
  return entries;
}

function endsWithContinuation(line: string): boolean {
  let n = 0;
  for (let j = line.length - 1; j >= 0 && line[j] === '\\'; j--) n++;
  return n % 2 === 1;
}

function splitKey(line: string): { key: string; rest: string } {
  let j = 0;
  while (j < line.length) {
    const c = line[j]!;
    if (c === '\\') {
      j += 2;
      continue;
    }
    if (c === '=' || c === ':' || c === ' ' || c === '\t' || c === '\f') break;
    j++;
  }
  const key = line.slice(0, j);
  let k = j;
  while (k < line.length && /[ \t\f]/.test(line[k]!)) k++;
  if (k < line.length && (line[k] === '=' || line[k] === ':')) k++;
  while (k < line.length && /[ \t\f]/.test(line[k]!)) k++;
  return { key, rest: line.slice(k) };
}

function unescape(s: string): string {
  if (!s.includes('\\')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== '\\' || i + 1 >= s.length) {
      out += c;
      continue;
    }
    const n = s[++i]!;
    switch (n) {
      case 't': out += '\t'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 'f': out += '\f'; break;
      case 'u': {
        const hex = s.slice(i + 1, i + 5);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new Error(`Malformed \\uxxxx encoding: \\u${hex}`);
        out += String.fromCharCode(parseInt(hex, 16));
        i += 4;
        break;
      }
      default: out += n;
    }
  }
  return out;
}
