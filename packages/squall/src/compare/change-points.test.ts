import { describe, expect, it } from 'vitest';
import { detectChangePoints } from './change-points.js';

// Deterministic noise: a fixed pseudo-random sequence, so the tests cannot flake.
function noise(n: number, amplitude: number, seed = 7): number[] {
  let a = seed;
  return Array.from({ length: n }, () => {
    a = (a * 1103515245 + 12345) % 2147483648;
    return ((a / 2147483648) * 2 - 1) * amplitude;
  });
}

describe('detectChangePoints', () => {
  it('finds one step at the right run, with its size and high confidence', () => {
    const eps = noise(30, 2);
    const series = eps.map((e, i) => (i < 18 ? 100 : 125) + e);
    const cps = detectChangePoints(series);
    expect(cps).toHaveLength(1);
    expect(cps[0]!.index).toBe(18);
    expect(cps[0]!.relative).toBeGreaterThan(0.2);
    expect(cps[0]!.relative).toBeLessThan(0.3);
    expect(cps[0]!.confidence).toBeGreaterThanOrEqual(0.99);
  });

  it('finds two steps (a regression, then a fix)', () => {
    const eps = noise(36, 1.5, 11);
    const series = eps.map((e, i) => (i < 12 ? 50 : i < 24 ? 65 : 50) + e);
    expect(detectChangePoints(series).map((c) => c.index)).toEqual([12, 24]);
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('flags nothing in a flat noisy series (seed %i)', (seed) => {
    const series = noise(25, 5, seed).map((e) => 100 + e);
    expect(detectChangePoints(series)).toEqual([]);
  });

  it('needs minSegment runs on each side, so a short history says nothing', () => {
    expect(detectChangePoints([1, 1, 9, 9])).toEqual([]);
    expect(detectChangePoints([])).toEqual([]);
  });

  it('gives the same answer every time', () => {
    const series = noise(20, 3).map((e, i) => (i < 10 ? 10 : 20) + e);
    expect(detectChangePoints(series)).toEqual(detectChangePoints(series));
  });
});
