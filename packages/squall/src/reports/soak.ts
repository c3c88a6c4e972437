import { mergeWindow, type TimeSeriesPoint } from '../metrics/time-series-point.js';

/** Figures of one window of a soak run. */
export interface SoakWindow {
  readonly fromMs: number;
  readonly toMs: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  /** 0..1 */
  readonly errorRate: number;
  readonly requests: number;
}

/** Linear trend of a memory-like gauge over the run. */
export interface MemoryTrend {
  readonly gauge: string;
  /** Units per hour, least-squares fit over every interval. */
  readonly slopePerHour: number;
  /** Fitted rise over the run relative to the fitted start value (0.1 = +10%). */
  readonly relativeGrowth: number;
}

/** First-vs-last-window comparison of a run (seed 004's soak analysis). */
export interface SoakAnalysis {
  readonly windowMs: number;
  readonly first: SoakWindow;
  readonly last: SoakWindow;
  readonly memory: readonly MemoryTrend[];
  /** Why the run degraded; empty when it did not. */
  readonly findings: readonly string[];
  readonly degraded: boolean;
}

/** Limits beyond which a soak run counts as degraded. */
export interface SoakOptions {
  readonly windowMs: number;
  readonly latencyMetric: string;
  /** Most relative rise of p95 from the first to the last window (default 0.2). */
  readonly maxLatencyRise?: number;
  /** Most rise of the error rate in percentage points (default 1). */
  readonly maxErrorRisePoints?: number;
  /** Most fitted memory growth over the run (default 0.1). */
  readonly maxMemoryGrowth?: number;
  readonly memoryPattern?: RegExp;
}

function windowOf(points: readonly TimeSeriesPoint[], fromMs: number, toMs: number, latency: string): SoakWindow | undefined {
  const p = mergeWindow(points, fromMs, toMs);
  if (p === undefined) return undefined;
  const v = p.metrics[latency]?.total.values ?? {};
  const failed = p.metrics.http_req_failed?.total.agg;
  const reqs = p.metrics.http_reqs?.total.agg ?? p.metrics.iterations?.total.agg;
  return {
    fromMs: p.startMs,
    toMs: p.endMs,
    p50: v.med ?? 0,
    p95: v['p(95)'] ?? 0,
    p99: v['p(99)'] ?? 0,
    errorRate: failed?.type === 'rate' && failed.total > 0 ? failed.passes / failed.total : 0,
    requests: reqs?.type === 'counter' ? reqs.sum : 0,
  };
}

function memoryTrend(points: readonly TimeSeriesPoint[], gauge: string): MemoryTrend | undefined {
  const xs: number[] = [];
  const ys: number[] = [];
  for (const p of points) {
    const a = p.metrics[gauge]?.total.agg;
    if (a?.type !== 'gauge') continue;
    xs.push((p.startMs + p.endMs) / 2 / 3_600_000);
    ys.push(a.value);
  }
  if (xs.length < 3) return undefined;
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  xs.forEach((x, i) => {
    sxy += (x - mx) * ((ys[i] as number) - my);
    sxx += (x - mx) ** 2;
  });
  const slope = sxx === 0 ? 0 : sxy / sxx;
  const x0 = xs[0] as number;
  const start = my + slope * (x0 - mx);
  const rise = slope * ((xs[xs.length - 1] as number) - x0);
  return { gauge, slopePerHour: slope, relativeGrowth: start === 0 ? 0 : rise / Math.abs(start) };
}

/**
 * Compares the first and last `windowMs` of a run: latency percentiles and error rate, plus the
 * trend of memory-like gauges. Undefined when the run is shorter than two windows (pure).
 */
export function computeSoak(points: readonly TimeSeriesPoint[], opts: SoakOptions): SoakAnalysis | undefined {
  if (points.length === 0) return undefined;
  const start = (points[0] as TimeSeriesPoint).startMs;
  const end = (points[points.length - 1] as TimeSeriesPoint).endMs;
  if (end - start < 2 * opts.windowMs) return undefined;
  const first = windowOf(points, start, start + opts.windowMs, opts.latencyMetric);
  const last = windowOf(points, end - opts.windowMs, end, opts.latencyMetric);
  if (first === undefined || last === undefined) return undefined;
  const pattern = opts.memoryPattern ?? /(mem|rss|heap)/i;
  const gauges = new Set<string>();
  for (const p of points) for (const [name, m] of Object.entries(p.metrics)) if (m.type === 'gauge' && pattern.test(name)) gauges.add(name);
  const memory = [...gauges].map((g) => memoryTrend(points, g)).filter((m): m is MemoryTrend => m !== undefined);
  const findings: string[] = [];
  const latRise = opts.maxLatencyRise ?? 0.2;
  if (first.p95 > 0 && last.p95 / first.p95 - 1 > latRise) {
    findings.push(`p95 latency rose ${((last.p95 / first.p95 - 1) * 100).toFixed(1)}% from the first to the last window (limit ${(latRise * 100).toFixed(0)}%)`);
  }
  const errRise = (last.errorRate - first.errorRate) * 100;
  if (errRise > (opts.maxErrorRisePoints ?? 1)) findings.push(`error rate rose ${errRise.toFixed(2)} points from the first to the last window`);
  for (const m of memory) {
    if (m.relativeGrowth > (opts.maxMemoryGrowth ?? 0.1)) findings.push(`${m.gauge} grew ${(m.relativeGrowth * 100).toFixed(1)}% over the run (linear fit)`);
  }
  return { windowMs: opts.windowMs, first, last, memory, findings, degraded: findings.length > 0 };
}
