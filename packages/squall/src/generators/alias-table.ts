import type { Prng } from './prng.js';

/**
 * Samples indices in proportion to fixed weights in O(1) (Walker/Vose alias method), so a
 * weighted pick costs the same for 5 verbs or 100,000 Zipf-ranked tenants.
 */
export class AliasTable {
  readonly size: number;
  readonly #prob: Float64Array;
  readonly #alias: Uint32Array;

  /** `weights` must be finite, >= 0, and not all 0 (callers validate user input first). */
  constructor(weights: readonly number[]) {
    const n = weights.length;
    const total = weights.reduce((a, b) => a + b, 0);
    if (n === 0 || !(total > 0) || !Number.isFinite(total)) throw new RangeError('AliasTable needs at least one positive finite weight');
    this.size = n;
    this.#prob = new Float64Array(n);
    this.#alias = new Uint32Array(n);
    const scaled = weights.map((w) => (w * n) / total);
    const small: number[] = [];
    const large: number[] = [];
    scaled.forEach((p, i) => (p < 1 ? small : large).push(i));
    while (small.length > 0 && large.length > 0) {
      const s = small.pop() as number;
      const l = large.pop() as number;
      this.#prob[s] = scaled[s] as number;
      this.#alias[s] = l;
      const rest = (scaled[l] as number) + (scaled[s] as number) - 1;
      scaled[l] = rest;
      (rest < 1 ? small : large).push(l);
    }
    // Leftovers are 1 up to rounding error.
    for (const i of large) this.#prob[i] = 1;
    for (const i of small) this.#prob[i] = 1;
  }

  /** An index in [0, size), drawn with probability weight[i] / sum(weights). */
  sample(rng: Prng): number {
    // One draw serves both choices: the integer part picks the column, the fraction is the coin.
    const x = rng.float() * this.size;
    const i = x | 0;
    return x - i < (this.#prob[i] as number) ? i : (this.#alias[i] as number);
  }
}

/** Weights of a Zipf distribution over ranks 1..n: rank k has weight 1/k^s (noisy-tenant skew). */
export function zipfWeights(n: number, exponent: number): number[] {
  return Array.from({ length: n }, (_, k) => 1 / Math.pow(k + 1, exponent));
}
