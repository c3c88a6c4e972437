import fc from 'fast-check';
import { Float64Histogram, decodeFromCompressedBase64, encodeIntoCompressedBase64 } from 'hdr-histogram-js';
import type { JsHistogram } from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { decodeCompressedV2Counts, encodeCompressedV2 } from './hdr-encoding.js';
import { decodeHdr, encodeHdr } from './hdr.js';

function histogram(digits = 3): JsHistogram {
  const h = new Float64Histogram(1, 2, digits);
  h.autoResize = true;
  return h;
}

/** The library's text for `h` with the header's highest trackable value set as squall sets it. */
function libraryText(h: JsHistogram, highest: number): string {
  const saved = h.highestTrackableValue;
  h.highestTrackableValue = highest;
  try {
    return encodeIntoCompressedBase64(h);
  } finally {
    h.highestTrackableValue = saved;
  }
}

/** Non-zero counts as (index, count) pairs, read through the library. */
function libraryPairs(h: JsHistogram): number[] {
  const out: number[] = [];
  for (let i = 0; i < h.countsArrayLength; i++) {
    const count = h.getCountAtIndex(i);
    if (count !== 0) out.push(i, count);
  }
  return out;
}

/** Scaled values as squall records them: mostly latency-like, some zeros, some huge (array resizes past 2^32). */
const scaled = fc.oneof(
  fc.integer({ min: 0, max: 5_000_000 }),
  fc.constant(0),
  fc.integer({ min: 0, max: 2 ** 52 }),
);
/** Counts of every word length (the sum at one value stays a safe integer, as the library requires). */
const count = fc.oneof(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 2 ** 44 }));

function truncated(): string {
  const h = histogram();
  for (let v = 0; v < 5000; v += 7) h.recordValue(v);
  return encodeIntoCompressedBase64(h).slice(0, 40);
}

describe('compressed V2 encoding', () => {
  it('writes exactly the text the library writes', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(scaled, count), { minLength: 1, maxLength: 300 }), (entries) => {
        const h = histogram();
        for (const [value, n] of entries) {
          h.recordValue(value);
          // Large counts at the same value: recordValue keeps min/max right, addToCountAtIndex sets the count.
          h.addToCountAtIndex(h.countsArrayIndex(value), n - 1);
          h.addToTotalCount(n - 1);
        }
        const highest = Math.max(2, h.highestEquivalentValue(h.maxValue));
        expect(encodeCompressedV2(h, highest)).toBe(libraryText(h, highest));
      }),
      { numRuns: 300 },
    );
    const full = histogram();
    full.recordValueWithCount(12_345, Number.MAX_SAFE_INTEGER);
    expect(encodeCompressedV2(full, 12_351)).toBe(libraryText(full, 12_351));
  });

  it('reads the counts the library reads', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(scaled, fc.integer({ min: 1, max: 2 ** 40 })), { minLength: 1, maxLength: 300 }), (entries) => {
        const h = histogram();
        for (const [value, n] of entries) h.recordValueWithCount(value, n);
        const text = libraryText(h, Math.max(2, h.highestEquivalentValue(h.maxValue)));
        const decoded = decodeFromCompressedBase64(text, 64);
        expect([...(decodeCompressedV2Counts(text, 3) ?? [])]).toEqual(libraryPairs(decoded));
      }),
      { numRuns: 200 },
    );
  });

  it('leaves texts of other settings to the library, and squall decodes them as the library merge did', () => {
    const other = histogram(2);
    for (const v of [1, 5, 999, 12_345, 7_000_000]) other.recordValue(v);
    const text = encodeIntoCompressedBase64(other);
    expect(decodeCompressedV2Counts(text, 3)).toBeUndefined();
    const reference = histogram();
    reference.add(decodeFromCompressedBase64(text, 64));
    expect(libraryPairs(decodeHdr(text).pos)).toEqual(libraryPairs(reference));
    expect(encodeHdr(decodeHdr(text))).toBe(libraryText(reference, reference.highestEquivalentValue(reference.maxValue)));
  });

  it.each([
    ['not base64 of a histogram', 'not a histogram'],
    ['a truncated histogram', truncated()],
    ['an uncompressed cookie', Buffer.from([0x1c, 0x84, 0x93, 0x13, 0, 0, 0, 0]).toString('base64')],
  ])('rejects %s', (_name, text) => {
    expect(() => decodeCompressedV2Counts(text, 3)).toThrow();
  });
});
