/**
 * Change points in a series of runs (one figure per run, oldest first): where the level of the
 * series moved, found by binary segmentation on a normalised mean-difference statistic, each split
 * kept only when a permutation test says it is unlikely under "no change" (the approach of
 * E-divisive / Apache Otava, with the mean-shift statistic, which is O(n) per scan).
 * Deterministic: the permutations come from a seeded generator, so the same history gives the
 * same answer every time.
 */

/** One detected change. */
export interface ChangePoint {
  /** Index of the first run after the change. */
  readonly index: number;
  /** Mean of the segment before and after (up to the neighbouring change points). */
  readonly before: number;
  readonly after: number;
  /** (after - before) / |before|; Infinity when before is 0 and after is not. */
  readonly relative: number;
  /** 1 - p of the permutation test. */
  readonly confidence: number;
}

/** Tuning of the detection. */
export interface ChangePointOptions {
  /** Fewest runs on each side of a change (default 3). */
  readonly minSegment?: number;
  /** Confidence a split needs (default 0.95). */
  readonly confidence?: number;
  /** Permutations per test (default 499). */
  readonly permutations?: number;
  readonly seed?: number;
}

/** Largest normalised mean difference over the allowed splits of xs, and where. */
function bestSplit(xs: readonly number[], minSegment: number): { index: number; stat: number } {
  const n = xs.length;
  let total = 0;
  let totalSq = 0;
  for (const x of xs) {
    total += x;
    totalSq += x * x;
  }
  const mean = total / n;
  const sd = Math.sqrt(Math.max(0, totalSq / n - mean * mean));
  let best = { index: -1, stat: 0 };
  let left = 0;
  for (let k = 1; k < n; k++) {
    left += xs[k - 1] as number;
    if (k < minSegment || n - k < minSegment) continue;
    const diff = Math.abs(left / k - (total - left) / (n - k));
    // Weighting by sqrt(k(n-k)/n) keeps splits near the ends from winning on few points.
    const stat = (diff * Math.sqrt((k * (n - k)) / n)) / (sd > 0 ? sd : 1);
    if (stat > best.stat) best = { index: k, stat };
  }
  return best;
}

/** A small seeded generator (mulberry32) for reproducible permutations. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function significance(xs: readonly number[], observed: number, minSegment: number, permutations: number, random: () => number): number {
  const copy = [...xs];
  let atLeast = 0;
  for (let p = 0; p < permutations; p++) {
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const t = copy[i] as number;
      copy[i] = copy[j] as number;
      copy[j] = t;
    }
    if (bestSplit(copy, minSegment).stat >= observed) atLeast++;
  }
  return 1 - (atLeast + 1) / (permutations + 1);
}

function mean(xs: readonly number[], from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += xs[i] as number;
  return s / Math.max(1, to - from);
}

/** Finds the change points of `series` (oldest first), in order. */
export function detectChangePoints(series: readonly number[], opts: ChangePointOptions = {}): ChangePoint[] {
  const minSegment = Math.max(2, opts.minSegment ?? 3);
  const needed = opts.confidence ?? 0.95;
  const permutations = opts.permutations ?? 499;
  const random = rng(opts.seed ?? 0x5eed);
  const found: { index: number; confidence: number }[] = [];
  const search = (from: number, to: number) => {
    const xs = series.slice(from, to);
    if (xs.length < 2 * minSegment) return;
    const split = bestSplit(xs, minSegment);
    if (split.index < 0 || split.stat === 0) return;
    const confidence = significance(xs, split.stat, minSegment, permutations, random);
    if (confidence < needed) return;
    found.push({ index: from + split.index, confidence });
    search(from, from + split.index);
    search(from + split.index, to);
  };
  search(0, series.length);
  found.sort((a, b) => a.index - b.index);
  return found.map((c, i) => {
    const start = i === 0 ? 0 : (found[i - 1] as { index: number }).index;
    const end = i + 1 < found.length ? (found[i + 1] as { index: number }).index : series.length;
    const before = mean(series, start, c.index);
    const after = mean(series, c.index, end);
    const relative = before === 0 ? (after === 0 ? 0 : Infinity) : (after - before) / Math.abs(before);
    return { index: c.index, before, after, relative, confidence: c.confidence };
  });
}
