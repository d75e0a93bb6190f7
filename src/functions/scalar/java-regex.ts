// Java regular expressions run on JS RegExp: the few syntax differences ksqlDB users meet are
// translated (\A, \Z, \z, inline flags), and Java's replacement strings ($1, \$) are interpreted.

const cache = new Map<string, RegExp>();

/** Compiles a java.util.regex pattern as a global JS RegExp; throws on invalid syntax. */
export function javaRegex(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (re) {
    re.lastIndex = 0;
    return re;
  }
  let flags = 'g';
  let src = pattern;
  const inline = /^\(\?([imsx]+)\)/.exec(src);
  if (inline) {
    src = src.slice(inline[0].length);
    for (const f of inline[1]!) if (f !== 'x' && !flags.includes(f)) flags += f;
  }
  src = src.replace(/\\A/g, '^').replace(/\\[Zz]/g, '$').replace(/\(\?<([a-zA-Z][a-zA-Z0-9]*)>/g, '(?<$1>');
  try {
    re = new RegExp(src, flags);
  } catch (e) {
    throw new Error(`Invalid regular expression pattern: ${pattern}`, { cause: e });
  }
  if (cache.size > 1000) cache.clear();
  cache.set(pattern, re);
  return re;
}

/** Number of capturing groups (Matcher.groupCount()). */
export function groupCount(re: RegExp): number {
  return new RegExp(re.source + '|').exec('')!.length - 1;
}

/** String.replaceAll(regex, replacement) with Java's replacement syntax. */
export function javaReplaceAll(input: string, pattern: string, replacement: string): string {
  const re = javaRegex(pattern);
  return input.replace(re, (...m: unknown[]) => {
    const groups = m.slice(0, -2).filter((x) => typeof x !== 'object') as (string | undefined)[];
    let out = '';
    for (let i = 0; i < replacement.length; i++) {
      const c = replacement[i]!;
      if (c === '\\') {
        i++;
        if (i >= replacement.length) throw new Error('character to be escaped is missing');
        out += replacement[i];
      } else if (c === '$') {
        let j = i + 1;
        if (j >= replacement.length || !/\d/.test(replacement[j]!)) throw new Error('Illegal group reference');
        let g = Number(replacement[j]);
        // Java takes more digits while they still name an existing group.
        while (j + 1 < replacement.length && /\d/.test(replacement[j + 1]!) && g * 10 + Number(replacement[j + 1]) < groups.length) {
          g = g * 10 + Number(replacement[++j]);
        }
        if (g >= groups.length) throw new Error(`No group ${g}`);
        out += groups[g] ?? '';
        i = j;
      } else out += c;
    }
    return out;
  });
}

/** Pattern.split(input): trailing empty strings dropped, no leading empty string for a zero-width match. */
export function javaPatternSplit(input: string, re: RegExp): string[] {
  if (input === '') return [''];
  const out: string[] = [];
  let last = 0;
  re.lastIndex = 0;
  for (let m = re.exec(input); m; m = re.exec(input)) {
    if (m[0] === '') {
      if (m.index === 0 || m.index >= input.length) { re.lastIndex++; continue; }
    }
    if (!(m.index === 0 && m[0] === '')) out.push(input.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[0] === '') re.lastIndex++;
  }
  if (out.length === 0) return [input];
  out.push(input.slice(last));
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
}

/** Guava Splitter.on(pattern).splitToList: every piece kept, empty ones included. */
export function splitterOnPattern(input: string, re: RegExp): string[] {
  const out: string[] = [];
  let last = 0;
  re.lastIndex = 0;
  for (let m = re.exec(input); m; m = re.exec(input)) {
    if (m[0] === '') { re.lastIndex++; continue; }
    out.push(input.slice(last, m.index));
    last = m.index + m[0].length;
  }
  out.push(input.slice(last));
  return out;
}
