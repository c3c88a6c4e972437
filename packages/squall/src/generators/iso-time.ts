const DAY_MS = 86_400_000;
const PAD2 = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
/** ASCII digits of 000..999: bytes 3n to 3n+2 spell n. */
const DIGITS3 = Uint8Array.from(Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0')).join(''), (ch) => ch.charCodeAt(0));

/**
 * Formats epoch times as RFC 3339 text in UTC. Keeps the date part of the last day seen and
 * builds the time of day from a lookup table: Date#toISOString per event would cost more than
 * the rest of an audit event, and generated streams stay within one day for long runs.
 */
export class IsoTime {
  #day = Number.NaN;
  #prefix = '';
  #prefixBytes = Buffer.alloc(0);

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

  /** Writes the ASCII bytes of `micros(epochMs)` at `at` of `buf` (room for 32 bytes); returns the end. */
  writeMicros(buf: Buffer, at: number, epochMs: number): number {
    // The same arithmetic as `micros`, digit by digit.
    const us = Math.floor(epochMs * 1000);
    const ms = Math.floor(us / 1000);
    const day = this.#dayOf(ms);
    const prefix = this.#prefixBytes;
    let p = at;
    // 11 bytes: a loop costs less than a buffer copy call.
    for (let i = 0; i < prefix.length; i++) buf[p++] = prefix[i] as number;
    const sec = Math.floor((ms - day * DAY_MS) / 1000);
    const h = (sec / 3600) | 0;
    const m = ((sec - h * 3600) / 60) | 0;
    const s = sec - h * 3600 - m * 60;
    buf[p] = 48 + ((h / 10) | 0);
    buf[p + 1] = 48 + (h % 10);
    buf[p + 2] = 58;
    buf[p + 3] = 48 + ((m / 10) | 0);
    buf[p + 4] = 48 + (m % 10);
    buf[p + 5] = 58;
    buf[p + 6] = 48 + ((s / 10) | 0);
    buf[p + 7] = 48 + (s % 10);
    buf[p + 8] = 46;
    const frac = us - Math.floor(ms / 1000) * 1_000_000;
    const thousands = (frac / 1000) | 0;
    const hi = thousands * 3;
    const lo = (frac - thousands * 1000) * 3;
    buf[p + 9] = DIGITS3[hi] as number;
    buf[p + 10] = DIGITS3[hi + 1] as number;
    buf[p + 11] = DIGITS3[hi + 2] as number;
    buf[p + 12] = DIGITS3[lo] as number;
    buf[p + 13] = DIGITS3[lo + 1] as number;
    buf[p + 14] = DIGITS3[lo + 2] as number;
    buf[p + 15] = 90;
    return p + 16;
  }

  #dayOf(ms: number): number {
    const day = Math.floor(ms / DAY_MS);
    if (day !== this.#day) {
      this.#day = day;
      this.#prefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
      this.#prefixBytes = Buffer.from(this.#prefix);
    }
    return day;
  }

  #hms(ms: number): string {
    const day = this.#dayOf(ms);
    const sec = Math.floor((ms - day * DAY_MS) / 1000);
    const h = (sec / 3600) | 0;
    const m = ((sec - h * 3600) / 60) | 0;
    return `${this.#prefix}${PAD2[h] as string}:${PAD2[m] as string}:${PAD2[sec - h * 3600 - m * 60] as string}`;
  }
}
