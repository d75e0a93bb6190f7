// Canonical form of a schema string from a post-condition (`ID BIGINT KEY, NAME STRING`) so it can
// be compared with the engine's formatSchema output: names upper-cased unless quoted, type aliases
// resolved (INT -> INTEGER, VARCHAR -> STRING), `PRIMARY KEY` -> `KEY`, DECIMAL(p,s) spacing.

type Tok = { t: 'id' | 'qid' | 'num' | 'str' | 'sym'; v: string };

function tokenize(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (/\s/.test(c)) i++;
    else if (c === '`') {
      let j = i + 1;
      let v = '';
      while (j < s.length) {
        if (s[j] === '`' && s[j + 1] === '`') { v += '`'; j += 2; continue; }
        if (s[j] === '`') break;
        v += s[j++];
      }
      out.push({ t: 'qid', v });
      i = j + 1;
    } else if (c === "'") {
      const j = s.indexOf("'", i + 1);
      out.push({ t: 'str', v: s.slice(i + 1, j < 0 ? s.length : j) });
      i = j < 0 ? s.length : j + 1;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][\w]*/.exec(s.slice(i))!;
      out.push({ t: 'id', v: m[0] });
      i += m[0].length;
    } else if (/\d/.test(c)) {
      // ksqlDB's grammar also has identifiers that start with digits (`1R DECIMAL(33,16)`).
      const m = /^\d+(?:[A-Za-z_]\w*)?/.exec(s.slice(i))!;
      out.push({ t: /^\d+$/.test(m[0]) ? 'num' : 'id', v: m[0] });
      i += m[0].length;
    } else {
      out.push({ t: 'sym', v: c });
      i++;
    }
  }
  return out;
}

const ALIASES: Record<string, string> = { INT: 'INTEGER', VARCHAR: 'STRING' };

class Parser {
  private i = 0;
  private readonly toks: Tok[];
  constructor(toks: Tok[]) {
    this.toks = toks;
  }
  private peek(): Tok | undefined {
    return this.toks[this.i];
  }
  private next(): Tok {
    const t = this.toks[this.i++];
    if (!t) throw new Error('unexpected end of schema');
    return t;
  }
  private expect(v: string): void {
    const t = this.next();
    if (t.v.toUpperCase() !== v) throw new Error(`expected ${v} but got ${t.v}`);
  }
  name(): string {
    const t = this.next();
    if (t.t === 'qid') return t.v;
    if (t.t === 'id') return t.v.toUpperCase();
    throw new Error(`expected a name but got ${t.v}`);
  }
  type(): string {
    const base = this.next().v.toUpperCase();
    const kind = ALIASES[base] ?? base;
    switch (kind) {
      case 'DECIMAL': {
        this.expect('(');
        const p = this.next().v;
        this.expect(',');
        const s = this.next().v;
        this.expect(')');
        return `DECIMAL(${p}, ${s})`;
      }
      case 'ARRAY': {
        this.expect('<');
        const e = this.type();
        this.expect('>');
        return `ARRAY<${e}>`;
      }
      case 'MAP': {
        this.expect('<');
        const k = this.type();
        this.expect(',');
        const v = this.type();
        this.expect('>');
        return `MAP<${k}, ${v}>`;
      }
      case 'STRUCT': {
        this.expect('<');
        const fields: string[] = [];
        while (this.peek()?.v !== '>') {
          const n = this.name();
          fields.push(`${quote(n)} ${this.type()}`);
          if (this.peek()?.v === ',') this.next();
        }
        this.expect('>');
        return `STRUCT<${fields.join(', ')}>`;
      }
      default:
        return kind;
    }
  }
  columns(): string[] {
    const cols: string[] = [];
    while (this.peek()) {
      const n = this.name();
      let col = `${quote(n)} ${this.type()}`;
      const mod = this.peek();
      if (mod && mod.t === 'id') {
        const m = mod.v.toUpperCase();
        this.next();
        if (m === 'PRIMARY') { this.expect('KEY'); col += ' KEY'; }
        else if (m === 'KEY') col += ' KEY';
        else if (m === 'HEADERS') col += ' HEADERS';
        else if (m === 'HEADER') {
          this.expect('(');
          col += ` HEADER('${this.next().v}')`;
          this.expect(')');
        } else throw new Error(`unexpected ${mod.v}`);
      }
      cols.push(col);
      if (this.peek()?.v === ',') this.next();
    }
    return cols;
  }
}

function quote(n: string): string {
  return '`' + n.replace(/`/g, '``') + '`';
}

/** Canonical schema string; throws on text it cannot read. */
export function canonicalSchema(schema: string): string {
  // LogicalSchema keeps key and value columns apart, so key columns always come first.
  const cols = new Parser(tokenize(schema)).columns();
  return [...cols.filter((c) => c.endsWith(' KEY')), ...cols.filter((c) => !c.endsWith(' KEY'))].join(', ');
}
