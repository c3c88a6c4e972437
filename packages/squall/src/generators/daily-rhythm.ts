import type { Prng } from './prng.js';

const DAY_MS = 86_400_000;
const STEP_MS = 60_000;
const STEPS = DAY_MS / STEP_MS;

/** How traffic varies over a UTC day: `amplitude` 0 is flat; 0.6 makes the peak 4x the trough. */
export interface RhythmShape {
  readonly amplitude: number;
  /** Hour of the busiest moment, UTC. */
  readonly peakHourUtc: number;
}

/**
 * Places events in [fromMs, toMs) with a daily rhythm (density 1 + a*cos(2π(h - peak)/24)).
 * Works on cumulative "traffic mass": event i of n gets the time where mass reaches (i + u)/n of
 * the window, so a stream of known length comes out sorted (as a real audit log is) with
 * constant memory; a random mass gives an unsorted draw for streams of unknown length.
 */
export class DailyRhythm {
  readonly #cum = new Float64Array(STEPS + 1);
  readonly #fromMass: number;
  readonly #spanMass: number;

  constructor(
    readonly fromMs: number,
    readonly toMs: number,
    shape: RhythmShape,
  ) {
    // Mass per minute, integrated in closed form so a day sums to exactly DAY_MS.
    const k = (2 * Math.PI) / DAY_MS;
    const peak = shape.peakHourUtc * 3_600_000;
    const a = Math.min(0.95, Math.max(0, shape.amplitude));
    const cumAt = (x: number) => x + (a / k) * (Math.sin(k * (x - peak)) - Math.sin(-k * peak));
    for (let i = 0; i <= STEPS; i++) this.#cum[i] = cumAt(i * STEP_MS);
    this.#fromMass = this.#massAt(fromMs);
    this.#spanMass = Math.max(0, this.#massAt(toMs) - this.#fromMass);
  }

  /** Epoch ms (fractional) for position `fraction` in [0, 1) of the window's traffic. */
  at(fraction: number): number {
    return this.#timeAt(this.#fromMass + fraction * this.#spanMass);
  }

  /** Time of event `index` of `count`, sorted by index, jittered within its slot. */
  nth(index: number, count: number, rng: Prng): number {
    return this.at((index + rng.float()) / count);
  }

  /** A random time in the window. */
  random(rng: Prng): number {
    return this.at(rng.float());
  }

  #massAt(ms: number): number {
    const day = Math.floor(ms / DAY_MS);
    const tod = ms - day * DAY_MS;
    const i = Math.min(STEPS - 1, Math.floor(tod / STEP_MS));
    const lo = this.#cum[i] as number;
    const hi = this.#cum[i + 1] as number;
    return day * DAY_MS + lo + ((tod - i * STEP_MS) / STEP_MS) * (hi - lo);
  }

  #timeAt(mass: number): number {
    const day = Math.floor(mass / DAY_MS);
    const rest = mass - day * DAY_MS;
    const cum = this.#cum;
    let lo = 0;
    let hi = STEPS;
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if ((cum[mid] as number) <= rest) lo = mid;
      else hi = mid;
    }
    const c0 = cum[lo] as number;
    const c1 = cum[lo + 1] as number;
    return day * DAY_MS + lo * STEP_MS + (c1 > c0 ? ((rest - c0) / (c1 - c0)) * STEP_MS : 0);
  }
}
