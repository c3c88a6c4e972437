/**
 * HdrHistogram's compressed V2 text (base64 of a cookie, a length and the zlib-deflated V2 bytes),
 * written and read here rather than through hdr-histogram-js's byte-at-a-time buffers, which cost
 * milliseconds per histogram on the main thread every interval. The text written is byte for byte
 * what the library's `encodeIntoCompressedBase64` writes: the same header fields, the same ZigZag
 * LEB128 words, the same zlib call with default options. `hdr-encoding.test.ts`
 * checks both directions against the library.
 */
import { deflateSync, inflateSync } from 'node:zlib';
import type { Float64Histogram } from 'hdr-histogram-js';

const V2_COOKIE_BASE = 0x1c849303;
const V2_COMPRESSED_COOKIE_BASE = 0x1c849304;
/** The library's cookies: the base with the word-size nibble of its TLZE encoding. */
const V2_COOKIE = V2_COOKIE_BASE | 0x10;
const V2_COMPRESSED_COOKIE = V2_COMPRESSED_COOKIE_BASE | 0x10;
const HEADER_BYTES = 40;
/** Most bytes one ZigZag LEB128-64b9B word takes. */
const MAX_WORD_BYTES = 9;
const TWO_POW_32 = 2 ** 32;
const TWO_POW_56 = 2 ** 56;

/** Uncompressed V2 bytes being written (reused across calls: one thread, one encode at a time). */
let out = new Uint8Array(16_384);

function putUint32(value: number, position: number): void {
  const v = value >>> 0;
  out[position] = v >>> 24;
  out[position + 1] = (v >>> 16) & 0xff;
  out[position + 2] = (v >>> 8) & 0xff;
  out[position + 3] = v & 0xff;
}

function putInt64(value: number, position: number): void {
  putUint32(Math.floor(value / TWO_POW_32), position);
  putUint32(value, position + 4);
}

/**
 * Writes one ZigZag LEB128 word at `at` as the library's `ZigZagEncoding.encode` does; returns the
 * next position. Counts are safe integers (the library refuses larger), so words stay below 2^56
 * and take at most 8 bytes: the library's 9-byte form (with quirks of its own) never comes up.
 */
function putWord(bytes: Uint8Array, at: number, value: number): number {
  let v = value >= 0 ? value * 2 : -value * 2 - 1;
  while (v >= 128) {
    bytes[at++] = (v % 128) | 0x80;
    v = Math.floor(v / 128);
  }
  bytes[at++] = v;
  return at;
}

/**
 * The compressed V2 base64 text of `h`, as `encodeIntoCompressedBase64(h)` with the header's highest
 * trackable value set to `highestTrackableValue`. Counts are written up to the bucket of `h.maxValue`.
 */
export function encodeCompressedV2(h: Float64Histogram, highestTrackableValue: number): string {
  const counts = h._counts as Float64Array;
  const limit = h.countsArrayIndex(h.maxValue) + 1;
  const needed = HEADER_BYTES + limit * MAX_WORD_BYTES;
  if (out.length < needed) out = new Uint8Array(2 ** Math.ceil(Math.log2(needed)));
  putUint32(V2_COOKIE, 0);
  putUint32(1, 8); // normalizingIndexOffset, as the library writes it
  putUint32(h.numberOfSignificantValueDigits, 12);
  putInt64(h.lowestDiscernibleValue, 16);
  putInt64(highestTrackableValue, 24);
  putInt64(1, 32); // integerToDoubleValueConversionRatio
  const bytes = out;
  let at = HEADER_BYTES;
  let i = 0;
  while (i < limit) {
    const count = counts[i++] as number;
    if (count > 0) {
      // Most counts are small: one or two bytes without the general loop.
      if (count < 64) bytes[at++] = count * 2;
      else if (count < 8192) {
        bytes[at++] = ((count * 2) & 0x7f) | 0x80;
        bytes[at++] = (count * 2) >>> 7;
      } else at = putWord(bytes, at, count);
      continue;
    }
    if (count < 0) throw new Error(`cannot encode a histogram with a negative count (${count}) at index ${i - 1}`);
    // A run of zeros is one negative word; a lone zero is written as a count of 0.
    let zeros = 1;
    while (i < limit && counts[i] === 0) {
      zeros++;
      i++;
    }
    at = putWord(bytes, at, zeros > 1 ? -zeros : 0);
  }
  putUint32(at - HEADER_BYTES, 4);
  const compressed = deflateSync(bytes.subarray(0, at));
  // The library's output buffer starts at 16 bytes, so a (never seen) tiny deflate leaves zeros after it.
  const text = Buffer.alloc(Math.max(16, 8 + compressed.length));
  text.writeUInt32BE(V2_COMPRESSED_COOKIE, 0);
  text.writeUInt32BE(compressed.length, 4);
  compressed.copy(text, 8);
  return text.toString('base64');
}

/**
 * The non-zero counts of a compressed V2 text as (counts-array index, count) pairs in index order,
 * read as the library's decoder reads them; undefined when the text was written with other
 * settings than `digits` significant digits and a lowest discernible value of 1 (its indexes then
 * mean other values: decode it with the library). Throws when the text is not such an encoding.
 */
export function decodeCompressedV2Counts(text: string, digits: number): Float64Array | undefined {
  const data = Buffer.from(text.trim(), 'base64');
  if (data.length < 8 || (data.readUInt32BE(0) & ~0xf0) !== V2_COMPRESSED_COOKIE_BASE) {
    throw new Error('not a compressed V2 histogram (cookie)');
  }
  const raw = inflateSync(data.subarray(8, 8 + data.readUInt32BE(4)));
  if (raw.length < HEADER_BYTES || (raw.readUInt32BE(0) & ~0xf0) !== V2_COOKIE_BASE) {
    throw new Error('not a V2 histogram (cookie)');
  }
  const end = HEADER_BYTES + raw.readUInt32BE(4);
  const lowest = raw.readUInt32BE(16) * TWO_POW_32 + raw.readUInt32BE(20);
  const highest = raw.readUInt32BE(24) * TWO_POW_32 + raw.readUInt32BE(28);
  if (highest < 2 * lowest) throw new Error(`highest trackable value ${highest} is below twice the lowest ${lowest}`);
  if (raw.readUInt32BE(12) !== digits || lowest !== 1) return undefined;
  if (end > raw.length) throw new Error(`payload of ${end - HEADER_BYTES} bytes overruns the ${raw.length}-byte histogram`);
  let pairs = new Float64Array(256);
  let n = 0;
  let index = 0;
  let p = HEADER_BYTES;
  while (p < end) {
    // ZigZag LEB128-64b9B, as the library's ZigZagEncoding.decode (every byte masked to 7 bits).
    let b = raw[p++] as number;
    let value = b & 0x7f;
    let scale = 128;
    while ((b & 0x80) !== 0 && scale <= TWO_POW_56) {
      b = raw[p++] as number;
      value += (b & 0x7f) * scale;
      scale *= 128;
    }
    const word = value % 2 === 0 ? value / 2 : -(value + 1) / 2;
    if (word < 0) {
      index -= word;
      continue;
    }
    if (word > 0) {
      if (n + 2 > pairs.length) {
        const grown = new Float64Array(pairs.length * 2);
        grown.set(pairs);
        pairs = grown;
      }
      pairs[n] = index;
      pairs[n + 1] = word;
      n += 2;
    }
    index++;
  }
  return n === pairs.length ? pairs : pairs.slice(0, n);
}
