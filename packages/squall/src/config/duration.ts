/**
 * Durations as k6 takes them: Go-style strings (`1h2m3.5s`, `500ms`, `100us`, `0`, plus `d` for
 * days as k6's CLI allows) or plain numbers, which are milliseconds. Shared by config, engine and CLI.
 */
import { SquallError } from '../errors.js';

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};
const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h|d)/y;

/** Parses a duration string; `undefined` when it is not one (no throw, for validators). */
export function tryParseDurationMs(text: string): number | undefined {
  let s = text.trim();
  const negative = s.startsWith('-');
  if (negative || s.startsWith('+')) s = s.slice(1);
  if (s === '0') return 0;
  if (s === '') return undefined;
  let totalMs = 0;
  let pos = 0;
  while (pos < s.length) {
    PART.lastIndex = pos;
    const m = PART.exec(s);
    if (m === null) return undefined;
    totalMs += Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? Number.NaN);
    pos = PART.lastIndex;
  }
  if (!Number.isFinite(totalMs)) return undefined;
  return negative ? -totalMs : totalMs;
}

/**
 * A duration in milliseconds (may be fractional: `100us` is 0.1). Throws SquallError
 * (SQUALL_CONFIG_INVALID) naming the value when it is neither a duration string nor a finite number.
 */
export function parseDurationMs(value: string | number): number {
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
    throw new SquallError('SQUALL_CONFIG_INVALID', `a duration must be a finite number of milliseconds, but is ${value}`);
  }
  const ms = tryParseDurationMs(value);
  if (ms !== undefined) return ms;
  const hint = /^\s*[\d.]+\s*$/.test(value) ? `; add a unit, e.g. "${value.trim()}s" or "${value.trim()}ms"` : '; write e.g. "1h2m3.5s", "500ms" or "100us"';
  throw new SquallError('SQUALL_CONFIG_INVALID', `"${value}" is not a duration${hint}`);
}
