import { fmix32, seedWords } from './prng.js';
import type { Prng } from './prng.js';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex32(w: number): string {
  return (HEX[w >>> 24] as string) + (HEX[(w >>> 16) & 255] as string) + (HEX[(w >>> 8) & 255] as string) + (HEX[w & 255] as string);
}

/** Most sequence numbers one stream can issue before ids could repeat (2^42). */
export const MAX_SEQUENCE = 2 ** 42;

/**
 * Makes UUID-shaped ids (RFC 9562 version 8) that never repeat for distinct (stream, sequence)
 * pairs, yet look random. A 4-round Feistel network keyed by the seed permutes the 64 bits
 * (stream, low 32 bits of sequence); a permutation cannot map two inputs to one output, so VUs
 * (streams = `exec.vu.idInTest`) on any worker or machine cannot collide, without coordination.
 * The remaining bits carry the sequence's high bits and randomness from the stream's PRNG.
 */
export class UniqueIds {
  readonly #keys: readonly [number, number, number, number];
  readonly #hiKey: number;

  constructor(seed: string | number, salt: number) {
    this.#keys = seedWords(seed, salt, 0x1d);
    this.#hiKey = seedWords(seed, salt, 0x2e)[0] & 0x3ff;
  }

  /** The id for `sequence` (0 <= sequence < MAX_SEQUENCE) of `stream` (0 <= stream < 2^32). */
  uuid(stream: number, sequence: number, rng: Prng): string {
    let l = stream >>> 0;
    let r = sequence >>> 0;
    for (let round = 0; round < 4; round++) {
      const f = fmix32((r ^ (this.#keys[round] as number)) >>> 0);
      const next = (l ^ f) >>> 0;
      l = r;
      r = next;
    }
    const seqHi = (Math.floor(sequence / 4294967296) ^ this.#hiKey) & 0x3ff;
    // w2: variant '10', 4 bits of r that the version nibble displaced, 10 bits of seqHi, 16 random.
    const w2 = (0x80000000 | (((r >>> 12) & 0xf) << 26) | (seqHi << 16) | (rng.u32() & 0xffff)) >>> 0;
    const w1 = ((r & 0xffff0000) | 0x8000 | (r & 0xfff)) >>> 0;
    const a = hex32(l);
    const b = hex32(w1);
    const c = hex32(w2);
    return `${a}-${b.slice(0, 4)}-${b.slice(4)}-${c.slice(0, 4)}-${c.slice(4)}${hex32(rng.u32())}`;
  }
}

/** `n` random hex digits (trace ids, span ids, tokens), n a multiple of 8. */
export function randomHex(rng: Prng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i += 8) s += hex32(rng.u32());
  return s;
}
