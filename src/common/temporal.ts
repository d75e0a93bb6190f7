// TIMESTAMP, DATE and TIME values printed and parsed the way ksqlDB does (ISO-8601, UTC).

const DAY_MS = 86_400_000;

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** `2020-01-01T00:00:00.000` (UTC), as ksqlDB prints TIMESTAMP values in REST rows and casts. */
export function formatTimestamp(ms: number): string {
  const d = new Date(ms);
  const year = d.getUTCFullYear();
  const y = year < 0 ? '-' + pad(-year, 4) : year > 9999 ? '+' + year : pad(year, 4);
  return `${y}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${pad(d.getUTCMilliseconds(), 3)}`;
}

/** `yyyy-MM-dd` for days since the epoch. */
export function formatDate(days: number): string {
  return formatTimestamp(days * DAY_MS).slice(0, 10);
}

/** java.time.LocalTime.toString: `HH:mm`, `HH:mm:ss` or `HH:mm:ss.SSS`. */
export function formatTime(msOfDay: number): string {
  const h = Math.floor(msOfDay / 3_600_000);
  const m = Math.floor(msOfDay / 60_000) % 60;
  const s = Math.floor(msOfDay / 1000) % 60;
  const ms = msOfDay % 1000;
  let out = `${pad(h, 2)}:${pad(m, 2)}`;
  if (s !== 0 || ms !== 0) out += `:${pad(s, 2)}`;
  if (ms !== 0) out += `.${pad(ms, 3)}`;
  return out;
}

/**
 * Parses ISO-8601 timestamps as ksqlDB accepts them in casts and comparisons:
 * `2020-01-01`, `2020-01-01T10`, `2020-01-01T10:11:12.345`, with optional `Z` or `+hh:mm` offset.
 * Returns undefined when the text is not a timestamp.
 */
export function parseTimestamp(text: string): number | undefined {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2})(?::(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?)?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/.exec(text.trim());
  if (!m) return undefined;
  const frac = m[7] ? Number((m[7] + '00').slice(0, 3)) : 0;
  let ms = Date.UTC(Number(m[1]), Number(m[2] ?? 1) - 1, Number(m[3] ?? 1), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), frac);
  const zone = m[8];
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offset = (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || 0)) * 60_000;
    ms -= sign * offset;
  }
  return Number.isNaN(ms) ? undefined : ms;
}

export function parseDate(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  return Math.floor(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS);
}

export function parseTime(text: string): number | undefined {
  const m = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/.exec(text.trim());
  if (!m) return undefined;
  const frac = m[4] ? Number((m[4] + '00').slice(0, 3)) : 0;
  return ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3] ?? 0)) * 1000 + frac;
}

export const MS_PER_DAY = DAY_MS;
