const DAY_MS = 86_400_000;
const PAD2 = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));

/**
 * Formats epoch times as RFC 3339 text in UTC. Keeps the date part of the last day seen and
 * builds the time of day from a lookup table: Date#toISOString per event would cost more than
 * the rest of an audit event, and generated streams stay within one day for long runs.
 */
export class IsoTime {
  #day = Number.NaN;
  #prefix = '';

  /** `2025-01-01T12:00:00.123456Z` (microseconds, as Kubernetes audit logs write). */
  micros(epochMs: number): string {
    const us = Math.floor(epochMs * 1000);
    const ms = Math.floor(us / 1000);
    return `${this.#hms(ms)}.${String((us - Math.floor(ms / 1000) * 1_000_000) + 1_000_000).slice(1)}Z`;
  }

  /** `2025-01-01T12:00:00.123Z` (milliseconds, as JavaScript writes). */
  millis(epochMs: number): string {
    const ms = Math.floor(epochMs);
    return `${this.#hms(ms)}.${String((ms % 1000 + 1000) % 1000 + 1000).slice(1)}Z`;
  }

  #hms(ms: number): string {
    const day = Math.floor(ms / DAY_MS);
    if (day !== this.#day) {
      this.#day = day;
      this.#prefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    }
    const sec = Math.floor((ms - day * DAY_MS) / 1000);
    const h = (sec / 3600) | 0;
    const m = ((sec - h * 3600) / 60) | 0;
    return `${this.#prefix}${PAD2[h] as string}:${PAD2[m] as string}:${PAD2[sec - h * 3600 - m * 60] as string}`;
  }
}
