import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Hdr } from './hdr.js';
import { createHdr, decodeHdr, encodeHdr, fastCountsIndex, hdrCount, hdrPercentile, hdrPercentiles, mergeHdr, recordHdr, resetHdr } from './hdr.js';

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

/** Non-zero buckets as [signed scaled value, count]: equal contents regardless of array sizing. */
function contents(h: Hdr): [number, number][] {
  const out: [number, number][] = [];
  for (const [part, sign] of [[h.pos, 1], [h.neg, -1]] as const) {
    if (part === undefined) continue;
    for (let i = 0; i < part.countsArrayLength; i++) {
      const count = part.getCountAtIndex(i);
      if (count > 0) out.push([sign * part.valueFromIndex(i), count]);
    }
  }
  return out;
}

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
});
