/**
 * Every HDR histogram setting squall uses, in one place: pure-JS hdr-histogram-js (no WebAssembly, so
 * no async init in workers), 3 significant digits, auto-resize, 64-bit float counts (no overflow for
 * any run length). Values are recorded at a fixed scale (x1000: microseconds for ms) as integers;
 * negative values go to a mirrored histogram created on first use. Between threads a histogram
 * travels as its non-zero counts (`HdrCounts`); in files, as compressed V2 text (`encodeHdr`).
 */
import { Float64Histogram, JsHistogram, decodeFromCompressedBase64 } from 'hdr-histogram-js';
import { SquallError } from '../errors.js';
import { decodeCompressedV2Counts, encodeCompressedV2 } from './hdr-encoding.js';

/** Recorded units per original unit: values keep 3 decimals (1 us for ms). */
export const HDR_SCALE = 1000;
const SIGNIFICANT_DIGITS = 3;
/** Scaled magnitudes are clamped here (about 4.5e12 original units); exact min/max live outside. */
const MAX_SCALED = 2 ** 52;
/** Separates the positive and negative parts of an encoded histogram (not a base64 character). */
const NEG_SEPARATOR = '|';

/**
 * A histogram of arbitrary finite numbers. Mutable; owned by one thread. Exact for counts, values
 * exact to 3 significant digits (and to 1/HDR_SCALE absolute near zero). Both parts always come
 * from `newHistogram` (one layout), which lets merges add counts arrays index by index.
 */
export interface Hdr {
  readonly pos: Float64Histogram;
  neg: Float64Histogram | undefined;
}

function newHistogram(): Float64Histogram {
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

function recordScaled(h: Float64Histogram, scaled: number): void {
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

/** A part's counts array (the library replaces it on resize: read it after any resize). */
function countsOf(h: Float64Histogram): Float64Array {
  return h._counts as Float64Array;
}

/** Index of the highest non-zero count: `maxValue` always lies in that bucket (recorded, decoded or merged). */
function topIndex(h: Float64Histogram): number {
  const max = h.maxValue;
  return max < 4294967296 ? fastCountsIndex(max) : h.countsArrayIndex(max);
}

/**
 * Compact, canonical string for results files (equal contents give equal text): `''` when empty,
 * else the compressed base64 HdrHistogram V2 encoding of the positive part, followed by `|` and the
 * negative magnitudes' encoding when there are negative values.
 */
export function encodeHdr(h: Hdr): string {
  const pos = h.pos.totalCount === 0 ? '' : encodePart(h.pos);
  if (h.neg === undefined || h.neg.totalCount === 0) return pos;
  return pos + NEG_SEPARATOR + encodePart(h.neg);
}

function encodePart(h: Float64Histogram): string {
  // The header's highest trackable value only sizes the decoder's counts array. Writing the top of
  // the max bucket makes the text canonical (equal contents encode equally, whatever the merge
  // order or resizes) and decoded arrays no larger than needed.
  return encodeCompressedV2(h, Math.max(2, h.highestEquivalentValue(h.maxValue)));
}

/** Adds one encoded part into `h`: directly when written with squall's settings, else through the library's decoder and merge. */
function addEncodedPart(h: Float64Histogram, text: string): void {
  const pairs = decodeCompressedV2Counts(text, SIGNIFICANT_DIGITS);
  if (pairs !== undefined) {
    addPairs(h, pairs, 0, pairs.length, false);
    return;
  }
  const decoded = decodeFromCompressedBase64(text, 64);
  if (!(decoded instanceof JsHistogram)) throw new Error('decoded histogram is not a JS histogram');
  h.add(decoded);
}

/** Adds `encodeHdr` text into `into` (exact: as merging the decoded histogram). Throws SquallError SQUALL_IO when the text is not an encoded histogram. */
export function addEncodedHdr(into: Hdr, text: string): void {
  const sep = text.indexOf(NEG_SEPARATOR);
  const posText = sep < 0 ? text : text.slice(0, sep);
  try {
    if (posText !== '') addEncodedPart(into.pos, posText);
    if (sep >= 0) {
      if (into.neg === undefined) into.neg = newHistogram();
      const negText = text.slice(sep + 1);
      if (negText !== '') addEncodedPart(into.neg, negText);
    }
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

/** Decodes `encodeHdr` output. Throws SquallError SQUALL_IO when the text is not an encoded histogram. */
export function decodeHdr(text: string): Hdr {
  const h = createHdr();
  addEncodedHdr(h, text);
  return h;
}

/**
 * A histogram's non-zero counts, for sending between threads: cheap to make, to structured-clone
 * (one block) and to add, where the encoded text costs zlib and base64 on both sides. Pairs
 * (counts-array index, count): the positive part's in ascending index order, then the negative
 * magnitudes' with each index stored as `-1 - index`. Every squall histogram has the same layout,
 * so indexes need no conversion. Never stored: files keep `encodeHdr` text.
 */
export type HdrCounts = Float64Array;

/** Pairs being collected by `hdrCounts` (reused: one thread, one call at a time). */
let scratch = new Float64Array(4096);

/** Appends the non-zero (index, count) pairs of `h` to `scratch` from position `n`; returns the new end. */
function collectPart(h: Float64Histogram, n: number): number {
  if (h.totalCount === 0) return n;
  const top = topIndex(h);
  if (scratch.length < n + 2 * (top + 1)) {
    const grown = new Float64Array(2 ** Math.ceil(Math.log2(n + 2 * (top + 1))));
    grown.set(scratch.subarray(0, n));
    scratch = grown;
  }
  const out = scratch;
  const counts = countsOf(h);
  for (let i = 0; i <= top; i++) {
    const count = counts[i] as number;
    if (count === 0) continue;
    out[n] = i;
    out[n + 1] = count;
    n += 2;
  }
  return n;
}

/** The non-zero counts of `h` (see HdrCounts); `h` is unchanged. */
export function hdrCounts(h: Hdr): HdrCounts {
  const split = collectPart(h.pos, 0);
  const n = h.neg === undefined ? split : collectPart(h.neg, split);
  for (let k = split; k < n; k += 2) scratch[k] = -1 - (scratch[k] as number);
  return scratch.slice(0, n);
}

/**
 * Adds pairs [from, to) of `pairs` into `h` (indexes stored as `-1 - index` when `negative`),
 * growing it to the highest index first. Sets totalCount, maxValue and minNonZeroValue as the
 * library's decoder does for the same counts: max the top of the highest bucket, min the bottom of
 * the lowest non-zero bucket above 0 (unit 1: the library stores both unchanged).
 */
function addPairs(h: Float64Histogram, pairs: Float64Array, from: number, to: number, negative: boolean): void {
  if (to <= from) return;
  const sign = negative ? -1 : 1;
  const offset = negative ? -1 : 0;
  const top = offset + sign * (pairs[to - 2] as number);
  if (top >= h.countsArrayLength) h.resize(h.valueFromIndex(top));
  const counts = countsOf(h);
  let total = 0;
  for (let k = from; k < to; k += 2) {
    const count = pairs[k + 1] as number;
    const index = offset + sign * (pairs[k] as number);
    counts[index] = (counts[index] as number) + count;
    total += count;
  }
  h.addToTotalCount(total);
  const max = h.highestEquivalentValue(h.valueFromIndex(top));
  if (max > h.maxValue) h.maxValue = max;
  const low = offset + sign * (pairs[from] as number);
  const lowNonZero = low !== 0 ? low : from + 2 < to ? offset + sign * (pairs[from + 2] as number) : 0;
  if (lowNonZero > 0) {
    const min = h.valueFromIndex(lowNonZero);
    if (min < h.minNonZeroValue) h.minNonZeroValue = min;
  }
}

/** Adds counts from `hdrCounts` into `into` (exact: as merging the histogram they were taken from). */
export function addHdrCounts(into: Hdr, counts: HdrCounts): void {
  const n = counts.length;
  let split = 0;
  while (split < n && (counts[split] as number) >= 0) split += 2;
  addPairs(into.pos, counts, 0, split, false);
  if (split < n) {
    if (into.neg === undefined) into.neg = newHistogram();
    addPairs(into.neg, counts, split, n, true);
  }
}

/**
 * Adds every count of `from` into `into` part by part (exact: merge of two equals recording both).
 * Same layout, so counts add index by index up to `from`'s highest bucket, after growing `into`
 * when `from` reaches higher; totalCount, maxValue and minNonZeroValue combine as in the library's
 * own same-layout `add`, without its per-value path for arrays of different sizes.
 */
export function mergeHdr(into: Hdr, from: Hdr): void {
  if (from.pos.totalCount > 0) mergePart(into.pos, from.pos);
  if (from.neg !== undefined && from.neg.totalCount > 0) {
    if (into.neg === undefined) into.neg = newHistogram();
    mergePart(into.neg, from.neg);
  }
}

function mergePart(into: Float64Histogram, from: Float64Histogram): void {
  const top = topIndex(from);
  if (top >= into.countsArrayLength) into.resize(from.maxValue);
  const target = countsOf(into);
  const source = countsOf(from);
  for (let i = 0; i <= top; i++) {
    const count = source[i] as number;
    if (count !== 0) target[i] = (target[i] as number) + count;
  }
  into.addToTotalCount(from.totalCount);
  if (from.maxValue > into.maxValue) into.maxValue = from.maxValue;
  if (from.minNonZeroValue < into.minNonZeroValue) into.minNonZeroValue = from.minNonZeroValue;
}

/** Empties the histogram, keeping its arrays for reuse (interval after interval). */
export function resetHdr(h: Hdr): void {
  resetPart(h.pos);
  if (h.neg !== undefined) resetPart(h.neg);
}

/** As the library's `reset`, but zeroing counts only up to the highest non-zero one (arrays can be long and mostly empty). */
function resetPart(h: Float64Histogram): void {
  if (h.totalCount === 0) return;
  countsOf(h).fill(0, 0, topIndex(h) + 1);
  h.setTotalCount(0);
  h.maxValue = 0;
  h.minNonZeroValue = Number.MAX_SAFE_INTEGER;
}

/**
 * Midpoints of the equivalence ranges holding the given 0-based ranks of scaled magnitudes, in one
 * pass over the counts (summaries ask for several percentiles of large arrays).
 */
function magnitudesAtRanks(h: Float64Histogram, ranks: readonly number[]): number[] {
  const out: number[] = [];
  let seen = 0;
  const counts = countsOf(h);
  const length = h.countsArrayLength;
  for (let i = 0; i < length && out.length < ranks.length; i++) {
    const count = counts[i] as number;
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
