// The DELIMITED format: one CSV line per record (RFC 4180 quoting with `"`), a configurable
// single-character delimiter, empty fields read as null. Quoting on write follows the CSV printer
// ksqlDB uses, so output lines match its bytes (`"-1",a,1`, `"!",IQ==`).

import type { Column } from '../catalog/schema.ts';
import type { SqlType } from '../common/sql-type.ts';
import { formatType } from '../common/sql-type.ts';
import { Decimal } from '../common/decimal.ts';
import { formatDouble } from '../common/java-number.ts';
import { SerdeError, type RowSerde } from './serde.ts';
import { castDecimal } from './decimal-fit.ts';
import { base64Decode, base64Encode, utf8Decode, utf8Encode } from './text-bytes.ts';

/**
 * Parses a KEY_DELIMITER/VALUE_DELIMITER setting: one character, or the names TAB and SPACE.
 * Throws with ksqlDB's message; `config` names the setting in it.
 */
export function parseDelimiter(value: string, config = 'VALUE_DELIMITER'): string {
  const upper = value.toUpperCase();
  if (upper === 'TAB') return '\t';
  if (upper === 'SPACE') return ' ';
  if (value.trim() === '') {
    throw new SerdeError(
      `Configuration ${config} is invalid: Delimiter cannot be empty, if you meant to have a tab or space for ` +
        `delimiter, please use the special values 'TAB' or 'SPACE'\nExample valid value: ';'`,
    );
  }
  if ([...value].length !== 1) {
    throw new SerdeError(
      `Configuration ${config} is invalid: Invalid delimiter value: '${value}'. ` +
        `Delimiter must be a single character or TAB,SPACE\nExample valid value: ';'`,
    );
  }
  return value;
}

export function createDelimitedSerde(
  columns: readonly Column[],
  options: { readonly delimiter: string; readonly target: 'key' | 'value' },
): RowSerde {
  const delimiter = options.delimiter;
  const parsers = columns.map((c) => compileFieldParser(c.type));
  const printers = columns.map((c) => compileFieldPrinter(c.type));
  const n = columns.length;
  return {
    columns,
    serialize(row) {
      if (row === null) return null;
      let line = '';
      for (let i = 0; i < n; i++) {
        if (i > 0) line += delimiter;
        const v = row[i];
        // Nulls print as nothing and are never quoted.
        if (v !== null && v !== undefined) line += quoteField(printers[i]!(v), delimiter, i === 0);
      }
      return utf8Encode(line);
    },
    deserialize(bytes, topic) {
      if (bytes === null) return null;
      if (n === 0) return [];
      const fields = splitLine(utf8Decode(bytes), delimiter);
      if (fields.length !== n) {
        throw new SerdeError(
          `Failed to deserialize ${options.target} from topic: ${topic}. Column count mismatch on deserialization. ` +
            `topic: ${topic}, expected: ${n}, got: ${fields.length}`,
        );
      }
      const out = new Array<unknown>(n);
      for (let i = 0; i < n; i++) {
        const f = fields[i]!;
        if (f === '') {
          out[i] = null;
          continue;
        }
        try {
          out[i] = parsers[i]!(f);
        } catch (e) {
          throw new SerdeError(
            `Failed to deserialize ${options.target} from topic: ${topic}. Invalid value '${f}' for column ` +
              `${columns[i]!.name} of type ${formatType(columns[i]!.type)}: ${(e as Error).message}`,
            { cause: e },
          );
        }
      }
      return out;
    },
  };
}

/** Splits one CSV line; quoted fields may hold delimiters, newlines and doubled quotes. */
export function splitLine(line: string, delimiter: string): string[] {
  let text = line;
  if (text.endsWith('\r\n')) text = text.slice(0, -2);
  else if (text.endsWith('\n')) text = text.slice(0, -1);
  const fields: string[] = [];
  const n = text.length;
  let i = 0;
  while (true) {
    if (text[i] === '"') {
      let value = '';
      i++;
      while (true) {
        const q = text.indexOf('"', i);
        if (q < 0) throw new SerdeError('EOF reached before encapsulated token finished');
        value += text.slice(i, q);
        if (text[q + 1] === '"') {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      if (i < n && text[i] !== delimiter) throw new SerdeError('Invalid char between encapsulated token and delimiter');
      fields.push(value);
    } else {
      const d = text.indexOf(delimiter, i);
      const end = d < 0 ? n : d;
      fields.push(text.slice(i, end));
      i = end;
    }
    if (i >= n) break;
    i += delimiter.length;
    if (i >= n) {
      fields.push('');
      break;
    }
  }
  return fields;
}

function isAsciiAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** Minimal quoting as ksqlDB's CSV printer does it; `first` = first field of the line. */
export function quoteField(value: string, delimiter: string, first: boolean): string {
  let quote = false;
  if (value.length === 0) {
    quote = first;
  } else {
    const c = value.charCodeAt(0);
    if ((first && !isAsciiAlnum(c)) || c <= 0x23 /* # */) {
      quote = true;
    } else if (
      value.includes(delimiter) || value.includes('"') || value.includes('\n') || value.includes('\r')
    ) {
      quote = true;
    } else if (value.charCodeAt(value.length - 1) <= 0x20) {
      quote = true;
    }
  }
  return quote ? '"' + value.replaceAll('"', '""') + '"' : value;
}

const INT_TEXT = /^[+-]?\d+$/;
const JAVA_DOUBLE_TEXT = /^[+-]?(?:NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fFdD]?)$/;

function parseLong(text: string, min: bigint, max: bigint): bigint {
  if (!INT_TEXT.test(text)) throw new Error(`For input string: "${text}"`);
  const b = BigInt(text);
  if (b < min || b > max) throw new Error(`For input string: "${text}"`);
  return b;
}

const INT_MIN = -(2n ** 31n);
const INT_MAX = 2n ** 31n - 1n;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

function compileFieldParser(type: SqlType): (text: string) => unknown {
  switch (type.kind) {
    case 'BOOLEAN':
      return (t) => t.toLowerCase() === 'true';
    case 'INTEGER':
    case 'DATE':
    case 'TIME':
      return (t) => Number(parseLong(t, INT_MIN, INT_MAX));
    case 'BIGINT':
      return (t) => parseLong(t, LONG_MIN, LONG_MAX);
    case 'TIMESTAMP':
      return (t) => Number(parseLong(t, LONG_MIN, LONG_MAX));
    case 'DOUBLE':
      return (t) => {
        const s = t.trim();
        if (!JAVA_DOUBLE_TEXT.test(s)) throw new Error(`For input string: "${t}"`);
        return Number(s.replace(/[fFdD]$/, ''));
      };
    case 'DECIMAL':
      return (t) => castDecimal(Decimal.parse(t), type.precision, type.scale);
    case 'STRING':
      return (t) => t;
    case 'BYTES':
      return (t) => {
        const b = base64Decode(t);
        if (b === undefined) throw new Error('not base64');
        return b;
      };
    default:
      throw new SerdeError(`The 'DELIMITED' format does not support type '${type.kind}'`);
  }
}

function compileFieldPrinter(type: SqlType): (v: unknown) => string {
  switch (type.kind) {
    case 'DOUBLE':
      return (v) => formatDouble(v as number);
    case 'DECIMAL':
      return (v) => (v instanceof Decimal ? v.toString() : formatDouble(v as number));
    case 'BYTES':
      return (v) => base64Encode(v as Uint8Array);
    case 'BOOLEAN':
      return (v) => (v ? 'true' : 'false');
    default:
      return (v) => String(v as string | number | bigint);
  }
}
