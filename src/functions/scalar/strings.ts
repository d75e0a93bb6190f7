// String functions: case, trim, padding, substring, concatenation, search and hashing, with Java's
// String semantics (UTF-16 indexes, String.trim, Guava splitters).

import { createHash } from 'node:crypto';
import type { SqlType } from '../../common/sql-type.ts';
import { arrayType, BYTES, INTEGER, mapType, STRING } from '../../common/sql-type.ts';
import type { ScalarFunction } from '../function-types.ts';
import { P } from '../signature.ts';
import { asciiBytes, asciiString, base64Bytes, base64String, hexBytes, hexString, utf8Bytes, utf8String } from './byte-codecs.ts';
import { defineScalar, strict } from './define.ts';

const ARRAY_STRING: SqlType = arrayType(STRING);

/** Java String.trim(): strips code units <= U+0020 only. */
export function javaTrim(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s.charCodeAt(a) <= 0x20) a++;
  while (b > a && s.charCodeAt(b - 1) <= 0x20) b--;
  return s.slice(a, b);
}

function startIndex(len: number, pos: number): number {
  return pos < 0 ? Math.max(len + pos, 0) : Math.max(Math.min(pos - 1, len), 0);
}

function substring(a: unknown[]): unknown {
  const v = a[0] as string | Uint8Array;
  const len = v.length;
  const start = startIndex(len, a[1] as number);
  const end = a.length > 2 ? Math.max(Math.min(start + (a[2] as number), len), start) : len;
  return typeof v === 'string' ? v.slice(start, end) : v.slice(start, end);
}

function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

function concatWs(a: unknown[]): unknown {
  if (a.length < 2) throw new Error('Function Concat_WS expects at least two input arguments.');
  const sep = a[0];
  if (sep === null) return null;
  const rest = a.slice(1).filter((x) => x !== null);
  if (typeof sep === 'string') return (rest as string[]).join(sep);
  const parts: Uint8Array[] = [];
  rest.forEach((x, i) => { if (i > 0) parts.push(sep as Uint8Array); parts.push(x as Uint8Array); });
  return concatBytes(parts);
}

function pad(left: boolean) {
  return (a: unknown[]): unknown => {
    const [input, target, padding] = a as [string | Uint8Array | null, number | null, string | Uint8Array | null];
    if (input === null) return null;
    if (padding === null || padding.length === 0 || target === null || target < 0) return null;
    if (typeof input === 'string') {
      const p = padding as string;
      const count = Math.max(target - input.length, 0);
      const fill = p.repeat(Math.ceil(count / p.length)).slice(0, count);
      return (left ? fill + input : input + fill).slice(0, target);
    }
    const p = padding as Uint8Array;
    if (input.length > target) return input.slice(0, target);
    const out = new Uint8Array(target);
    const n = target - input.length;
    for (let i = 0; i < n; i++) out[left ? i : input.length + i] = p[i % p.length]!;
    out.set(input, left ? n : 0);
    return out;
  };
}

/** StringUtils.ordinalIndexOf: index of the n-th (overlapping) occurrence, or -1. */
function ordinalIndexOf(str: string, sub: string, n: number): number {
  if (n <= 0) return -1;
  if (sub.length === 0) return 0;
  let found = 0;
  let index = -1;
  do {
    index = str.indexOf(sub, index + 1);
    if (index < 0) return index;
    found++;
  } while (found < n);
  return index;
}

/** StringUtils.substring(str, start): a negative start counts from the end. */
function commonsSubstring(str: string, start: number): string {
  let s = start < 0 ? str.length + start : start;
  if (s < 0) s = 0;
  return s > str.length ? '' : str.slice(s);
}

function instr(a: unknown[]): unknown {
  const str = a[0] as string | null;
  const sub = a[1] as string | null;
  const position = (a[2] ?? 1) as number;
  const occurrence = (a[3] ?? 1) as number;
  if (a.length > 2 && (a[2] === null || (a.length > 3 && a[3] === null))) return null;
  if (str === null || sub === null) return 0;
  if (Math.abs(position) > str.length) return 0;
  const reversed = position < 0;
  const s = reversed ? [...str].reverse().join('') : str;
  const t = reversed ? [...sub].reverse().join('') : sub;
  const pos = reversed ? -position : position;
  const i = ordinalIndexOf(commonsSubstring(s, pos - 1), t, occurrence);
  if (i === -1) return 0;
  return reversed ? str.length - pos - i - sub.length + 2 : i + pos;
}

function initcap(s: string): string {
  let out = '';
  for (const m of s.toLowerCase().matchAll(/[^ \t\n\v\f\r]+[ \t\n\v\f\r]*/g)) {
    out += m[0].slice(0, 1).toUpperCase() + m[0].slice(1);
  }
  return out;
}

/** StringEscapeUtils.unescapeJava for the escapes CHR accepts. */
function unescapeJava(s: string): string {
  return s.replace(/\\(u+[0-9a-fA-F]{4}|[btnfr"'\\])/g, (_m, e: string) => {
    if (e[0] === 'u') return String.fromCharCode(parseInt(e.slice(-4), 16));
    return ({ b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', '"': '"', "'": "'", '\\': '\\' } as Record<string, string>)[e]!;
  });
}

/** Guava Splitter.on(String): every piece, empty ones included. */
function splitOn(s: string, delim: string): string[] {
  return s.split(delim);
}

function splitBytes(b: Uint8Array, delim: Uint8Array): Uint8Array[] {
  if (b.length === 0) return [b.slice()];
  if (delim.length === 0) return [...b].map((x) => Uint8Array.of(x));
  const out: Uint8Array[] = [];
  let offset = 0;
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  for (let i = buf.indexOf(delim, offset); i !== -1; i = buf.indexOf(delim, offset)) {
    out.push(b.slice(offset, i));
    offset = i + delim.length;
  }
  out.push(b.slice(offset));
  return out;
}

function splitToMap(input: string, entryDelim: string, kvDelim: string): Map<string, string> | null {
  if (entryDelim === '' || kvDelim === '' || entryDelim === kvDelim) return null;
  const out = new Map<string, string>();
  for (const entry of input.split(entryDelim)) {
    if (entry === '' || !entry.includes(kvDelim)) continue;
    const parts = entry.split(kvDelim);
    out.set(parts[0]!, parts[1]!);
  }
  return out;
}

/** ENCODE(str, from, to): decodes `str` from one text encoding and re-encodes it. */
function encode(str: string, from: string, to: string): string {
  const f = from.toLowerCase();
  const t = to.toLowerCase();
  const known = ['hex', 'utf8', 'ascii', 'base64'];
  if (!known.includes(f) || !known.includes(t) || f === t) {
    throw new Error('Supported input and output encodings are: hex, utf8, ascii and base64');
  }
  let bytes: Uint8Array;
  switch (f) {
    case 'hex': bytes = hexBytes(hexStrip(str)); break;
    case 'utf8': bytes = utf8Bytes(str); break;
    case 'ascii': bytes = asciiBytes(str); break;
    default: bytes = lenientBase64(str);
  }
  switch (t) {
    case 'hex': return hexString(bytes, false);
    case 'utf8': return utf8String(bytes);
    case 'ascii': return asciiString(bytes);
    default: return base64String(bytes);
  }
}

/** commons-codec Base64.decodeBase64 ignores characters outside the alphabet. */
function lenientBase64(s: string): Uint8Array {
  const clean = s.replace(/[^A-Za-z0-9+/]/g, '');
  return base64Bytes(clean.length % 4 === 1 ? clean.slice(0, -1) : clean);
}

function hexStrip(s: string): string {
  if (s.startsWith('0x')) return s.length % 2 !== 0 ? '0' + s.slice(2) : s.slice(2);
  if (/^[xX]'.*'$/s.test(s)) return s.slice(2, -1);
  return s;
}

const STRING_OR_BYTES = [P.STRING, P.BYTES] as const;

export const stringFunctions: readonly ScalarFunction[] = [
  defineScalar({
    name: 'CHR', errorName: 'Chr', category: 'STRING',
    description: 'Returns a single-character string representing the Unicode code-point described by the input.',
    overloads: [
      { params: [P.INT], returns: STRING, invoke: strict((a) => { const c = a[0] as number; return c >= 0 && c <= 0x10ffff ? String.fromCodePoint(c) : null; }) },
      { params: [P.STRING], returns: STRING, invoke: strict((a) => { const s = a[0] as string; return s.length < 6 || !s.startsWith('\\u') ? null : unescapeJava(s); }) },
    ],
  }),
  defineScalar({
    name: 'CONCAT', category: 'STRING', description: 'Concatenate an arbitrary number of string or bytes fields together.',
    overloads: [
      { params: [P.STRING], variadic: true, returns: STRING, invoke: (a) => a.filter((x) => x !== null).join('') },
      { params: [P.BYTES], variadic: true, returns: BYTES, invoke: (a) => concatBytes(a.filter((x) => x !== null) as Uint8Array[]) },
    ],
  }),
  defineScalar({
    name: 'CONCAT_WS', category: 'STRING', description: 'Concatenate several strings or bytes, inserting a separator string passed as the first argument.',
    overloads: STRING_OR_BYTES.map((p) => ({ params: [p], variadic: true, returns: p === P.STRING ? STRING : BYTES, invoke: concatWs })),
  }),
  defineScalar({
    name: 'ELT', category: 'STRING', description: 'Returns the Nth element of the list of strings (1-indexed).',
    overloads: [{
      params: [P.INT, P.STRING], variadic: true, names: ['n', 'args'], returns: STRING,
      invoke: (a) => { const n = a[0] as number | null; return n === null || n < 1 || n >= a.length ? null : a[n]; },
    }],
  }),
  defineScalar({
    name: 'ENCODE', category: 'STRING', description: 'Takes an input string and encodes it using the input and output encodings.',
    overloads: [{ params: [P.STRING, P.STRING, P.STRING], names: ['str', 'inputEncoding', 'outputEncoding'], returns: STRING, invoke: strict((a) => encode(a[0] as string, a[1] as string, a[2] as string)) }],
  }),
  defineScalar({
    name: 'FIELD', category: 'STRING', description: 'Returns the position (1-indexed) of str in args, or 0 if not found.',
    overloads: [{
      params: [P.STRING, P.STRING], variadic: true, names: ['str', 'args'], returns: INTEGER,
      invoke: (a) => (a[0] === null ? 0 : a.indexOf(a[0], 1) === -1 ? 0 : a.indexOf(a[0], 1)),
    }],
  }),
  defineScalar({
    name: 'INITCAP', category: 'STRING', description: 'Capitalizes the first letter in each word and converts all other letters to lowercase.',
    overloads: [{ params: [P.STRING], returns: STRING, invoke: strict((a) => initcap(a[0] as string)) }],
  }),
  defineScalar({
    name: 'INSTR', category: 'STRING', description: 'Returns the position of substring in string; 0 when not found.',
    overloads: [
      { params: [P.STRING, P.STRING], returns: INTEGER, invoke: instr },
      { params: [P.STRING, P.STRING, P.INT], returns: INTEGER, invoke: instr },
      { params: [P.STRING, P.STRING, P.INT, P.INT], returns: INTEGER, invoke: instr },
    ],
  }),
  defineScalar({
    name: 'LCASE', category: 'STRING', description: 'Returns the string with all characters in lower case.',
    overloads: [{ params: [P.STRING], returns: STRING, invoke: strict((a) => (a[0] as string).toLowerCase()) }],
  }),
  defineScalar({
    name: 'LEN', category: 'STRING', description: 'Returns the length of a string or bytes value.',
    overloads: STRING_OR_BYTES.map((p) => ({ params: [p], returns: INTEGER, invoke: strict((a) => (a[0] as string | Uint8Array).length) })),
  }),
  defineScalar({
    name: 'LPAD', errorName: 'LPad', category: 'STRING', description: 'Pads the input on the left to the given length.',
    overloads: STRING_OR_BYTES.map((p) => ({ params: [p, P.INT, p], names: ['input', 'targetLen', 'padding'], returns: p === P.STRING ? STRING : BYTES, invoke: pad(true) })),
  }),
  defineScalar({
    name: 'MD5', category: 'STRING', description: 'Returns the hex-encoded MD5 hash of the input string.',
    overloads: [{ params: [P.STRING], returns: STRING, invoke: strict((a) => createHash('md5').update(a[0] as string, 'utf8').digest('hex')) }],
  }),
  defineScalar({
    name: 'REPLACE', category: 'STRING', description: 'Replaces all instances of a substring in a string with a new string.',
    overloads: [{ params: [P.STRING, P.STRING, P.STRING], names: ['str', 'oldStr', 'newStr'], returns: STRING, invoke: strict((a) => (a[0] as string).replaceAll(a[1] as string, () => a[2] as string)) }],
  }),
  defineScalar({
    name: 'RPAD', errorName: 'RPad', category: 'STRING', description: 'Pads the input on the right to the given length.',
    overloads: STRING_OR_BYTES.map((p) => ({ params: [p, P.INT, p], names: ['input', 'targetLen', 'padding'], returns: p === P.STRING ? STRING : BYTES, invoke: pad(false) })),
  }),
  defineScalar({
    name: 'SPLIT', category: 'STRING', description: 'Splits a string or bytes value into an array on a delimiter.',
    overloads: [
      {
        params: [P.STRING, P.STRING], returns: ARRAY_STRING,
        invoke: strict((a) => {
          const s = a[0] as string;
          const d = a[1] as string;
          // Pattern("").split: one element per UTF-16 unit, and [""] for "".
          return d === '' ? (s === '' ? [''] : s.split('')) : splitOn(s, d);
        }),
      },
      { params: [P.BYTES, P.BYTES], returns: arrayType(BYTES), invoke: strict((a) => splitBytes(a[0] as Uint8Array, a[1] as Uint8Array)) },
    ],
  }),
  defineScalar({
    name: 'SPLIT_TO_MAP', category: 'STRING', description: 'Splits a string into key-value pairs and creates a map from them.',
    overloads: [{ params: [P.STRING, P.STRING, P.STRING], names: ['input', 'entryDelimiter', 'kvDelimiter'], returns: mapType(STRING, STRING), invoke: strict((a) => splitToMap(a[0] as string, a[1] as string, a[2] as string)) }],
  }),
  defineScalar({
    name: 'SUBSTRING', category: 'STRING', description: 'Returns the portion of a string or bytes value from pos (1-indexed), optionally of the given length.',
    overloads: [
      { params: [P.STRING, P.INT], names: ['str', 'pos'], returns: STRING, invoke: strict(substring) },
      { params: [P.STRING, P.INT, P.INT], names: ['str', 'pos', 'length'], returns: STRING, invoke: strict(substring) },
      { params: [P.BYTES, P.INT], names: ['bytes', 'pos'], returns: BYTES, invoke: strict(substring) },
      { params: [P.BYTES, P.INT, P.INT], names: ['bytes', 'pos', 'length'], returns: BYTES, invoke: strict(substring) },
    ],
  }),
  defineScalar({
    name: 'TRIM', category: 'STRING', description: 'Removes leading and trailing whitespace.',
    overloads: [{ params: [P.STRING], returns: STRING, invoke: strict((a) => javaTrim(a[0] as string)) }],
  }),
  defineScalar({
    name: 'UCASE', category: 'STRING', description: 'Returns the string with all characters in upper case.',
    overloads: [{ params: [P.STRING], returns: STRING, invoke: strict((a) => (a[0] as string).toUpperCase()) }],
  }),
];
