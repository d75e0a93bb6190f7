// MASK and its four positional variants: upper-case letters become 'X', lower-case 'x', digits 'n'
// and anything else '-', unless a replacement (or NULL = keep) is given.

import { STRING } from '../../common/sql-type.ts';
import type { ScalarFunction } from '../function-types.ts';
import { P } from '../signature.ts';
import { defineScalar } from './define.ts';

/** A mask character or null meaning "leave this class unmasked". */
type Masks = readonly [upper: string | null, lower: string | null, digit: string | null, other: string | null];

const DEFAULT_MASKS: Masks = ['X', 'x', 'n', '-'];

function maskChar(m: unknown): string | null {
  if (m === null) return null;
  const s = m as string;
  if ([...s].length !== 1) throw new Error(`Invalid mask character. Must be only single character, but was '${s}'`);
  return s;
}

function masksOf(args: readonly unknown[]): Masks {
  return args.length === 0 ? DEFAULT_MASKS : (args.map(maskChar) as unknown as Masks);
}

/** Masks per UTF-16 unit like ksqlDB's Masker (a surrogate pair yields two mask characters). */
function applyMask(input: string, masks: Masks): string {
  let out = '';
  for (let i = 0; i < input.length; i++) {
    const cp = input.codePointAt(i)!;
    const ch = cp >= 0xd800 && cp <= 0xdfff ? '' : String.fromCodePoint(cp);
    const cls = /\p{Lu}/u.test(ch) ? 0 : /\p{Ll}/u.test(ch) ? 1 : /\p{Nd}/u.test(ch) ? 2 : 3;
    out += masks[cls] ?? input[i];
  }
  return out;
}

type Split = (input: string, n: number) => [masked: string, before: string, after: string];

function positional(name: string, description: string, split: Split): ScalarFunction {
  const body = (a: unknown[]): unknown => {
    const n = a[1] as number | null;
    if (n === null) return null;
    if (n < 0) throw new Error(`function ${name.toLowerCase()} requires a non-negative number of characters to mask or skip`);
    const masks = masksOf(a.slice(2));
    if (a[0] === null) return null;
    const [masked, before, after] = split(a[0] as string, n);
    return before + applyMask(masked, masks) + after;
  };
  return defineScalar({
    name, category: 'STRING', description,
    overloads: [
      { params: [P.STRING, P.INT], names: ['input', 'numChars'], returns: STRING, invoke: body },
      { params: [P.STRING, P.INT, P.STRING, P.STRING, P.STRING, P.STRING], names: ['input', 'numChars', 'upper', 'lower', 'digit', 'other'], returns: STRING, invoke: body },
    ],
  });
}

export const maskFunctions: readonly ScalarFunction[] = [
  defineScalar({
    name: 'MASK', category: 'STRING', description: 'Returns a masked version of the input string.',
    overloads: [
      { params: [P.STRING], names: ['input'], returns: STRING, invoke: (a) => (a[0] === null ? null : applyMask(a[0] as string, DEFAULT_MASKS)) },
      {
        params: [P.STRING, P.STRING, P.STRING, P.STRING, P.STRING], names: ['input', 'upper', 'lower', 'digit', 'other'], returns: STRING,
        invoke: (a) => { const m = masksOf(a.slice(1)); return a[0] === null ? null : applyMask(a[0] as string, m); },
      },
    ],
  }),
  positional('MASK_KEEP_LEFT', 'Masks all but the first n characters.', (s, n) => {
    const k = Math.min(n, s.length);
    return [s.slice(k), s.slice(0, k), ''];
  }),
  positional('MASK_KEEP_RIGHT', 'Masks all but the last n characters.', (s, n) => {
    const k = Math.max(0, s.length - n);
    return [s.slice(0, k), '', s.slice(k)];
  }),
  positional('MASK_LEFT', 'Masks the first n characters.', (s, n) => {
    const k = Math.min(n, s.length);
    return [s.slice(0, k), '', s.slice(k)];
  }),
  positional('MASK_RIGHT', 'Masks the last n characters.', (s, n) => {
    const k = Math.max(0, s.length - n);
    return [s.slice(k), s.slice(0, k), ''];
  }),
];
