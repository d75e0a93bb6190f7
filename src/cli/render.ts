// Text layout for the shell, in ksqlDB CLI's two styles: boxed query results (`+----+` borders,
// streamed row by row) and listings (` Name | Topic ` over a dashed rule). Pure string functions.

/** How a column value prints: strings bare, null as `null`, structures as JSON. */
export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v);
}

/**
 * A boxed table printed incrementally, as push query rows arrive: column widths are fixed up front
 * (ksqlDB shares the terminal width between columns) and long values wrap inside their cell.
 */
export class BoxTable {
  readonly widths: readonly number[];

  constructor(headers: readonly string[], terminalWidth: number) {
    const n = Math.max(headers.length, 1);
    const share = Math.floor((terminalWidth - (n + 1)) / n);
    this.widths = headers.map((h) => Math.max(h.length, share, 4));
  }

  border(): string {
    return '+' + this.widths.map((w) => '-'.repeat(w)).join('+') + '+\n';
  }

  header(headers: readonly string[]): string {
    return this.border() + this.line(headers) + this.border();
  }

  line(values: readonly string[]): string {
    const cells = this.widths.map((w, i) => wrap(values[i] ?? '', w));
    const height = Math.max(...cells.map((c) => c.length));
    let out = '';
    for (let row = 0; row < height; row++) {
      out += '|' + cells.map((c, i) => (c[row] ?? '').padEnd(this.widths[i]!)).join('|') + '|\n';
    }
    return out;
  }
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const part of text.split('\n')) {
    if (part.length === 0) lines.push('');
    for (let i = 0; i < part.length; i += width) lines.push(part.slice(i, i + width));
  }
  return lines;
}

/** A listing as ksqlDB prints SHOW/LIST results: ` A | B ` header, dashed rules above and below rows. */
export function listTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => ' ' + c.padEnd(widths[i]!) + ' ').join('|').trimEnd() + '\n';
  const rule = '-'.repeat(widths.reduce((a, w) => a + w + 3, -1)) + '\n';
  return line(headers) + rule + rows.map(line).join('') + rule;
}

/** The one-cell "Message" box ksqlDB prints for command results such as ` Stream created`. */
export function messageBox(message: string): string {
  return listTable(['Message'], message.split('\n').map((l) => [l]));
}

/** `Label : value` lines with the labels padded to a common width (DESCRIBE, EXPLAIN). */
export function labelled(pairs: readonly (readonly [string, string])[], minWidth = 0): string {
  const width = Math.max(minWidth, ...pairs.map(([l]) => l.length));
  return pairs.map(([l, v]) => `${l.padEnd(width)} : ${v}\n`).join('');
}
