/**
 * Mann-Whitney U (Wilcoxon rank-sum) test, normal approximation with tie and continuity
 * corrections. Written by hand: a dozen lines, and no maintained npm package does only this.
 */

/** Standard normal CDF (Abramowitz & Stegun 7.1.26 erf, error < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** Result of a one-sided rank test that `b` tends to be larger than `a`. */
export interface RankTestResult {
  /** Mann-Whitney U of `b`. */
  readonly u: number;
  readonly z: number;
  /** One-sided p-value for "b is stochastically larger than a". */
  readonly pValue: number;
}

/** One-sided Mann-Whitney test that samples `b` tend to be larger than samples `a`. Needs both non-empty. */
export function rankTestGreater(a: readonly number[], b: readonly number[]): RankTestResult {
  const n1 = a.length;
  const n2 = b.length;
  const all = [...a.map((v) => ({ v, g: 0 })), ...b.map((v) => ({ v, g: 1 }))].sort((x, y) => x.v - y.v);
  const n = all.length;
  let rankSumB = 0;
  let tieTerm = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && (all[j + 1] as { v: number }).v === (all[i] as { v: number }).v) j++;
    const rank = (i + j + 2) / 2;
    const t = j - i + 1;
    tieTerm += t * t * t - t;
    for (let k = i; k <= j; k++) if ((all[k] as { g: number }).g === 1) rankSumB += rank;
    i = j + 1;
  }
  const u = rankSumB - (n2 * (n2 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (!(variance > 0)) return { u, z: 0, pValue: 0.5 };
  const z = (u - mean - 0.5) / Math.sqrt(variance);
  return { u, z, pValue: 1 - normalCdf(z) };
}
