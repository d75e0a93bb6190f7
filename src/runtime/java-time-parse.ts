// Parses a timestamp string with a Java DateTimeFormatter pattern (TIMESTAMP_FORMAT).
// Delegates to the date/time functions' pattern support when available.

import { parseTimestamp } from '../common/temporal.ts';

const FIELDS: Record<string, string> = { yyyy: 'y', yy: 'y2', MM: 'M', dd: 'd', HH: 'H', mm: 'm', ss: 's', SSS: 'S', SS: 'S2', S: 'S1' };

/** Supports the common letters (yyyy MM dd HH mm ss SSS, quoted literals, X/Z offsets). */
export function parseWithJavaPattern(text: string, pattern: string): number | undefined {
  let re = '';
  const groups: string[] = [];
  for (let i = 0; i < pattern.length;) {
    const ch = pattern[i]!;
    if (ch === "'") {
      const end = pattern.indexOf("'", i + 1);
      const lit = end < 0 ? pattern.slice(i + 1) : pattern.slice(i + 1, end);
      re += lit === '' ? "'" : lit.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      i = end < 0 ? pattern.length : end + 1;
      continue;
    }
    let j = i;
    while (j < pattern.length && pattern[j] === ch) j++;
    const run = pattern.slice(i, j);
    i = j;
    if (/[a-zA-Z]/.test(ch)) {
      if (ch === 'X' || ch === 'Z' || ch === 'x') {
        groups.push('zone');
        re += '(Z|[+-]\\d{2}:?\\d{2}|[+-]\\d{2})';
      } else if (FIELDS[run] || 'yMdHmsS'.includes(ch)) {
        groups.push(ch === 'y' && run.length === 2 ? 'y2' : ch);
        re += ch === 'S' ? `(\\d{${run.length}})` : run.length >= 2 ? `(\\d{${run.length}})` : '(\\d{1,2})';
      } else {
        re += '.+?';
      }
    } else {
      re += run.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  const m = new RegExp(`^${re}$`).exec(text.trim());
  if (!m) return parseTimestamp(text);
  const f: Record<string, number> = { y: 1970, M: 1, d: 1, H: 0, m: 0, s: 0, S: 0 };
  let zoneMs = 0;
  groups.forEach((g, k) => {
    const v = m[k + 1]!;
    if (g === 'zone') {
      if (v !== 'Z') {
        const sign = v[0] === '-' ? -1 : 1;
        const d = v.slice(1).replace(':', '');
        zoneMs = sign * (Number(d.slice(0, 2)) * 60 + Number(d.slice(2, 4) || 0)) * 60_000;
      }
    } else if (g === 'y2') f.y = 2000 + Number(v);
    else if (g === 'S') f.S = Number((v + '00').slice(0, 3));
    else f[g] = Number(v);
  });
  return Date.UTC(f.y!, f.M! - 1, f.d!, f.H!, f.m!, f.s!, f.S!) - zoneMs;
}
