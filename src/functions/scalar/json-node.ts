// A small Jackson-like JSON tree for the JSON_* functions: numbers keep their source spelling
// (ksqlDB reads floats as exact BigDecimals and writes them plain), objects keep key order, and
// output is compact with Jackson's escaping.

export type JsonNode =
  | { readonly t: 'null' }
  | { readonly t: 'bool'; readonly v: boolean }
  | { readonly t: 'num'; readonly text: string; readonly int: boolean }
  | { readonly t: 'str'; readonly v: string }
  | { readonly t: 'arr'; readonly items: JsonNode[] }
  | { readonly t: 'obj'; readonly fields: Map<string, JsonNode> };

export class JsonSyntaxError extends Error {}

/**
 * ObjectMapper.readTree: the first JSON value in `text`, or undefined (MissingNode) for blank input.
 * Throws ksqlDB's "Invalid JSON format:" error on bad syntax.
 */
export function parseJson(text: string): JsonNode | undefined {
  const p = new Parser(text);
  try {
    p.ws();
    if (p.i >= text.length) return undefined;
    return p.value();
  } catch (e) {
    throw new Error(`Invalid JSON format:${text}`, { cause: e });
  }
}

class Parser {
  readonly s: string;
  i = 0;
  constructor(s: string) { this.s = s; }

  ws(): void {
    while (this.i < this.s.length && ' \t\n\r'.includes(this.s[this.i]!)) this.i++;
  }

  value(): JsonNode {
    this.ws();
    const c = this.s[this.i];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return { t: 'str', v: this.string() };
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    for (const [word, node] of [['true', { t: 'bool', v: true }], ['false', { t: 'bool', v: false }], ['null', { t: 'null' }]] as const) {
      if (this.s.startsWith(word, this.i)) {
        this.i += word.length;
        return node;
      }
    }
    throw new JsonSyntaxError(`Unexpected character at ${this.i}`);
  }

  object(): JsonNode {
    this.i++;
    const fields = new Map<string, JsonNode>();
    this.ws();
    if (this.s[this.i] === '}') { this.i++; return { t: 'obj', fields }; }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') throw new JsonSyntaxError('Expected field name');
      const k = this.string();
      this.ws();
      if (this.s[this.i++] !== ':') throw new JsonSyntaxError('Expected :');
      fields.set(k, this.value());
      this.ws();
      const c = this.s[this.i++];
      if (c === '}') return { t: 'obj', fields };
      if (c !== ',') throw new JsonSyntaxError('Expected , or }');
    }
  }

  array(): JsonNode {
    this.i++;
    const items: JsonNode[] = [];
    this.ws();
    if (this.s[this.i] === ']') { this.i++; return { t: 'arr', items }; }
    for (;;) {
      items.push(this.value());
      this.ws();
      const c = this.s[this.i++];
      if (c === ']') return { t: 'arr', items };
      if (c !== ',') throw new JsonSyntaxError('Expected , or ]');
    }
  }

  string(): string {
    // eslint-disable-next-line no-control-regex -- JSON forbids raw control characters in strings
    const m = /^"((?:[^"\\\u0000-\u001f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*)"/.exec(this.s.slice(this.i));
    if (!m) throw new JsonSyntaxError('Bad string');
    this.i += m[0].length;
    return JSON.parse(m[0]) as string;
  }

  number(): JsonNode {
    const m = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.s.slice(this.i));
    if (!m) throw new JsonSyntaxError('Bad number');
    this.i += m[0].length;
    const int = !m[1] && !m[2];
    return { t: 'num', text: int ? m[0] : plainDecimal(m[0]), int };
  }
}

/** BigDecimal.toPlainString of a JSON float literal (exponent applied, scale kept). */
function plainDecimal(text: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text)!;
  const digits = m[2]! + (m[3] ?? '');
  let scale = (m[3] ?? '').length - Number(m[4] ?? 0);
  let unscaled = digits.replace(/^0+(?=\d)/, '');
  if (scale < 0) {
    unscaled += '0'.repeat(-scale);
    scale = 0;
  }
  if (scale > 0) {
    unscaled = unscaled.padStart(scale + 1, '0');
    unscaled = unscaled.slice(0, unscaled.length - scale) + '.' + unscaled.slice(unscaled.length - scale);
  }
  return m[1] + unscaled;
}

/** Jackson's string escaping: quotes, backslash and control characters only. */
export function quoteJson(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c < 0x20) {
      const short: Record<number, string> = { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r' };
      out += short[c] ?? '\\u' + c.toString(16).toUpperCase().padStart(4, '0');
    } else out += s[i];
  }
  return out + '"';
}

/** JsonNode.toString(): compact JSON. */
export function writeJson(n: JsonNode): string {
  switch (n.t) {
    case 'null': return 'null';
    case 'bool': return String(n.v);
    case 'num': return n.text;
    case 'str': return quoteJson(n.v);
    case 'arr': return '[' + n.items.map(writeJson).join(',') + ']';
    case 'obj': return '{' + [...n.fields].map(([k, v]) => quoteJson(k) + ':' + writeJson(v)).join(',') + '}';
  }
}

/** JsonPathTokenizer: `$.a.b[0]['c']` style paths to tokens; throws on an invalid path. */
export function jsonPathTokens(path: string): string[] {
  const invalid = (): Error => new Error(`Invalid JSON path: ${path}`);
  if (!path.startsWith('$')) throw invalid();
  const tokens: string[] = [];
  let i = 1;
  const isSub = (c: string): boolean => c === '_' || /[\p{L}\p{Nd}]/u.test(c);
  while (i < path.length) {
    const c = path[i];
    if (c === '.') {
      const start = ++i;
      while (i < path.length && (path[i] === ':' || path[i] === '@' || isSub(path[i]!))) i++;
      if (i === start) throw invalid();
      tokens.push(path.slice(start, i));
    } else if (c === '[') {
      i++;
      let token = '';
      if (path[i] === '"') {
        i++;
        let escaped = false;
        while (i < path.length && (escaped || path[i] !== '"')) {
          const ch = path[i]!;
          if (escaped) {
            if (ch !== '"' && ch !== '\\') throw invalid();
            token += ch;
            escaped = false;
          } else if (ch === '\\') escaped = true;
          else token += ch;
          i++;
        }
        if (path[i] !== '"') throw invalid();
        i++;
      } else {
        const start = i;
        while (i < path.length && isSub(path[i]!)) i++;
        if (i === start) throw invalid();
        token = path.slice(start, i);
      }
      if (path[i] !== ']') throw invalid();
      i++;
      tokens.push(token);
    } else throw invalid();
  }
  return tokens;
}
