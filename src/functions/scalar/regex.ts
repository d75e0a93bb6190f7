// Regular-expression functions (REGEXP_EXTRACT[_ALL], REGEXP_REPLACE, REGEXP_SPLIT_TO_ARRAY) with
// java.util.regex semantics as far as JS RegExp allows (see java-regex.ts).

import { arrayType, STRING } from '../../common/sql-type.ts';
import type { ScalarFunction } from '../function-types.ts';
import { P } from '../signature.ts';
import { defineScalar, strict } from './define.ts';
import { groupCount, javaPatternSplit, javaRegex, javaReplaceAll, splitterOnPattern } from './java-regex.ts';

function extract(a: unknown[]): unknown {
  const re = javaRegex(a[0] as string);
  const group = (a[2] ?? 0) as number;
  if (group > groupCount(re)) return null;
  const m = re.exec(a[1] as string);
  return m ? m[group] ?? null : null;
}

function extractAll(a: unknown[]): unknown {
  const re = javaRegex(a[0] as string);
  const group = (a[2] ?? 0) as number;
  if (group > groupCount(re)) return null;
  const out: unknown[] = [];
  for (const m of (a[1] as string).matchAll(re)) out.push(m[group] ?? null);
  return out;
}

function splitToArray(a: unknown[]): unknown {
  const [s, pattern] = a as [string, string];
  const re = javaRegex(pattern);
  // Patterns that match the empty string split like String.split; others keep empty pieces.
  const matchesEmpty = new RegExp(`^(?:${re.source})$`, re.flags.replace('g', '')).test('');
  return pattern === '' || matchesEmpty ? javaPatternSplit(s, re) : splitterOnPattern(s, re);
}

export const regexFunctions: readonly ScalarFunction[] = [
  defineScalar({
    name: 'REGEXP_EXTRACT', category: 'REGULAR EXPRESSION', description: 'Returns the first substring of the input that matches the regex pattern (or the given capturing group).',
    overloads: [
      { params: [P.STRING, P.STRING], names: ['pattern', 'input'], returns: STRING, invoke: strict(extract) },
      { params: [P.STRING, P.STRING, P.INT], names: ['pattern', 'input', 'group'], returns: STRING, invoke: strict(extract) },
    ],
  }),
  defineScalar({
    name: 'REGEXP_EXTRACT_ALL', category: 'REGULAR EXPRESSION', description: 'Returns all substrings of the input that match the regex pattern (or the given capturing group).',
    overloads: [
      { params: [P.STRING, P.STRING], names: ['pattern', 'input'], returns: arrayType(STRING), invoke: strict(extractAll) },
      { params: [P.STRING, P.STRING, P.INT], names: ['pattern', 'input', 'group'], returns: arrayType(STRING), invoke: strict(extractAll) },
    ],
  }),
  defineScalar({
    name: 'REGEXP_REPLACE', category: 'REGULAR EXPRESSION', description: 'Replaces all matches of a regex in an input string with a new string.',
    overloads: [{ params: [P.STRING, P.STRING, P.STRING], names: ['str', 'regexp', 'newStr'], returns: STRING, invoke: strict((a) => javaReplaceAll(a[0] as string, a[1] as string, a[2] as string)) }],
  }),
  defineScalar({
    name: 'REGEXP_SPLIT_TO_ARRAY', category: 'REGULAR EXPRESSION', description: 'Splits a string into an array of substrings based on a regular expression.',
    overloads: [{ params: [P.STRING, P.STRING], names: ['string', 'regexp'], returns: arrayType(STRING), invoke: strict(splitToArray) }],
  }),
];
