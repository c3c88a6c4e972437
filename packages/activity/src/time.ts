/**
 * Timestamps as the store keeps them: microseconds since the epoch, rendered for ClickHouse as
 * `YYYY-MM-DD HH:MM:SS.ffffff` (UTC). Kubernetes audit events carry microsecond precision, which
 * `Date` would truncate, so parsing is done here rather than with `Date.parse`.
 */

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|z|[+-]\d{2}:\d{2})$/;
const RELATIVE = /^now(?:([+-])(\d+)(s|m|h|d|w))?$/;
const UNIT_MS: Readonly<Record<string, number>> = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 7 * 86400e3 };

/**
 * The range the store's DateTime64(6, 'UTC') column holds (ClickHouse: 1900-01-01 to 2299-12-31),
 * as epoch microseconds, [MIN_TIME_US, MAX_TIME_US). A time outside it is refused at the boundary
 * (400 / 422 / an invalid event), never passed to ClickHouse, whose error would be a 500.
 */
export const MIN_TIME_US = Date.UTC(1900, 0, 1) * 1000;
export const MAX_TIME_US = Date.UTC(2300, 0, 1) * 1000;
/** The range in words, for messages. */
export const TIME_RANGE_TEXT = 'between 1900-01-01T00:00:00Z and 2299-12-31T23:59:59Z';

/** Whether epoch µs `us` is a finite time the store can hold. */
export function inTimeRange(us: number): boolean {
  return Number.isFinite(us) && us >= MIN_TIME_US && us < MAX_TIME_US;
}

/** Parses an RFC 3339 timestamp to epoch microseconds; `undefined` when it is not one, or outside the store's range. */
export function parseRfc3339Micros(text: string): number | undefined {
  const us = parseRfc3339MicrosAnyYear(text);
  return us !== undefined && inTimeRange(us) ? us : undefined;
}

/** `parseRfc3339Micros` without the range check, for callers that word an out-of-range time themselves. */
export function parseRfc3339MicrosAnyYear(text: string): number | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return undefined;
  const year = Number(y);
  let ms = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59));
  // Date.UTC reads years 0-99 as 1900-1999: put year 0001 back in year 1, not 1901.
  if (year < 100) ms = new Date(ms).setUTCFullYear(year);
  // Date.UTC rolls 31 February into March; a timestamp that does so is not a real date.
  if (new Date(ms).getUTCDate() !== day) return undefined;
  if (zone !== undefined && zone !== 'Z' && zone !== 'z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    ms -= sign * (Number(zone.slice(1, 3)) * 3600e3 + Number(zone.slice(4, 6)) * 60e3);
  }
  const micros = frac === undefined ? 0 : Number(frac.padEnd(6, '0').slice(0, 6));
  return ms * 1000 + micros;
}

/** Renders epoch microseconds the way ClickHouse's DateTime64(6, 'UTC') parses and prints them. */
export function formatMicros(epochUs: number): string {
  const ms = Math.floor(epochUs / 1000);
  const iso = new Date(ms).toISOString(); // 2026-01-12T10:00:00.123Z
  const micros = String(epochUs - Math.floor(epochUs / 1e6) * 1e6).padStart(6, '0');
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${micros}`;
}

/**
 * Parses a query-time bound: RFC 3339, `now`, or `now-<n><s|m|h|d|w>` (e.g. `now-7d`; `now+1h` too), relative to
 * `nowMs`. Returns epoch microseconds, or `undefined` when the text is neither form or the time
 * is outside the store's range (`now-99999999d`).
 */
export function parseTimeBound(text: string, nowMs: number): number | undefined {
  const rel = RELATIVE.exec(text);
  if (rel) {
    const [, sign, n, unit] = rel;
    const offsetMs = n === undefined || unit === undefined ? 0 : Number(n) * (UNIT_MS[unit] ?? 0);
    const us = (sign === '+' ? nowMs + offsetMs : nowMs - offsetMs) * 1000;
    return inTimeRange(us) ? us : undefined;
  }
  return parseRfc3339Micros(text);
}
