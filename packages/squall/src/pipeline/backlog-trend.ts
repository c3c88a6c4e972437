import type { TimeSeriesPoint } from '../metrics/time-series-point.js';

/** How a backlog series moved over a window: least-squares slope and the scatter around it. */
export interface BacklogTrend {
  readonly samples: number;
  readonly first: number;
  readonly last: number;
  /** Units per second. */
  readonly slopePerSec: number;
  /** Growth over the window implied by the slope. */
  readonly growth: number;
  /** Standard deviation of the residuals around the fitted line. */
  readonly noise: number;
  readonly windowS: number;
  /**
   * How much the floor rose: the lowest value of the window's last third minus the lowest of its
   * first third. A queue that keeps up drains back to its floor between batches, whatever its
   * peaks; a queue that falls behind has a rising floor.
   */
  readonly floorRise: number;
}

/**
 * Fits a line to the per-interval values of Gauge `metric` in the points that end within
 * [fromMs, toMs]; undefined with fewer than 3 values.
 */
export function backlogTrend(points: readonly TimeSeriesPoint[], metric: string, fromMs: number, toMs: number): BacklogTrend | undefined {
  const xs: number[] = [];
  const ys: number[] = [];
  for (const p of points) {
    if (p.endMs < fromMs || p.endMs > toMs) continue;
    const v = p.metrics[metric]?.total.values.value;
    if (typeof v !== 'number' || !Number.isFinite(v)) continue;
    xs.push(p.endMs / 1000);
    ys.push(v);
  }
  const n = xs.length;
  if (n < 3) return undefined;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += ((xs[i] as number) - mx) * ((ys[i] as number) - my);
    sxx += ((xs[i] as number) - mx) ** 2;
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  let sse = 0;
  for (let i = 0; i < n; i++) sse += ((ys[i] as number) - (my + slope * ((xs[i] as number) - mx))) ** 2;
  const windowS = (xs[n - 1] as number) - (xs[0] as number);
  const third = Math.max(1, Math.floor(n / 3));
  const floorRise = Math.min(...ys.slice(n - third)) - Math.min(...ys.slice(0, third));
  return { samples: n, first: ys[0] as number, last: ys[n - 1] as number, slopePerSec: slope, growth: slope * windowS, noise: Math.sqrt(sse / Math.max(1, n - 2)), windowS, floorRise };
}

/**
 * Whether the backlog grew over the window: growth above `tolerancePerSec` x window and above
 * three times the scatter, with a floor that rose (a queue fed in batches that drains between
 * them is keeping up, even when the last scrape caught a batch still queued).
 */
export function backlogGrew(t: BacklogTrend, tolerancePerSec: number): boolean {
  return t.growth > Math.max(tolerancePerSec * t.windowS, 3 * t.noise) && t.floorRise > 0;
}
