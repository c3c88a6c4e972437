import { DailyRhythm } from './daily-rhythm.js';
import type { Prng } from './prng.js';

/** How a stream places its records in time. */
export interface ClockOptions {
  readonly from: number | undefined;
  readonly to: number | undefined;
  /** 0 = flat, up to 0.95; peak at 14:00 UTC. */
  readonly rhythm: number;
}

/**
 * Timestamps for a stream: sorted over [from, to) when the record count is known (CLI files),
 * random within the window otherwise, and the live clock when no window is set (scripts that
 * send "now" events to a system under test).
 */
export class EventClock {
  readonly #rhythm: DailyRhythm | undefined;
  readonly #count: number | undefined;

  constructor(options: ClockOptions, count: number | undefined) {
    const { from, to } = options;
    if (from !== undefined || to !== undefined) {
      const toMs = to ?? Date.now();
      const fromMs = from ?? toMs - 86_400_000;
      this.#rhythm = new DailyRhythm(fromMs, toMs, { amplitude: options.rhythm, peakHourUtc: 14 });
    }
    this.#count = count;
  }

  /** Epoch ms (with a sub-millisecond fraction) of record `index` of the stream. */
  at(index: number, rng: Prng): number {
    const r = this.#rhythm;
    if (r === undefined) return Date.now() + rng.float();
    if (this.#count !== undefined && index < this.#count) return r.nth(index, this.#count, rng);
    return r.random(rng);
  }
}
