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
  readonly #words = new Uint32Array(4);

  constructor(seed: string | number, salt: number) {
    this.#keys = seedWords(seed, salt, 0x1d);
    this.#hiKey = seedWords(seed, salt, 0x2e)[0] & 0x3ff;
  }

  /** The id for `sequence` (0 <= sequence < MAX_SEQUENCE) of `stream` (0 <= stream < 2^32). */
  uuid(stream: number, sequence: number, rng: Prng): string {
    this.words(stream, sequence, rng, this.#words);
    return formatUuid(this.#words);
  }

  /**
   * The same id as `uuid` (drawing the same numbers from `rng`) as four 32-bit words in `out`,
   * for writers that put its hex digits straight into bytes (`writeUuid`).
   */
  words(stream: number, sequence: number, rng: Prng, out: Uint32Array): void {
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
    out[0] = l;
    out[1] = ((r & 0xffff0000) | 0x8000 | (r & 0xfff)) >>> 0;
    out[2] = (0x80000000 | (((r >>> 12) & 0xf) << 26) | (seqHi << 16) | (rng.u32() & 0xffff)) >>> 0;
    out[3] = rng.u32();
  }
}

/** The id in `words` (from `UniqueIds#words`) as text. */
export function formatUuid(words: Uint32Array): string {
  const a = hex32(words[0] as number);
  const b = hex32(words[1] as number);
  const c = hex32(words[2] as number);
  return `${a}-${b.slice(0, 4)}-${b.slice(4)}-${c.slice(0, 4)}-${c.slice(4)}${hex32(words[3] as number)}`;
}

/** Lowercase hex digit pairs as ASCII: bytes 2v and 2v+1 spell v. */
const HEX_BYTES = Uint8Array.from(HEX.join(''), (ch) => ch.charCodeAt(0));

function writeHex16(buf: Uint8Array, at: number, v: number): void {
  const hi = (v >>> 8) << 1;
  const lo = (v & 255) << 1;
  buf[at] = HEX_BYTES[hi] as number;
  buf[at + 1] = HEX_BYTES[hi + 1] as number;
  buf[at + 2] = HEX_BYTES[lo] as number;
  buf[at + 3] = HEX_BYTES[lo + 1] as number;
}

/** Writes the 36 ASCII bytes of the id in `words` (from `UniqueIds#words`) at `at`; returns the end. */
export function writeUuid(buf: Uint8Array, at: number, words: Uint32Array): number {
  const a = words[0] as number;
  const b = words[1] as number;
  const c = words[2] as number;
  const d = words[3] as number;
  writeHex16(buf, at, a >>> 16);
  writeHex16(buf, at + 4, a & 0xffff);
  buf[at + 8] = 45;
  writeHex16(buf, at + 9, b >>> 16);
  buf[at + 13] = 45;
  writeHex16(buf, at + 14, b & 0xffff);
  buf[at + 18] = 45;
  writeHex16(buf, at + 19, c >>> 16);
  buf[at + 23] = 45;
  writeHex16(buf, at + 24, c & 0xffff);
  writeHex16(buf, at + 28, d >>> 16);
  writeHex16(buf, at + 32, d & 0xffff);
  return at + 36;
}

/** `n` random hex digits (trace ids, span ids, tokens), n a multiple of 8. */
export function randomHex(rng: Prng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i += 8) s += hex32(rng.u32());
  return s;
}
