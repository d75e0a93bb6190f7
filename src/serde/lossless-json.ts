// Lossless JSON parsing: every number keeps its source text, so `1.50` and `1.5` stay distinct and
// integers beyond 2^53 survive. Used by the JSON serde's slow path and by the conformance runner.
//
// Output representation (JsonValue):
//   null, boolean, string  as usual
//   number                 a JsonNumber holding the exact source lexeme (`text`)
//   array                  JsonValue[]
//   object                 a plain object (null prototype is NOT used; keys are own properties)

import { Decimal } from '../common/decimal.ts';

export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | { [key: string]: JsonValue };

/** A JSON number as written in the source text. */
export class JsonNumber {
  readonly text: string;

  constructor(text: string) {
    this.text = text;
  }

  /** True when the lexeme has no fraction and no exponent (Jackson reads it as Integer/Long/BigInteger). */
  get isInteger(): boolean {
    return !/[.eE]/.test(this.text);
  }

  toNumber(): number {
    return Number(this.text);
  }

  /** Only meaningful for integer lexemes; a fraction is truncated toward zero. */
  toBigInt(): bigint {
    if (this.isInteger) return BigInt(this.text);
    const d = Decimal.parse(this.text);
    return d.unscaled / 10n ** BigInt(d.scale);
  }

  /** The exact value with the lexeme's scale (`1.50` has scale 2). */
  toDecimal(): Decimal {
    return Decimal.parse(this.text);
  }

  /** An integer lexeme as number when it is a safe integer, else bigint; a fraction as number. */
  toJs(): number | bigint {
    if (!this.isInteger) return Number(this.text);
    const n = Number(this.text);
    return Number.isSafeInteger(n) ? n : BigInt(this.text);
  }

  toString(): string {
    return this.text;
  }
}

export interface LosslessParseOptions {
  /** Strip `//` line comments and `/* *\/` block comments outside strings (Jackson ALLOW_COMMENTS). */
  readonly allowComments?: boolean;
}

type ReviverWithSource = (this: unknown, key: string, value: unknown, context: { source?: string }) => unknown;

const keepNumberSource: ReviverWithSource = (_key, value, context) =>
  typeof value === 'number' ? new JsonNumber(context.source ?? String(value)) : value;

/** Parses JSON keeping number lexemes (Node >= 21 passes each primitive's source text to the reviver). */
export function parseJsonLossless(text: string, options: LosslessParseOptions = {}): JsonValue {
  const src = options.allowComments ? stripJsonComments(text) : text;
  return JSON.parse(src, keepNumberSource as (key: string, value: unknown) => unknown) as JsonValue;
}

/** Removes comments outside string literals; newlines are kept so error positions stay close. */
export function stripJsonComments(text: string): string {
  if (!text.includes('/')) return text;
  let out = '';
  let start = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i += 2;
        else if (d === 0x22) break;
        else i++;
      }
      i++;
    } else if (c === 0x2f /* / */ && text.charCodeAt(i + 1) === 0x2f) {
      out += text.slice(start, i);
      while (i < n && text.charCodeAt(i) !== 0x0a) i++;
      start = i;
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a /* * */) {
      out += text.slice(start, i);
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      out += text.slice(i, stop).replace(/[^\n]/g, '');
      i = stop;
      start = i;
    } else {
      i++;
    }
  }
  return out + text.slice(start);
}

/** Serializes a JsonValue back to compact JSON, numbers as their source lexemes. */
export function stringifyLossless(value: unknown): string {
  if (value instanceof JsonNumber) return value.text;
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return '[' + value.map(stringifyLossless).join(',') + ']';
  if (typeof value === 'object') {
    const parts: string[] = [];
    for (const [k, v] of Object.entries(value)) parts.push(JSON.stringify(k) + ':' + stringifyLossless(v));
    return '{' + parts.join(',') + '}';
  }
  if (typeof value === 'bigint') return value.toString();
  return JSON.stringify(value);
}
