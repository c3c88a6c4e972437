/**
 * Every HDR histogram setting squall uses, in one place: pure-JS hdr-histogram-js (no WebAssembly, so
 * no async init in workers), 3 significant digits, auto-resize, 64-bit float counts (no overflow for
 * any run length). Values are recorded at a fixed scale (x1000: microseconds for ms) as integers;
 * negative values go to a mirrored histogram created on first use.
 */
import {
  Float64Histogram,
  JsHistogram,
  decodeFromCompressedBase64,
  encodeIntoCompressedBase64,
} from 'hdr-histogram-js';
import { SquallError } from '../errors.js';

/** Recorded units per original unit: values keep 3 decimals (1 us for ms). */
export const HDR_SCALE = 1000;
const SIGNIFICANT_DIGITS = 3;
/** Scaled magnitudes are clamped here (about 4.5e12 original units); exact min/max live outside. */
const MAX_SCALED = 2 ** 52;
/** Separates the positive and negative parts of an encoded histogram (not a base64 character). */
const NEG_SEPARATOR = '|';

/**
 * A histogram of arbitrary finite numbers. Mutable; owned by one thread. Exact for counts, values
 * exact to 3 significant digits (and to 1/HDR_SCALE absolute near zero).
 */
export interface Hdr {
  readonly pos: JsHistogram;
  neg: JsHistogram | undefined;
}

function newHistogram(): JsHistogram {
  const h = new Float64Histogram(1, 2, SIGNIFICANT_DIGITS);
  h.autoResize = true;
  return h;
}

/** Creates an empty histogram. */
export function createHdr(): Hdr {
  return { pos: newHistogram(), neg: undefined };
}

/**
 * Counts-array index for a scaled value, as the library computes it with 3 digits and unit 1
 * (sub-bucket half count 2^10), but with clz32 instead of log2/pow: about 10x faster. Only valid
 * below 2^32; `hdr.test.ts` checks it against `countsArrayIndex`. Exported for that test.
 */
export function fastCountsIndex(scaled: number): number {
  if (scaled < 2048) return scaled;
  const bucket = 21 - Math.clz32(scaled);
  return (bucket + 1) * 1024 + (scaled >>> bucket) - 1024;
}

function recordScaled(h: JsHistogram, scaled: number): void {
  if (scaled < 4294967296) {
    const index = fastCountsIndex(scaled);
    if (index < h.countsArrayLength) {
      h.incrementCountAtIndex(index);
      h.incrementTotalCount();
      h.updateMinAndMax(scaled);
      return;
    }
  }
  h.recordValue(scaled);
}

/** Records one value (original units). Hot path: no allocation except a rare resize. Non-finite values are ignored. */
export function recordHdr(h: Hdr, value: number): void {
  if (!Number.isFinite(value)) return;
  // `|| 0` turns -0 (tiny negatives) into 0 so it lands in the positive histogram's zero bucket.
  const scaled = Math.round(value * HDR_SCALE) || 0;
  if (scaled >= 0) {
    recordScaled(h.pos, scaled > MAX_SCALED ? MAX_SCALED : scaled);
  } else {
    if (h.neg === undefined) h.neg = newHistogram();
    recordScaled(h.neg, scaled < -MAX_SCALED ? MAX_SCALED : -scaled);
  }
}

/** Number of values recorded. */
export function hdrCount(h: Hdr): number {
  return h.pos.totalCount + (h.neg === undefined ? 0 : h.neg.totalCount);
}

/**
 * Compact, canonical string for postMessage/JSON (equal contents give equal text): `''` when empty,
 * else the compressed base64 HdrHistogram V2 encoding of the positive part, followed by `|` and the
 * negative magnitudes' encoding when there are negative values.
 */
export function encodeHdr(h: Hdr): string {
  const pos = h.pos.totalCount === 0 ? '' : encodePart(h.pos);
  if (h.neg === undefined || h.neg.totalCount === 0) return pos;
  return pos + NEG_SEPARATOR + encodePart(h.neg);
}

function encodePart(h: JsHistogram): string {
  const saved = h.highestTrackableValue;
  // The header's highest trackable value only sizes the decoder's counts array. Writing the top of
  // the max bucket makes the text canonical (equal contents encode equally, whatever the merge
  // order or resizes) and decoded arrays no larger than needed.
  h.highestTrackableValue = Math.max(2, h.highestEquivalentValue(h.maxValue));
  try {
    return encodeIntoCompressedBase64(h);
  } finally {
    h.highestTrackableValue = saved;
  }
}

function decodePart(text: string): JsHistogram {
  if (text === '') return newHistogram();
  const decoded = decodeFromCompressedBase64(text, 64);
  if (!(decoded instanceof JsHistogram)) throw new Error('decoded histogram is not a JS histogram');
  decoded.autoResize = true;
  return decoded;
}

/** Decodes `encodeHdr` output. Throws SquallError SQUALL_IO when the text is not an encoded histogram. */
export function decodeHdr(text: string): Hdr {
  const sep = text.indexOf(NEG_SEPARATOR);
  const posText = sep < 0 ? text : text.slice(0, sep);
  try {
    return {
      pos: decodePart(posText),
      neg: sep < 0 ? undefined : decodePart(text.slice(sep + 1)),
    };
  } catch (cause) {
    const shown = text.length > 40 ? `${text.slice(0, 40)}...` : text;
    throw new SquallError(
      'SQUALL_IO',
      `expected an encoded histogram (base64 HDR V2, optional "|" negative part), but found "${shown}"; ` +
        'the results file may be truncated or from another tool',
      { cause },
    );
  }
}

/** Adds every count of `from` into `into` (exact: merge of two equals recording both). */
export function mergeHdr(into: Hdr, from: Hdr): void {
  if (from.pos.totalCount > 0) into.pos.add(from.pos);
  if (from.neg !== undefined && from.neg.totalCount > 0) {
    if (into.neg === undefined) into.neg = newHistogram();
    into.neg.add(from.neg);
  }
}

/** Empties the histogram, keeping its arrays for reuse (interval after interval). */
export function resetHdr(h: Hdr): void {
  if (h.pos.totalCount > 0) h.pos.reset();
  if (h.neg !== undefined && h.neg.totalCount > 0) h.neg.reset();
}

/**
 * Midpoints of the equivalence ranges holding the given 0-based ranks of scaled magnitudes, in one
 * pass over the counts (summaries ask for several percentiles of large arrays).
 */
function magnitudesAtRanks(h: JsHistogram, ranks: readonly number[]): number[] {
  const out: number[] = [];
  let seen = 0;
  const length = h.countsArrayLength;
  for (let i = 0; i < length && out.length < ranks.length; i++) {
    const count = h.getCountAtIndex(i);
    if (count === 0) continue;
    seen += count;
    if ((ranks[out.length] as number) >= seen) continue;
    const lowest = h.valueFromIndex(i);
    const mid = lowest + (h.sizeOfEquivalentValueRange(lowest) - 1) / 2;
    while (out.length < ranks.length && (ranks[out.length] as number) < seen) out.push(mid);
  }
  while (out.length < ranks.length) out.push(h.maxValue);
  return out;
}

/** Values (original units) at the given 0-based ranks: negatives (largest magnitude first), then positives. */
function valuesAtRanks(h: Hdr, ranks: readonly number[]): Map<number, number> {
  const negCount = h.neg === undefined ? 0 : h.neg.totalCount;
  const negRanks = ranks.filter((r) => r < negCount).map((r) => negCount - 1 - r);
  const posRanks = ranks.filter((r) => r >= negCount).map((r) => r - negCount);
  const values = new Map<number, number>();
  if (h.neg !== undefined && negRanks.length > 0) {
    const ascending = [...negRanks].sort((a, b) => a - b);
    const magnitudes = magnitudesAtRanks(h.neg, ascending);
    ascending.forEach((m, i) => values.set(negCount - 1 - m, -(magnitudes[i] as number) / HDR_SCALE));
  }
  const ascending = [...posRanks].sort((a, b) => a - b);
  const magnitudes = magnitudesAtRanks(h.pos, ascending);
  ascending.forEach((m, i) => values.set(m + negCount, (magnitudes[i] as number) / HDR_SCALE));
  return values;
}

/**
 * Values at percentiles `ps` (each 0..100) in original units, with k6's definition: linear
 * interpolation between the sorted values around rank p/100*(count-1). 0 when empty. Pass the exact
 * `min`/`max` kept beside the histogram: the extreme ranks then come out exact and results are
 * clamped to them. One pass over the counts for all of `ps`.
 */
export function hdrPercentiles(h: Hdr, ps: readonly number[], min = -Infinity, max = Infinity): number[] {
  const count = hdrCount(h);
  if (count === 0) return ps.map(() => 0);
  const positions = ps.map((p) => ((p < 0 ? 0 : p > 100 ? 100 : p) / 100) * (count - 1));
  const ranks = new Set<number>();
  for (const index of positions) {
    ranks.add(Math.floor(index));
    if (index % 1 !== 0) ranks.add(Math.floor(index) + 1);
  }
  const exact = new Map<number, number>();
  if (min !== -Infinity) exact.set(0, min);
  if (max !== Infinity) exact.set(count - 1, max);
  const looked = valuesAtRanks(h, [...ranks].filter((r) => !exact.has(r)));
  const at = (rank: number) => exact.get(rank) ?? looked.get(rank) ?? 0;
  return positions.map((index) => {
    const lowRank = Math.floor(index);
    const fraction = index - lowRank;
    const low = at(lowRank);
    const value = fraction === 0 ? low : low + (at(lowRank + 1) - low) * fraction;
    return value < min ? min : value > max ? max : value;
  });
}

/** One percentile; see `hdrPercentiles`. */
export function hdrPercentile(h: Hdr, p: number, min = -Infinity, max = Infinity): number {
  return hdrPercentiles(h, [p], min, max)[0] as number;
}
