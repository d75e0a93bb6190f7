// Java DateTimeFormatter patterns (yyyy-MM-dd'T'HH:mm:ss.SSSXXX, MMM, EEE, a, z, VV ...) for the
// date/time functions: formatting and parsing of epoch values, with time zones resolved through Intl.
// Only the English locale; week-based fields (w, W, Y, e, c) are not supported.

type Token =
  | { readonly k: 'lit'; readonly text: string }
  | { readonly k: 'field'; readonly letter: string; readonly count: number }
  | { readonly k: 'opt'; readonly tokens: readonly Token[] };

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const SUPPORTED = 'GuyDMLdEaHhKkmsSnNAVzOXxZ';
const MAX_COUNT: Record<string, number> = { G: 5, D: 3, M: 5, L: 5, d: 2, E: 5, a: 1, H: 2, h: 2, K: 2, k: 2, m: 2, s: 2, S: 9, V: 2, z: 4, O: 4, X: 5, x: 5, Z: 5 };

const patternCache = new Map<string, readonly Token[]>();

/** DateTimeFormatter.ofPattern's tokenizer; throws Java's IllegalArgumentException messages. */
export function compilePattern(pattern: string): readonly Token[] {
  let cached = patternCache.get(pattern);
  if (!cached) {
    const [tokens, end] = compileFrom(pattern, 0, false);
    if (end !== pattern.length) throw new Error(`Pattern invalid as it contains ] without previous [: ${pattern}`);
    cached = tokens;
    if (patternCache.size > 1000) patternCache.clear();
    patternCache.set(pattern, cached);
  }
  return cached;
}

function compileFrom(p: string, start: number, inOptional: boolean): [Token[], number] {
  const out: Token[] = [];
  let i = start;
  while (i < p.length) {
    const c = p[i]!;
    if (/[A-Za-z]/.test(c)) {
      let j = i;
      while (j < p.length && p[j] === c) j++;
      const count = j - i;
      if (!SUPPORTED.includes(c)) throw new Error(`Unknown pattern letter: ${c}`);
      if (count > (MAX_COUNT[c] ?? 19)) throw new Error(`Too many pattern letters: ${c}`);
      if (c === 'V' && count !== 2) throw new Error('Pattern letter count must be 2: V');
      out.push({ k: 'field', letter: c, count });
      i = j;
    } else if (c === "'") {
      let j = i + 1;
      let text = '';
      for (;;) {
        if (j >= p.length) throw new Error(`Pattern ends with an incomplete string literal: ${p}`);
        if (p[j] === "'") {
          if (p[j + 1] === "'") { text += "'"; j += 2; continue; }
          break;
        }
        text += p[j++];
      }
      out.push({ k: 'lit', text: j === i + 1 ? "'" : text });
      i = j + 1;
    } else if (c === '[') {
      const [tokens, end] = compileFrom(p, i + 1, true);
      out.push({ k: 'opt', tokens });
      i = end + 1;
    } else if (c === ']') {
      if (!inOptional) throw new Error(`Pattern invalid as it contains ] without previous [: ${p}`);
      return [out, i];
    } else if (c === '{' || c === '}' || c === '#') {
      throw new Error(`Pattern includes reserved character: '${c}'`);
    } else {
      out.push({ k: 'lit', text: c });
      i++;
    }
  }
  return [out, i];
}

// ---------------------------------------------------------------------------------------------
// Time zones

/** ZoneId.of spelling -> an Intl time zone (validated), or throws "Unknown time-zone ID". */
export function resolveZone(zone: string): string {
  if (zone === 'Z' || zone === 'UTC' || zone === 'GMT' || zone === 'UT') return 'UTC';
  const prefixed = /^(?:UTC|GMT|UT)?([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?$/.exec(zone);
  if (prefixed) {
    const h = Number(prefixed[2]);
    const m = Number(prefixed[3] ?? 0);
    if (h > 18 || m > 59) throw new Error(`Invalid ID for ZoneOffset, invalid format: ${zone}`);
    return `${prefixed[1]}${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
  }
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    throw new Error(`Unknown time-zone ID: ${zone}`);
  }
  return zone;
}

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** The zone's UTC offset in milliseconds at the instant `utcMs`. */
export function zoneOffsetMs(zone: string, utcMs: number): number {
  if (zone === 'UTC') return 0;
  const fixed = /^([+-])(\d{2}):(\d{2})$/.exec(zone);
  if (fixed) return (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * 60 + Number(fixed[3])) * 60_000;
  let f = offsetFormats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset', year: 'numeric' });
    offsetFormats.set(zone, f);
  }
  const name = f.formatToParts(utcMs).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):(\d{2})(?::(\d{2}))?/.exec(name);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * ((Number(m[2]) * 60 + Number(m[3])) * 60 + Number(m[4] ?? 0)) * 1000;
}

/** Local date-time (as if UTC) in `zone` -> instant, preferring the earlier offset in overlaps. */
export function localToUtc(localMs: number, zone: string): number {
  const o1 = zoneOffsetMs(zone, localMs - zoneOffsetMs(zone, localMs));
  const guess = localMs - o1;
  const o2 = zoneOffsetMs(zone, guess);
  if (o2 === o1) {
    const earlier = zoneOffsetMs(zone, guess - 3_600_000);
    if (earlier !== o1 && zoneOffsetMs(zone, localMs - earlier) === earlier) return localMs - Math.max(earlier, o1);
    return guess;
  }
  // In a gap: Java moves the local time forward by the gap length.
  return localMs - Math.min(o1, o2);
}

function zoneShortName(zone: string, utcMs: number, long: boolean): string {
  if (zone === 'UTC') return long ? 'Coordinated Universal Time' : 'UTC';
  if (/^[+-]\d{2}:\d{2}$/.test(zone)) return zone === '+00:00' ? 'Z' : zone;
  const f = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: long ? 'long' : 'short' });
  return f.formatToParts(utcMs).find((p) => p.type === 'timeZoneName')?.value ?? zone;
}

// ---------------------------------------------------------------------------------------------
// Formatting

/** The fields a formatter may read; undefined members are unsupported for the value's type. */
export interface TemporalFields {
  readonly date?: { readonly year: number; readonly month: number; readonly day: number; readonly dayOfYear: number; readonly dayOfWeek: number };
  readonly time?: { readonly hour: number; readonly minute: number; readonly second: number; readonly nano: number };
  readonly zone?: { readonly id: string; readonly offsetMs: number; readonly utcMs: number };
}

const DAY_MS = 86_400_000;

export function dateFieldsOfEpochDay(days: number): NonNullable<TemporalFields['date']> {
  const d = new Date(days * DAY_MS);
  const year = d.getUTCFullYear();
  const dayOfYear = Math.round((Date.UTC(year, d.getUTCMonth(), d.getUTCDate()) - Date.UTC(year, 0, 1)) / DAY_MS) + 1;
  return { year, month: d.getUTCMonth() + 1, day: d.getUTCDate(), dayOfYear, dayOfWeek: ((d.getUTCDay() + 6) % 7) + 1 };
}

export function timeFieldsOfMillis(msOfDay: number): NonNullable<TemporalFields['time']> {
  return {
    hour: Math.floor(msOfDay / 3_600_000), minute: Math.floor(msOfDay / 60_000) % 60,
    second: Math.floor(msOfDay / 1000) % 60, nano: (msOfDay % 1000) * 1_000_000,
  };
}

export function fieldsOfInstant(utcMs: number, zone: string): TemporalFields {
  const offsetMs = zoneOffsetMs(zone, utcMs);
  const local = utcMs + offsetMs;
  const days = Math.floor(local / DAY_MS);
  return { date: dateFieldsOfEpochDay(days), time: timeFieldsOfMillis(local - days * DAY_MS), zone: { id: zone, offsetMs, utcMs } };
}

function unsupported(field: string): Error {
  return new Error(`Unsupported field: ${field}`);
}

function pad(n: number, width: number): string {
  const s = String(Math.abs(n)).padStart(width, '0');
  return n < 0 ? '-' + s : s;
}

function formatOffset(offsetMs: number, letter: string, count: number): string {
  const total = Math.round(offsetMs / 1000);
  if (total === 0 && letter === 'X') return 'Z';
  const sign = total < 0 ? '-' : '+';
  const abs = Math.abs(total);
  const hh = pad(Math.floor(abs / 3600), 2);
  const mm = pad(Math.floor(abs / 60) % 60, 2);
  const ss = pad(abs % 60, 2);
  if (letter === 'O') {
    if (total === 0) return 'GMT';
    return count === 1 ? `GMT${sign}${Math.floor(abs / 3600)}${mm !== '00' ? ':' + mm : ''}` : `GMT${sign}${hh}:${mm}`;
  }
  if (letter === 'Z') {
    if (count <= 3) return `${sign}${hh}${mm}`;
    if (count === 4) return total === 0 ? 'GMT' : `GMT${sign}${hh}:${mm}`;
    return total === 0 ? 'Z' : `${sign}${hh}:${mm}`;
  }
  switch (count) {
    case 1: return `${sign}${hh}${mm !== '00' ? mm : ''}`;
    case 2: return `${sign}${hh}${mm}`;
    case 3: return `${sign}${hh}:${mm}`;
    case 4: return `${sign}${hh}${mm}${ss !== '00' ? ss : ''}`;
    default: return `${sign}${hh}:${mm}${ss !== '00' ? ':' + ss : ''}`;
  }
}

function formatField(letter: string, count: number, f: TemporalFields): string {
  const d = f.date;
  const t = f.time;
  const z = f.zone;
  const needDate = (): NonNullable<TemporalFields['date']> => { if (!d) throw unsupported('YearOfEra'); return d; };
  const needTime = (): NonNullable<TemporalFields['time']> => { if (!t) throw unsupported('HourOfDay'); return t; };
  const needZone = (): NonNullable<TemporalFields['zone']> => {
    if (!z) throw new Error('Unable to extract ZoneId from temporal');
    return z;
  };
  switch (letter) {
    case 'G': needDate(); return count === 4 ? 'Anno Domini' : count === 5 ? 'A' : 'AD';
    case 'u': case 'y': {
      const y = needDate().year;
      const v = letter === 'y' && y <= 0 ? 1 - y : y;
      if (count === 2) return pad(((v % 100) + 100) % 100, 2);
      // Java prints a '+' for years beyond the pad width when the width is 4 or more.
      return (count >= 4 && v > 9999 ? '+' : '') + pad(v, count);
    }
    case 'D': return pad(needDate().dayOfYear, count);
    case 'M': case 'L': {
      const m = needDate().month;
      if (count <= 2) return pad(m, count);
      const name = MONTHS[m - 1]!;
      return count === 3 ? name.slice(0, 3) : count === 4 ? name : name[0]!;
    }
    case 'd': return pad(needDate().day, count);
    case 'E': {
      const name = DAYS[needDate().dayOfWeek - 1]!;
      return count <= 3 ? name.slice(0, 3) : count === 4 ? name : name[0]!;
    }
    case 'a': return needTime().hour < 12 ? 'AM' : 'PM';
    case 'H': return pad(needTime().hour, count);
    case 'k': return pad(needTime().hour === 0 ? 24 : needTime().hour, count);
    case 'K': return pad(needTime().hour % 12, count);
    case 'h': return pad(needTime().hour % 12 === 0 ? 12 : needTime().hour % 12, count);
    case 'm': return pad(needTime().minute, count);
    case 's': return pad(needTime().second, count);
    case 'S': return String(needTime().nano).padStart(9, '0').slice(0, count);
    case 'n': return pad(needTime().nano, count);
    case 'A': { const x = needTime(); return pad(((x.hour * 60 + x.minute) * 60 + x.second) * 1000 + Math.floor(x.nano / 1e6), count); }
    case 'N': { const x = needTime(); return pad(((x.hour * 60 + x.minute) * 60 + x.second) * 1e9 + x.nano, count); }
    case 'V': return needZone().id === 'UTC' ? 'UTC' : needZone().id === '+00:00' ? 'Z' : needZone().id;
    case 'z': { const x = needZone(); return zoneShortName(x.id, x.utcMs, count === 4); }
    case 'O': case 'X': case 'x': case 'Z': return formatOffset(needZone().offsetMs, letter, count);
    default: throw new Error(`Unknown pattern letter: ${letter}`);
  }
}

function formatTokens(tokens: readonly Token[], f: TemporalFields, optional: boolean): string {
  let out = '';
  for (const tok of tokens) {
    if (tok.k === 'lit') out += tok.text;
    else if (tok.k === 'opt') out += formatTokens(tok.tokens, f, true);
    else {
      try {
        out += formatField(tok.letter, tok.count, f);
      } catch (e) {
        if (optional) return '';
        throw e;
      }
    }
  }
  return out;
}

export function formatWith(pattern: string, f: TemporalFields): string {
  return formatTokens(compilePattern(pattern), f, false);
}

/** An epoch-millisecond TIMESTAMP in `zone` (a ZoneId spelling). */
export function formatTimestampMs(utcMs: number, pattern: string, zone = 'UTC'): string {
  return formatWith(pattern, fieldsOfInstant(utcMs, resolveZone(zone)));
}

export function formatEpochDay(days: number, pattern: string): string {
  return formatWith(pattern, { date: dateFieldsOfEpochDay(days) });
}

export function formatTimeOfDay(msOfDay: number, pattern: string): string {
  return formatWith(pattern, { time: timeFieldsOfMillis(msOfDay) });
}

/** LocalDate.toString(). */
export function formatIsoDate(days: number): string {
  const d = dateFieldsOfEpochDay(days);
  const y = d.year > 9999 ? '+' + d.year : d.year < 0 ? '-' + pad(-d.year, 4) : pad(d.year, 4);
  return `${y}-${pad(d.month, 2)}-${pad(d.day, 2)}`;
}

/** LocalTime.ofSecondOfDay(s).toString(): HH:mm, or HH:mm:ss when seconds are non-zero. */
export function formatIsoTime(msOfDay: number): string {
  const t = timeFieldsOfMillis(msOfDay);
  return `${pad(t.hour, 2)}:${pad(t.minute, 2)}` + (t.second ? `:${pad(t.second, 2)}` : '');
}

/** yyyy-MM-dd'T'HH:mm:ss.SSS in UTC (ksqlDB's timestamp string form). */
export function formatIsoTimestamp(utcMs: number): string {
  return formatTimestampMs(utcMs, "yyyy-MM-dd'T'HH:mm:ss.SSS");
}

// ---------------------------------------------------------------------------------------------
// Parsing

/** What a pattern parsed: any subset of fields. */
export interface ParsedFields {
  year?: number; twoDigitYear?: boolean; month?: number; day?: number; dayOfYear?: number; dayOfWeek?: number;
  hour?: number; hour12?: number; ampm?: number; minute?: number; second?: number; nano?: number;
  zone?: string; offsetMs?: number;
}

const NUMERIC = new Set(['u', 'y', 'D', 'd', 'H', 'h', 'K', 'k', 'm', 's', 'S', 'n', 'A', 'N', 'M', 'L']);

function isNumericToken(t: Token | undefined): t is { k: 'field'; letter: string; count: number } {
  return !!t && t.k === 'field' && NUMERIC.has(t.letter) && !((t.letter === 'M' || t.letter === 'L') && t.count >= 3);
}

function fail(text: string, at: number): Error {
  return new Error(`Text '${text}' could not be parsed at index ${at}`);
}

/**
 * Parses `text` against `pattern` (case-insensitive, as ksqlDB's parsers are built): fully, or
 * with `allowTrailing` only a prefix (ksqlDB's PARSE_DATE reads '2003-12-24-01-01' as yyyy-MM-dd).
 */
export function parseWith(pattern: string, text: string, allowTrailing = false): ParsedFields {
  const out: ParsedFields = {};
  const end = parseTokens(compilePattern(pattern), text, 0, out);
  if (end < 0) throw fail(text, -end - 1);
  if (end !== text.length && !allowTrailing) throw new Error(`Text '${text}' could not be parsed, unparsed text found at index ${end}`);
  return out;
}

/** Returns the end index, or -(errorIndex + 1). */
function parseTokens(tokens: readonly Token[], text: string, pos: number, out: ParsedFields): number {
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    if (tok.k === 'lit') {
      if (text.substr(pos, tok.text.length).toLowerCase() !== tok.text.toLowerCase()) return -(pos + 1);
      pos += tok.text.length;
      continue;
    }
    if (tok.k === 'opt') {
      const copy: ParsedFields = { ...out };
      const r = parseTokens(tok.tokens, text, pos, copy);
      if (r >= 0) { Object.assign(out, copy); pos = r; }
      continue;
    }
    const r = parseField(tok, tokens, i, text, pos, out);
    if (r < 0) return r;
    pos = r;
  }
  return pos;
}

function reservedDigits(tokens: readonly Token[], i: number): number {
  let n = 0;
  for (let j = i + 1; j < tokens.length && isNumericToken(tokens[j]); j++) {
    const t = tokens[j] as { letter: string; count: number };
    if (t.count === 1 && t.letter !== 'S') break;
    n += t.count;
  }
  return n;
}

function parseField(tok: Extract<Token, { k: 'field' }>, tokens: readonly Token[], i: number, text: string, pos: number, out: ParsedFields): number {
  const { letter, count } = tok;
  if (isNumericToken(tok)) {
    let sign = 1;
    let p = pos;
    if ((letter === 'y' || letter === 'u') && count !== 2 && (text[p] === '-' || text[p] === '+')) {
      sign = text[p] === '-' ? -1 : 1;
      p++;
    }
    let digits = 0;
    while (p + digits < text.length && text[p + digits]! >= '0' && text[p + digits]! <= '9') digits++;
    const adjacent = isNumericToken(tokens[i + 1]);
    let width: number;
    if (letter === 'S') width = count;
    else if (count === 1 || ((letter === 'y' || letter === 'u') && count >= 4) || (letter === 'n' || letter === 'N' || letter === 'A')) {
      const max = adjacent ? digits - reservedDigits(tokens, i) : digits;
      width = Math.min(max, 19);
      if (width < Math.max(1, count === 2 ? 2 : count >= 4 ? count : 1)) return -(pos + 1);
    } else width = count;
    if (digits < width || width <= 0) return -(pos + 1);
    const value = sign * Number(text.slice(p, p + width));
    assignNumeric(letter, count, value, width, out);
    return p + width;
  }
  const rest = text.slice(pos);
  const lower = rest.toLowerCase();
  switch (letter) {
    case 'M': case 'L': {
      for (let m = 0; m < 12; m++) {
        const name = count === 3 ? MONTHS[m]!.slice(0, 3) : count === 4 ? MONTHS[m]! : MONTHS[m]![0]!;
        if (lower.startsWith(name.toLowerCase())) { out.month = m + 1; return pos + name.length; }
      }
      return -(pos + 1);
    }
    case 'E': {
      for (let d = 0; d < 7; d++) {
        const name = count <= 3 ? DAYS[d]!.slice(0, 3) : count === 4 ? DAYS[d]! : DAYS[d]![0]!;
        if (lower.startsWith(name.toLowerCase())) { out.dayOfWeek = d + 1; return pos + name.length; }
      }
      return -(pos + 1);
    }
    case 'a':
      if (lower.startsWith('am')) { out.ampm = 0; return pos + 2; }
      if (lower.startsWith('pm')) { out.ampm = 1; return pos + 2; }
      return -(pos + 1);
    case 'G':
      if (lower.startsWith('ad')) return pos + 2;
      return -(pos + 1);
    case 'V': {
      const m = /^[A-Za-z][A-Za-z0-9~/._+-]+|^[+-]\d{2}:?\d{2}|^Z/.exec(rest);
      if (!m) return -(pos + 1);
      try { out.zone = resolveZone(m[0]); } catch { return -(pos + 1); }
      return pos + m[0].length;
    }
    case 'z': {
      const m = /^[A-Za-z][A-Za-z0-9~/._+-]*/.exec(rest);
      if (!m) return -(pos + 1);
      const name = m[0];
      const known: Record<string, string> = { UTC: 'UTC', GMT: 'UTC', Z: 'UTC', PST: 'America/Los_Angeles', PDT: 'America/Los_Angeles', EST: 'America/New_York', EDT: 'America/New_York', CST: 'America/Chicago', CDT: 'America/Chicago', MST: 'America/Denver', MDT: 'America/Denver' };
      try { out.zone = known[name.toUpperCase()] ?? resolveZone(name); } catch { return -(pos + 1); }
      return pos + name.length;
    }
    case 'X': case 'x': case 'Z': case 'O': {
      if ((letter === 'X' || (letter === 'Z' && count === 5)) && rest[0]?.toUpperCase() === 'Z') { out.offsetMs = 0; return pos + 1; }
      let r = rest;
      let consumed = 0;
      if (letter === 'O' || (letter === 'Z' && count === 4)) {
        if (!r.toUpperCase().startsWith('GMT')) return -(pos + 1);
        r = r.slice(3);
        consumed = 3;
        if (!/^[+-]/.test(r)) { out.offsetMs = 0; return pos + consumed; }
      }
      const m = /^([+-])(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?/.exec(r) ?? /^([+-])(\d{1,2})(?::(\d{2}))?/.exec(r);
      if (!m) return -(pos + 1);
      out.offsetMs = (m[1] === '-' ? -1 : 1) * ((Number(m[2]) * 60 + Number(m[3] ?? 0)) * 60 + Number(m[4] ?? 0)) * 1000;
      return pos + consumed + m[0].length;
    }
    default:
      return -(pos + 1);
  }
}

function assignNumeric(letter: string, count: number, v: number, width: number, out: ParsedFields): void {
  switch (letter) {
    case 'u': case 'y':
      if (count === 2) { out.year = 2000 + v; out.twoDigitYear = true; } else out.year = v;
      return;
    case 'M': case 'L': out.month = v; return;
    case 'd': out.day = v; return;
    case 'D': out.dayOfYear = v; return;
    case 'H': out.hour = v; return;
    case 'k': out.hour = v === 24 ? 0 : v; return;
    case 'h': out.hour12 = v % 12; return;
    case 'K': out.hour12 = v; return;
    case 'm': out.minute = v; return;
    case 's': out.second = v; return;
    case 'S': out.nano = v * 10 ** (9 - width); return;
    case 'n': out.nano = v; return;
    case 'A': out.hour = Math.floor(v / 3_600_000); out.minute = Math.floor(v / 60_000) % 60; out.second = Math.floor(v / 1000) % 60; out.nano = (v % 1000) * 1e6; return;
    case 'N': { const ms = Math.floor(v / 1e6); out.hour = Math.floor(ms / 3_600_000); out.minute = Math.floor(ms / 60_000) % 60; out.second = Math.floor(ms / 1000) % 60; out.nano = v % 1e9; return; }
  }
}

function check(cond: boolean, msg: string): void {
  if (!cond) throw new Error(msg);
}

function resolvedHour(p: ParsedFields): number | undefined {
  if (p.hour12 !== undefined) return p.hour12 + (p.ampm ?? 0) * 12;
  return p.hour;
}

function validate(p: ParsedFields, text: string): void {
  const bad = (field: string, v: number, range: string): string => `Text '${text}' could not be parsed: Invalid value for ${field} (valid values ${range}): ${v}`;
  if (p.month !== undefined) check(p.month >= 1 && p.month <= 12, bad('MonthOfYear', p.month, '1 - 12'));
  if (p.day !== undefined) check(p.day >= 1 && p.day <= 31, bad('DayOfMonth', p.day, '1 - 28/31'));
  if (p.hour !== undefined) check(p.hour >= 0 && p.hour <= 23, bad('HourOfDay', p.hour, '0 - 23'));
  if (p.minute !== undefined) check(p.minute >= 0 && p.minute <= 59, bad('MinuteOfHour', p.minute, '0 - 59'));
  if (p.second !== undefined) check(p.second >= 0 && p.second <= 59, bad('SecondOfMinute', p.second, '0 - 59'));
  if (p.dayOfYear !== undefined) check(p.dayOfYear >= 1 && p.dayOfYear <= 366, bad('DayOfYear', p.dayOfYear, '1 - 365/366'));
}

/** Date.UTC without its 0-99 -> 1900s mapping. */
function utcDays(year: number, month: number, day: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return Math.round(d.getTime() / DAY_MS);
}

/** The epoch day of the parsed date fields, defaulting to 1970-01-01 like ksqlDB's parser. */
function epochDayOf(p: ParsedFields, text: string): number {
  const year = p.year ?? 1970;
  if (p.dayOfYear !== undefined) {
    const days = utcDays(year, 1, 1) + p.dayOfYear - 1;
    check(p.dayOfYear < 366 || dateFieldsOfEpochDay(days).year === year, `Text '${text}' could not be parsed: Invalid date 'DayOfYear 366' as '${year}' is not a leap year`);
    return days;
  }
  const month = p.month ?? 1;
  const day = p.day ?? 1;
  const days = utcDays(year, month, day);
  check(dateFieldsOfEpochDay(days).day === day, `Text '${text}' could not be parsed: Invalid date '${MONTHS[month - 1]!.toUpperCase()} ${day}'`);
  return days;
}

function millisOfDay(p: ParsedFields): number {
  const hour = resolvedHour(p) ?? 0;
  return ((hour * 60 + (p.minute ?? 0)) * 60 + (p.second ?? 0)) * 1000 + Math.floor((p.nano ?? 0) / 1e6);
}

/** PARSE_TIMESTAMP: missing fields default to 1970-01-01T00:00; a parsed zone wins over `zone`. */
export function parseTimestampMs(text: string, pattern: string, zone = 'UTC'): number {
  const p = parseWith(pattern, text);
  validate(p, text);
  const local = epochDayOf(p, text) * DAY_MS + millisOfDay(p);
  if (p.offsetMs !== undefined) return local - p.offsetMs;
  return localToUtc(local, p.zone ?? resolveZone(zone));
}

/** PARSE_DATE / STRINGTODATE: epoch days; time fields are rejected by the caller's rules. */
export function parseEpochDay(text: string, pattern: string, allowTrailing = false): { days: number; hasTime: boolean } {
  const p = parseWith(pattern, text, allowTrailing);
  validate(p, text);
  const hasTime = millisOfDay(p) !== 0;
  return { days: epochDayOf(p, text), hasTime };
}

/** PARSE_TIME: milliseconds of the day; any date field is an error. */
export function parseTimeOfDay(text: string, pattern: string): number {
  const p = parseWith(pattern, text);
  validate(p, text);
  if (p.year !== undefined || p.month !== undefined || p.day !== undefined || p.dayOfYear !== undefined || p.dayOfWeek !== undefined) {
    throw new Error('Time format contains date field.');
  }
  return millisOfDay(p);
}
