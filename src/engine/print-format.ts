// How PRINT shows raw topic records without knowing their schema, as ksqlDB does: it keeps, for
// keys and for values separately, the formats that could have produced every record seen so far,
// says which ones remain ("Key format: KAFKA_BIGINT or KAFKA_DOUBLE"), and renders each record with
// the first of them.

import { formatDouble } from '../common/java-number.ts';

export type PrintFormat = 'KAFKA_INT' | 'KAFKA_BIGINT' | 'KAFKA_DOUBLE' | 'JSON' | 'KAFKA_STRING';

/** In ksqlDB's order of preference. */
const ALL: readonly PrintFormat[] = ['KAFKA_INT', 'KAFKA_BIGINT', 'KAFKA_DOUBLE', 'JSON', 'KAFKA_STRING'];

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The bytes as text, if they are UTF-8 without control characters (binary numbers often decode). */
function text(bytes: Uint8Array): string | undefined {
  let decoded: string;
  try {
    decoded = utf8.decode(bytes);
  } catch {
    return undefined;
  }
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(decoded) ? undefined : decoded;
}

function renderText(bytes: Uint8Array): string {
  return text(bytes) ?? Buffer.from(bytes).toString('utf8');
}

function fits(format: PrintFormat, bytes: Uint8Array): boolean {
  switch (format) {
    case 'KAFKA_INT': return bytes.length === 4;
    case 'KAFKA_BIGINT':
    case 'KAFKA_DOUBLE': return bytes.length === 8;
    case 'KAFKA_STRING': return text(bytes) !== undefined;
    case 'JSON': {
      const t = text(bytes);
      if (t === undefined || t.trim() === '') return false;
      try {
        JSON.parse(t);
        return true;
      } catch {
        return false;
      }
    }
  }
}

function render(format: PrintFormat, bytes: Uint8Array): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (format) {
    case 'KAFKA_INT': return String(view.getInt32(0));
    case 'KAFKA_BIGINT': return String(view.getBigInt64(0));
    case 'KAFKA_DOUBLE': return formatDouble(view.getFloat64(0));
    case 'JSON':
    case 'KAFKA_STRING': return renderText(bytes);
  }
}

/** The formats still possible for one side (key or value) of a topic's records. */
export class FormatGuess {
  #candidates: PrintFormat[] = [...ALL];
  #seen = false;

  /** Narrows the candidates with one record's bytes (null records say nothing). */
  observe(bytes: Uint8Array | null): void {
    if (bytes === null) return;
    this.#seen = true;
    const left = this.#candidates.filter((f) => fits(f, bytes));
    // Bytes no format fits (e.g. binary): keep showing them as text rather than nothing.
    this.#candidates = left.length > 0 ? left : ['KAFKA_STRING'];
  }

  /** ksqlDB's wording: the remaining formats joined by " or ". */
  describe(): string {
    return this.#seen ? this.#candidates.join(' or ') : '¯\\_(ツ)_/¯ - no data processed';
  }

  render(bytes: Uint8Array | null): string {
    if (bytes === null) return '<null>';
    const format = this.#candidates.find((f) => fits(f, bytes)) ?? 'KAFKA_STRING';
    return render(format, bytes);
  }
}

/** `yyyy/MM/dd HH:mm:ss.SSS Z` in UTC, as PRINT shows ROWTIME. */
export function printTimestamp(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2022-12-02T17:22:02.556Z
  return `${iso.slice(0, 10).replace(/-/g, '/')} ${iso.slice(11, 23)} Z`;
}
