import { createHdr, decodeHdr, hdrPercentiles, mergeHdr } from '../metrics/hdr.js';
import type { TimeSeriesPoint } from '../metrics/time-series-point.js';
import { errorKey, pickMetrics } from './rollup.js';

/** A named line of a chart; null where the interval had no data. */
export interface ChartLine {
  readonly name: string;
  readonly values: readonly (number | null)[];
}

/** The per-interval series the HTML report draws, downsampled to at most `maxPoints`. */
export interface ChartData {
  /** Interval starts, epoch seconds. */
  readonly t: readonly number[];
  readonly requestsOk: readonly number[];
  readonly requestsFailed: readonly number[];
  readonly vus: readonly (number | null)[];
  /** One entry per scenario (one `all` entry when the run has a single scenario): p50/p90/p95/p99 lines in ms. */
  readonly latency: readonly { readonly scenario: string; readonly lines: readonly ChartLine[] }[];
  /** Failed requests/s by error code or status. */
  readonly errors: readonly ChartLine[];
  /** Gauges matching the resource pattern (target CPU, memory...). */
  readonly resources: readonly ChartLine[];
  readonly latencyMetric: string;
}

const PCTS = [50, 90, 95, 99] as const;

function percentilesOf(points: readonly TimeSeriesPoint[], metric: string, scenario: string | undefined): number[] | undefined {
  const h = createHdr();
  let min = Infinity;
  let max = -Infinity;
  let count = 0;
  for (const p of points) {
    const m = p.metrics[metric];
    if (m === undefined) continue;
    const parts = scenario === undefined ? [m.total] : m.series.filter((s) => s.tags.scenario === scenario);
    for (const s of parts) {
      if (s.agg.type !== 'trend' || s.agg.count === 0) continue;
      mergeHdr(h, decodeHdr(s.agg.hdr));
      count += s.agg.count;
      min = Math.min(min, s.agg.min);
      max = Math.max(max, s.agg.max);
    }
  }
  return count === 0 ? undefined : hdrPercentiles(h, PCTS, min, max);
}

/** Computes the chart series from the time series (pure). Groups of adjacent points merge exactly. */
export function computeChartData(points: readonly TimeSeriesPoint[], opts: { maxPoints?: number; latencyMetric?: string; resources?: readonly string[] } = {}): ChartData {
  const { latency, requests } = pickMetrics(points, opts.latencyMetric);
  const size = Math.max(1, Math.ceil(points.length / (opts.maxPoints ?? 600)));
  const groups: TimeSeriesPoint[][] = [];
  for (let i = 0; i < points.length; i += size) groups.push(points.slice(i, i + size));
  const scenarios = new Set<string>();
  const errorKeys = new Set<string>();
  for (const p of points) {
    for (const s of p.metrics[latency]?.series ?? []) if (s.tags.scenario !== undefined) scenarios.add(s.tags.scenario);
    for (const s of p.metrics[requests]?.series ?? []) if (s.tags.expected_response === 'false') errorKeys.add(errorKey(s.tags));
  }
  const scenarioList: (string | undefined)[] = scenarios.size > 1 ? [...scenarios] : [undefined];
  const t: number[] = [];
  const ok: number[] = [];
  const failed: number[] = [];
  const vus: (number | null)[] = [];
  const lat = scenarioList.map(() => PCTS.map(() => [] as (number | null)[]));
  const errs = new Map([...errorKeys].map((k) => [k, [] as number[]]));
  const res = new Map((opts.resources ?? []).map((r) => [r, [] as (number | null)[]]));
  for (const g of groups) {
    const first = g[0] as TimeSeriesPoint;
    const last = g[g.length - 1] as TimeSeriesPoint;
    const seconds = Math.max(0.001, (last.endMs - first.startMs) / 1000);
    t.push(first.startMs / 1000);
    let okCount = 0;
    let failCount = 0;
    const errCounts = new Map<string, number>();
    let vu: number | null = null;
    const resMax = new Map<string, number>();
    for (const p of g) {
      for (const s of p.metrics[requests]?.series ?? []) {
        if (s.agg.type !== 'counter') continue;
        if (s.tags.expected_response === 'false') {
          failCount += s.agg.sum;
          errCounts.set(errorKey(s.tags), (errCounts.get(errorKey(s.tags)) ?? 0) + s.agg.sum);
        } else okCount += s.agg.sum;
      }
      const v = p.metrics.vus?.total.agg;
      if (v?.type === 'gauge') vu = Math.max(vu ?? 0, v.max);
      for (const r of res.keys()) {
        const a = p.metrics[r]?.total.agg;
        if (a?.type === 'gauge') resMax.set(r, Math.max(resMax.get(r) ?? -Infinity, a.value));
      }
    }
    ok.push(okCount / seconds);
    failed.push(failCount / seconds);
    vus.push(vu);
    for (const [k, arr] of errs) arr.push((errCounts.get(k) ?? 0) / seconds);
    for (const [k, arr] of res) arr.push(resMax.get(k) ?? null);
    scenarioList.forEach((sc, i) => {
      const single = g.length === 1 && sc === undefined ? g[0]?.metrics[latency]?.total.values : undefined;
      const ps = single !== undefined ? [single.med ?? 0, single['p(90)'] ?? 0, single['p(95)'] ?? 0, single['p(99)'] ?? 0] : percentilesOf(g, latency, sc);
      PCTS.forEach((_, j) => (lat[i]?.[j] as (number | null)[]).push(ps === undefined ? null : (ps[j] as number)));
    });
  }
  return {
    t,
    requestsOk: ok,
    requestsFailed: failed,
    vus,
    latency: scenarioList.map((sc, i) => ({ scenario: sc ?? 'all', lines: PCTS.map((p, j) => ({ name: p === 50 ? 'p50' : `p${p}`, values: lat[i]?.[j] ?? [] })) })),
    errors: [...errs].map(([name, values]) => ({ name, values })),
    resources: [...res].map(([name, values]) => ({ name, values })),
    latencyMetric: latency,
  };
}

/** Percentiles for the latency distribution plot, and where they sit on a 1/(1-p) axis. */
export const DISTRIBUTION_PERCENTILES: readonly number[] = [0, 10, 20, 30, 40, 50, 60, 70, 75, 80, 85, 90, 92.5, 95, 96, 97, 98, 99, 99.5, 99.9, 99.95, 99.99, 99.999];
