/**
 * Seeded pseudo-random numbers for the generators. sfc32 (Chris Doty-Humphrey's Small Fast
 * Chaotic generator): 128-bit state, passes PractRand to many terabytes, and runs on plain 32-bit
 * integer ops, which V8 keeps unboxed; Math.random cannot be seeded, and a BigInt PRNG is far slower.
 */

/** 32-bit finaliser of MurmurHash3: a bijection on uint32 with full avalanche. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Four 32-bit words from a seed (any string or number) and optional integer salts. */
export function seedWords(seed: string | number, ...salts: readonly number[]): [number, number, number, number] {
  const text = String(seed);
  // cyrb128-style: four lanes so every character reaches all 128 bits.
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  for (const salt of salts) {
    // Salts above 2^32 (stream ids, instance numbers) keep their high bits too.
    const lo = salt >>> 0;
    const hi = Math.floor(salt / 4294967296) >>> 0;
    h1 = fmix32(h1 ^ lo) ^ h2;
    h2 = fmix32(h2 ^ hi) ^ h3;
    h3 = fmix32(h3 ^ lo ^ 0x9e3779b9) ^ h4;
    h4 = fmix32(h4 ^ hi ^ 0x7f4a7c15) ^ h1;
  }
  return [fmix32(h1 ^ h4), fmix32(h2 ^ h1), fmix32(h3 ^ h2), fmix32(h4 ^ h3)];
}

/** A deterministic random stream. Not for cryptography. */
export class Prng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(words: readonly [number, number, number, number]) {
    this.#a = words[0] | 0;
    this.#b = words[1] | 0;
    this.#c = words[2] | 0;
    this.#d = words[3] | 0;
    // The first outputs of sfc32 correlate with the seed; discard them as its author recommends.
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** A stream from a seed and salts (see `seedWords`). */
  static from(seed: string | number, ...salts: readonly number[]): Prng {
    return new Prng(seedWords(seed, ...salts));
  }

  /** Uniform unsigned 32-bit integer. */
  u32(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  float(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** Uniform integer in [min, max]. */
  range(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  /** One element of a non-empty array, uniformly. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)] as T;
  }

  /** Log-normal sample with the given median and shape sigma (long right tail, like latencies and prices). */
  logNormal(median: number, sigma: number): number {
    // Box-Muller; 1 - float() keeps the log argument in (0, 1].
    const z = Math.sqrt(-2 * Math.log(1 - this.float())) * Math.cos(2 * Math.PI * this.float());
    return median * Math.exp(sigma * z);
  }
}
