import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SquallError } from '../errors.js';
import {
  createShare,
  defaultSequenceFor,
  formatSegment,
  formatSequence,
  parseSegment,
  parseSegmentSequence,
  type SegmentSequence,
} from './segment.js';
import { stripeOwners } from './striping.js';
import type { Share } from './types.js';

describe('parseSegment', () => {
  it.each([
    ['0:1/2', '0:1/2'],
    ['1/2:1', '1/2:1'],
    ['0.5:1', '1/2:1'],
    ['50%:100%', '1/2:1'],
    ['1/4', '0:1/4'],
    ['2/8:4/8', '1/4:1/2'],
    [' 1/3 : 2/3 ', '1/3:2/3'],
    ['12.5%:0.25', '1/8:1/4'],
    ['0:1', '0:1'],
    ['.5:1', '1/2:1'],
  ])('%s -> %s', (text, expected) => {
    expect(formatSegment(parseSegment(text))).toBe(expected);
  });

  it.each([
    ['1/2:1/4', 'the end (1/4) must be greater than the start (1/2)'],
    ['1/2:1/2', 'the end (1/2) must be greater than the start (1/2)'],
    ['0:3/2', 'values must be between 0 and 1, but 3/2 is above 1'],
    ['0:150%', 'values must be between 0 and 1, but 150% is above 1'],
    ['-1/4:1', '"-1/4" is not a number'],
    ['0:1/0', '"1/0" divides by zero'],
    ['abc', '"abc" is not a number'],
    ['', '"" is not a number'],
    ['0:1:2', 'must be FROM:TO'],
    ['0', 'the end (0) must be greater than the start (0)'],
    ['0:0.1234567891', 'more than 9 decimal places'],
  ])('rejects %j', (text, message) => {
    let err: unknown;
    try {
      parseSegment(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SquallError);
    expect((err as SquallError).code).toBe('SQUALL_CONFIG_INVALID');
    expect((err as SquallError).message).toContain(message);
    expect((err as SquallError).message).toContain(`"${text}"`);
  });
});

describe('parseSegmentSequence', () => {
  it.each([
    ['0,1/4,1/2,1', '0,1/4,1/2,1'],
    ['0,25%,0.5,1', '0,1/4,1/2,1'],
    ['0,1', '0,1'],
    ['0, 1/3, 2/3, 1', '0,1/3,2/3,1'],
  ])('%s -> %s', (text, expected) => {
    expect(formatSequence(parseSegmentSequence(text))).toBe(expected);
  });

  it.each([
    ['0,1/2,1/4,1', 'strictly ascending, but 1/4 follows 1/2'],
    ['0,1/2,1/2,1', 'strictly ascending, but 1/2 follows 1/2'],
    ['1/4,1/2,1', 'must start at 0, but starts at 1/4'],
    ['0,1/2', 'must end at 1, but ends at 1/2'],
    ['0', 'needs at least 2 values'],
    ['0,x,1', '"x" is not a number'],
    ['0,2,1', 'but 2 is above 1'],
  ])('rejects %j', (text, message) => {
    expect(() => parseSegmentSequence(text)).toThrow(message);
  });
});

describe('defaultSequenceFor', () => {
  it.each([
    ['0:1', '0,1'],
    ['0:1/2', '0,1/2,1'],
    ['1/2:1', '0,1/2,1'],
    ['1/4:3/4', '0,1/4,3/4,1'],
  ])('%s -> %s', (segment, expected) => {
    expect(formatSequence(defaultSequenceFor(parseSegment(segment)))).toBe(expected);
  });
});

/** Every (segment, worker) share of a sequence, in order. */
function allShares(sequence: SegmentSequence, workerCounts: readonly number[]): Share[] {
  const shares: Share[] = [];
  for (let i = 0; i + 1 < sequence.length; i++) {
    const segment = { from: sequence[i]!, to: sequence[i + 1]! };
    const workers = workerCounts[i % workerCounts.length]!;
    for (let w = 0; w < workers; w++) shares.push(createShare(sequence, segment, w, workers));
  }
  return shares;
}

describe('createShare', () => {
  it('stripes 0,1/4,1/2,1 as expected', () => {
    const seq = parseSegmentSequence('0,1/4,1/2,1');
    const owned = [0, 1, 2].map((i) => {
      const share = createShare(seq, { from: seq[i]!, to: seq[i + 1]! }, 0, 1);
      return Array.from({ length: share.count(8) }, (_, j) => share.at(j));
    });
    // Period 4, owners [2, 0, 1, 2]: the half segment has the earliest deadline at k=0; at k=1 it is
    // not yet released and the quarters tie (lowest wins); at k=2 the remaining quarter's deadline
    // (3/4) beats the half's (7/8); at k=3 only the half is released.
    expect(owned).toEqual([
      [1, 5],
      [2, 6],
      [0, 3, 4, 7],
    ]);
  });

  it('splits worker-level round robin', () => {
    const seq = parseSegmentSequence('0,1');
    const shares = [0, 1, 2].map((w) => createShare(seq, { from: seq[0]!, to: seq[1]! }, w, 3));
    expect(shares.map((s) => s.count(7))).toEqual([3, 2, 2]);
    expect(shares.map((s) => [s.at(0), s.at(1)])).toEqual([
      [0, 3],
      [1, 4],
      [2, 5],
    ]);
  });

  it('is O(1) for huge n', () => {
    const seq = parseSegmentSequence('0,1/3,2/3,1');
    const shares = allShares(seq, [2]);
    const n = 1e12 + 7;
    expect(shares.reduce((s, sh) => s + sh.count(n), 0)).toBe(n);
    const last = shares[0]!;
    const j = last.count(n) - 1;
    expect(last.at(j)).toBeLessThan(n);
    expect(last.count(last.at(j) + 1)).toBe(j + 1);
  });

  it('rejects a segment outside the sequence and complex fractions', () => {
    const seq = parseSegmentSequence('0,1/4,1/2,1');
    expect(() => createShare(seq, parseSegment('1/4:1'), 0, 1)).toThrow(/must be one of the segments of the sequence 0,1\/4,1\/2,1/);
    const hard = parseSegmentSequence('0,1/1000003,1');
    expect(() => createShare(hard, { from: hard[0]!, to: hard[1]! }, 0, 1)).toThrow(/use simpler fractions/);
    expect(() => createShare(seq, parseSegment('1/4'), 2, 2)).toThrow(SquallError);
  });

  const sequenceArb = fc
    .uniqueArray(fc.tuple(fc.integer({ min: 1, max: 15 }), fc.integer({ min: 2, max: 16 })), { maxLength: 6 })
    .map((pairs) => {
      const values = new Map<number, string>([
        [0, '0'],
        [1, '1'],
      ]);
      for (const [a, b] of pairs) if (a < b) values.set(a / b, `${a}/${b}`);
      return parseSegmentSequence([...values.entries()].sort((x, y) => x[0] - y[0]).map((e) => e[1]).join(','));
    });

  it('partitions the index space exactly (property)', () => {
    fc.assert(
      fc.property(sequenceArb, fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }), fc.integer({ min: 0, max: 400 }), (seq, workers, n) => {
        const shares = allShares(seq, workers);
        const seen = new Array<number>(n).fill(0);
        for (const share of shares) {
          const c = share.count(n);
          for (let j = 0; j < c; j++) {
            const k = share.at(j);
            expect(k).toBeLessThan(n);
            if (j > 0) expect(k).toBeGreaterThan(share.at(j - 1));
            seen[k]!++;
          }
          // at(count(n)) is the first owned index at or beyond n.
          expect(share.at(c)).toBeGreaterThanOrEqual(n);
        }
        expect(seen.every((s) => s === 1)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('keeps every segment strictly within 1 of its width, with many segments (property)', () => {
    const quotasArb = fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 2, maxLength: 30 });
    fc.assert(
      fc.property(quotasArb, (quotas) => {
        const period = quotas.reduce((a, b) => a + b, 0);
        const owners = stripeOwners(quotas, period);
        const assigned = quotas.map(() => 0);
        owners.forEach((owner, k) => {
          assigned[owner]!++;
          quotas.forEach((q, i) => expect(Math.abs(assigned[i]! - ((k + 1) * q) / period)).toBeLessThan(1));
        });
        expect(assigned).toEqual(quotas);
      }),
      { numRuns: 300 },
    );
  });

  it('counts sum to n, are monotone and within 1 of each segment width (property)', () => {
    fc.assert(
      fc.property(sequenceArb, fc.integer({ min: 0, max: 5000 }), (seq, n) => {
        let sum = 0;
        for (let i = 0; i + 1 < seq.length; i++) {
          const from = seq[i]!;
          const to = seq[i + 1]!;
          const share = createShare(seq, { from, to }, 0, 1);
          const c = share.count(n);
          const width = to.num / to.den - from.num / from.den;
          expect(Math.abs(c - n * width)).toBeLessThan(1 + 1e-9);
          expect(share.count(n + 1) - c).toBeGreaterThanOrEqual(0);
          expect(share.count(n + 1) - c).toBeLessThanOrEqual(1);
          sum += c;
        }
        expect(sum).toBe(n);
      }),
      { numRuns: 200 },
    );
  });
});
