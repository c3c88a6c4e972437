import { hdrContents } from '../../test/helpers/hdr-contents.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Hdr } from './hdr.js';
import {
  addEncodedHdr,
  addHdrCounts,
  createHdr,
  decodeHdr,
  encodeHdr,
  fastCountsIndex,
  hdrCount,
  hdrCounts,
  hdrPercentile,
  hdrPercentiles,
  mergeHdr,
  recordHdr,
  resetHdr,
} from './hdr.js';

/** k6's percentile: linear interpolation between sorted samples around p*(n-1). */
function referencePercentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = (p / 100) * (sorted.length - 1);
  const low = sorted[Math.floor(index)] as number;
  const high = sorted[Math.ceil(index)] as number;
  return low + (high - low) * (index - Math.floor(index));
}

/** 3 significant digits relative, or 1/1000 absolute near zero (values are kept at 1/1000 resolution). */
function expectClose(actual: number, expected: number): void {
  const tolerance = Math.max(Math.abs(expected) * 0.001, 0.001);
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}

const contents = hdrContents;

function filled(values: readonly number[]) {
  const h = createHdr();
  for (const v of values) recordHdr(h, v);
  return h;
}

const PERCENTILES = [0, 1, 10, 25, 50, 75, 90, 95, 99, 99.9, 100];
const latency = fc.double({ min: 0, max: 1e6, noNaN: true, noDefaultInfinity: true });
const anyValue = fc.double({ min: -1e7, max: 1e7, noNaN: true, noDefaultInfinity: true });

describe('hdr', () => {
  it('percentiles match a sorted-array reference within 0.1% on random data', () => {
    fc.assert(
      fc.property(fc.array(latency, { minLength: 1, maxLength: 400 }), (values) => {
        const sorted = [...values].sort((a, b) => a - b);
        const h = filled(values);
        for (const p of PERCENTILES) expectClose(hdrPercentile(h, p), referencePercentile(sorted, p));
        // Several at once (one pass) agree with one at a time, and exact extremes keep the bound.
        const min = sorted[0] as number;
        const max = sorted.at(-1) as number;
        const many = hdrPercentiles(h, PERCENTILES, min, max);
        expect(many).toEqual(PERCENTILES.map((p) => hdrPercentile(h, p, min, max)));
        PERCENTILES.forEach((p, i) => expectClose(many[i] as number, referencePercentile(sorted, p)));
        expect(many[0]).toBe(min);
        expect(many.at(-1)).toBe(max);
      }),
      { numRuns: 200 },
    );
  });

  it('handles negative, zero and mixed-sign values like the reference', () => {
    fc.assert(
      fc.property(fc.array(anyValue, { minLength: 1, maxLength: 300 }), (values) => {
        const sorted = [...values].sort((a, b) => a - b);
        const h = filled(values);
        expect(hdrCount(h)).toBe(values.length);
        for (const p of PERCENTILES) expectClose(hdrPercentile(h, p), referencePercentile(sorted, p));
      }),
      { numRuns: 200 },
    );
  });

  it('uses the exact min and max when given, for the extreme ranks and as clamps', () => {
    const h = filled([1.23456, 7777.777]);
    expect(hdrPercentile(h, 0, 1.23456, 7777.777)).toBe(1.23456);
    expect(hdrPercentile(h, 100, 1.23456, 7777.777)).toBe(7777.777);
    expect(hdrPercentile(h, 50, 1.23456, 7777.777)).toBeCloseTo((1.23456 + 7777.777) / 2, 9);
  });

  it.each([
    ['zero only', [0, 0, 0], 50, 0],
    ['negatives only', [-5, -10, -20], 50, -10],
    ['huge values (1e9 ms)', [1e9, 1e9, 2e9], 50, 1e9],
    ['single value', [42.5], 99, 42.5],
    ['tiny negative rounds to zero', [-0.0001], 50, 0],
  ])('%s', (_name, values, p, expected) => {
    expectClose(hdrPercentile(filled(values), p), expected);
  });

  it('returns 0 for an empty histogram and ignores non-finite values', () => {
    const h = filled([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
    expect(hdrCount(h)).toBe(0);
    expect(hdrPercentile(h, 95)).toBe(0);
  });

  it('merge equals recording everything into one histogram', () => {
    fc.assert(
      fc.property(fc.array(anyValue, { maxLength: 200 }), fc.array(anyValue, { maxLength: 200 }), (a, b) => {
        const merged = filled(a);
        mergeHdr(merged, filled(b));
        const direct = filled([...a, ...b]);
        expect(contents(merged)).toEqual(contents(direct));
        expect(encodeHdr(merged)).toBe(encodeHdr(direct));
      }),
      { numRuns: 100 },
    );
  });

  it('encode/decode round-trips (including negatives and empty)', () => {
    fc.assert(
      fc.property(fc.array(anyValue, { maxLength: 300 }), (values) => {
        const h = filled(values);
        const text = encodeHdr(h);
        const back = decodeHdr(text);
        expect(hdrCount(back)).toBe(values.length);
        expect(encodeHdr(back)).toBe(text);
        for (const p of PERCENTILES) expect(hdrPercentile(back, p)).toBe(hdrPercentile(h, p));
      }),
      { numRuns: 100 },
    );
    expect(encodeHdr(createHdr())).toBe('');
  });

  it('decoded histograms grow when merged with wider ones', () => {
    const small = decodeHdr(encodeHdr(filled([1, 2, 3])));
    mergeHdr(small, filled([1e9, -1e9]));
    expect(hdrCount(small)).toBe(5);
    expectClose(hdrPercentile(small, 100), 1e9);
    expectClose(hdrPercentile(small, 0), -1e9);
  });

  it('reset empties but keeps recording correctly afterwards', () => {
    const h = filled([1, -2, 3e6]);
    resetHdr(h);
    expect(hdrCount(h)).toBe(0);
    expect(encodeHdr(h)).toBe('');
    recordHdr(h, 5);
    expect(contents(h)).toEqual(contents(filled([5])));
    expect(encodeHdr(h)).toBe(encodeHdr(filled([5])));
  });

  it('rejects text that is not an encoded histogram with SQUALL_IO', () => {
    expect(() => decodeHdr('not a histogram')).toThrow(expect.objectContaining({ code: 'SQUALL_IO' }));
  });

  it('fast index equals the library index below 2^32', () => {
    const h = createHdr().pos;
    h.recordValue(2 ** 32); // size the array so every index is valid
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (v) => {
        expect(fastCountsIndex(v)).toBe(h.countsArrayIndex(v));
      }),
      { numRuns: 2000 },
    );
    for (const v of [0, 2047, 2048, 2049, 4095, 4096, 2 ** 31, 2 ** 32 - 1]) {
      expect(fastCountsIndex(v)).toBe(h.countsArrayIndex(v));
    }
  });

  it('rejects text that is not an encoded histogram with SQUALL_IO when adding it', () => {
    expect(() => addEncodedHdr(createHdr(), 'AAAA|not')).toThrow(expect.objectContaining({ code: 'SQUALL_IO' }));
  });
});

/** What squall's merge was before it added counts arrays itself: the library's add, part by part. */
function libraryMerge(into: Hdr, from: Hdr): void {
  if (from.pos.totalCount > 0) into.pos.add(from.pos);
  if (from.neg !== undefined && from.neg.totalCount > 0) {
    if (into.neg === undefined) into.neg = decodeHdr('|').neg;
    into.neg?.add(from.neg);
  }
}

/** Everything about a histogram that outputs can depend on; min and max as their buckets (the library keeps either end). */
function state(h: Hdr) {
  const part = (p: Hdr['pos'] | undefined) =>
    p === undefined || p.totalCount === 0
      ? undefined
      : {
          total: p.totalCount,
          maxBucket: p.countsArrayIndex(p.maxValue),
          minNonZeroBucket: p.minNonZeroValue === Number.MAX_SAFE_INTEGER ? -1 : p.countsArrayIndex(p.minNonZeroValue),
        };
  return { contents: contents(h), pos: part(h.pos), neg: part(h.neg), text: encodeHdr(h), p: hdrPercentiles(h, PERCENTILES) };
}

/** Mostly latency-like values, with zeros, negatives and some huge enough to resize arrays past 2^32 scaled units. */
const mixed = fc.oneof(
  { weight: 6, arbitrary: fc.double({ min: 0, max: 5000, noNaN: true }) },
  { weight: 1, arbitrary: fc.constant(0) },
  { weight: 2, arbitrary: fc.double({ min: -1e6, max: 0, noNaN: true }) },
  { weight: 1, arbitrary: fc.double({ min: -1e12, max: 1e12, noNaN: true }) },
);

describe('hdr merging by counts', () => {
  it('mergeHdr leaves the same histogram as the library add (decoded, fresh and reset-then-reused parts)', () => {
    fc.assert(
      fc.property(fc.array(mixed, { maxLength: 300 }), fc.array(mixed, { maxLength: 300 }), fc.array(mixed, { maxLength: 50 }), (a, b, c) => {
        // Decoded histograms are sized to their max, so merges meet arrays of different sizes both ways.
        const mine = decodeHdr(encodeHdr(filled(a)));
        const theirs = decodeHdr(encodeHdr(filled(a)));
        mergeHdr(mine, filled(b));
        libraryMerge(theirs, filled(b));
        expect(state(mine)).toEqual(state(theirs));
        const reused = filled(c);
        resetHdr(reused);
        for (const v of c.slice(0, 10)) recordHdr(reused, v);
        mergeHdr(mine, reused);
        libraryMerge(theirs, reused);
        expect(state(mine)).toEqual(state(theirs));
        expect(state(mine).text).toBe(encodeHdr(filled([...a, ...b, ...c.slice(0, 10)])));
      }),
      { numRuns: 200 },
    );
  });

  it('counts carry a histogram exactly: adding them equals the library add of the histogram', () => {
    fc.assert(
      fc.property(fc.array(mixed, { maxLength: 300 }), fc.array(mixed, { maxLength: 300 }), (a, b) => {
        const source = filled(b);
        const counts = structuredClone(hdrCounts(source));
        const mine = decodeHdr(encodeHdr(filled(a)));
        const theirs = decodeHdr(encodeHdr(filled(a)));
        addHdrCounts(mine, counts);
        libraryMerge(theirs, source);
        expect(state(mine)).toEqual(state(theirs));
        // Into an empty histogram: the same as decoding the source's text.
        const fresh = createHdr();
        addHdrCounts(fresh, counts);
        expect(state(fresh)).toEqual(state(decodeHdr(encodeHdr(source))));
        expect(hdrCount(fresh)).toBe(b.length);
      }),
      { numRuns: 200 },
    );
  });

  it('counts are non-zero (index, count) pairs, negatives as -1 - index, and leave the source unchanged', () => {
    const h = filled([0, 1, 1, 2.5, -1, -1, -0.002]);
    const before = encodeHdr(h);
    expect([...hdrCounts(h)]).toEqual([0, 1, 1000, 2, fastCountsIndex(2500), 1, -1 - 2, 1, -1 - 1000, 2]);
    expect(encodeHdr(h)).toBe(before);
    expect(hdrCounts(createHdr())).toHaveLength(0);
  });

  it('adding encoded text equals decoding it and merging', () => {
    fc.assert(
      fc.property(fc.array(mixed, { maxLength: 200 }), fc.array(mixed, { maxLength: 200 }), (a, b) => {
        const mine = filled(a);
        addEncodedHdr(mine, encodeHdr(filled(b)));
        const theirs = filled(a);
        libraryMerge(theirs, decodeHdr(encodeHdr(filled(b))));
        expect(state(mine)).toEqual(state(theirs));
      }),
      { numRuns: 100 },
    );
  });
});
