/**
 * Go-style duration strings (`10s`, `1m30s`, `500ms`, `1.5h`, `250us`) to milliseconds, as k6 accepts
 * for `delayAbortEval`. Local until a shared `config/duration.ts` exists; behaviour matches Go's
 * `time.ParseDuration` for non-negative values (a bare number other than 0 needs a unit).
 */

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};
const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

/** Parses a duration string into ms; `undefined` when it is not one. */
export function parseGoDurationMs(text: string): number | undefined {
  const s = text.trim();
  if (s === '0') return 0;
  if (s === '') return undefined;
  let pos = 0;
  let totalMs = 0;
  while (pos < s.length) {
    PART.lastIndex = pos;
    const m = PART.exec(s);
    if (m === null) return undefined;
    totalMs += Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? Number.NaN);
    pos = PART.lastIndex;
  }
  return Number.isFinite(totalMs) ? totalMs : undefined;
}
