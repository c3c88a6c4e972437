import type { TimeSeriesPoint } from '../metrics/time-series-point.js';
import type { Tags } from '../metrics/types.js';
import { counterSum, gaugeLast, gaugeUnit, parseThreshold, percentilesOf, thresholdLines, wholePoints, type ChartLine, type ParsedThreshold } from './chart-series.js';
import type { MetaThreshold } from './results-reader.js';
import { errorKey, pickMetrics } from './rollup.js';
import type { RunFigures } from './run-figures.js';

export type { ChartLine, ChartUnit, LineStyle } from './chart-series.js';

/** One chart of the HTML report: its container id, title and lines (each line names its unit). */
export interface Chart {
  readonly id: string;
  readonly title: string;
  readonly lines: readonly ChartLine[];
}

/** The per-interval charts the HTML report draws, downsampled to at most `maxPoints` points. */
export interface ChartData {
  /** Seconds since the run's first interval started (elapsed time), one per point. */
  readonly t: readonly number[];
  readonly charts: readonly Chart[];
  readonly latencyMetric: string;
}

/** Options for computeChartData. */
export interface ChartOptions {
  readonly maxPoints?: number;
  readonly latencyMetric?: string;
  /** Gauges drawn together on the resources chart (an axis per unit). */
  readonly resources?: readonly string[];
  /** The run's thresholds (meta.json): drawn as dashed lines at their limits. */
  readonly thresholds?: readonly MetaThreshold[];
  /** A baseline run: its per-interval figures are overlaid dashed grey, aligned by elapsed second. */
  readonly baseline?: { readonly label: string; readonly figures: RunFigures };
  /** Most per-name latency charts (default 8, the names with the most requests). */
  readonly maxNames?: number;
}

const PCTS = [50, 95, 99] as const;
const TREND_AGGS = /^(p\(|avg$|med$|min$|max$)/;
const BUILTIN_GAUGES = new Set(['vus', 'vus_max']);
const DELIVERY = ['events_accepted', 'events_found', 'events_missing', 'events_duplicated'] as const;

/** Context of one computation: the groups of points and what every chart builder needs. */
interface Ctx {
  readonly groups: readonly (readonly TimeSeriesPoint[])[];
  readonly all: readonly TimeSeriesPoint[];
  readonly t: readonly number[];
  readonly thresholds: readonly ParsedThreshold[];
  readonly opts: ChartOptions;
}

function seconds(g: readonly TimeSeriesPoint[]): number {
  const first = g[0] as TimeSeriesPoint;
  const last = g[g.length - 1] as TimeSeriesPoint;
  return Math.max(0.001, (last.endMs - first.startMs) / 1000);
}

/** p50/p95/p99 lines of a Trend per group, for the series `keep` accepts. */
function percentileLines(c: Ctx, metric: string, keep?: (tags: Tags) => boolean): ChartLine[] {
  const cols = c.groups.map((g) => percentilesOf(g, metric, PCTS, keep));
  return PCTS.map((p, j) => ({ name: p === 50 ? 'p50' : `p${p}`, unit: 'ms' as const, values: cols.map((v) => (v === undefined ? null : (v[j] as number))) }));
}

/** A baseline's per-interval samples of `key` resampled onto this run's groups (mean per group). */
function baselineLine(c: Ctx, key: string, name: string, unit: ChartLine['unit']): ChartLine[] {
  const b = c.opts.baseline;
  if (b === undefined) return [];
  const samples = b.figures.intervals[key];
  const whole = b.figures.metrics[key];
  if (samples === undefined || samples.length === 0) {
    return whole === undefined ? [] : [{ name: `baseline ${name} (${b.label})`, unit, values: c.t.map(() => whole), style: 'baseline' }];
  }
  // Run figures drop the first (warm-up) interval when 4 or more remain: sample k is second k+1.
  const offset = samples.length >= 3 ? 1 : 0;
  const values = c.groups.map((g, i) => {
    const from = c.t[i] as number;
    const to = from + seconds(g);
    const xs = samples.filter((_, k) => k + offset >= Math.floor(from) && k + offset < Math.ceil(to));
    return xs.length === 0 ? null : xs.reduce((a, x) => a + x, 0) / xs.length;
  });
  return [{ name: `baseline ${name} (${b.label})`, unit, values, style: 'baseline' }];
}

function requestCharts(c: Ctx, requests: string, latency: string): Chart[] {
  const isFail = (t: Tags) => t.expected_response === 'false';
  const ok = c.groups.map((g) => counterSum(g, requests, (t) => !isFail(t)) / seconds(g));
  const failed = c.groups.map((g) => counterSum(g, requests, isFail) / seconds(g));
  const charts: Chart[] = [{ id: 'chart-requests', title: 'Requests per second', lines: [
    { name: 'ok /s', unit: 'per_s', values: ok, style: 'area' },
    { name: 'failed /s', unit: 'per_s', values: failed },
    ...baselineLine(c, 'throughput', 'req/s', 'per_s'),
  ] }];
  const scenarios = new Set<string>();
  for (const p of c.all) for (const s of p.metrics[latency]?.series ?? []) if (s.tags.scenario !== undefined) scenarios.add(s.tags.scenario);
  // The whole run first (its thresholds apply to it), then one chart per scenario when there are several.
  const list = scenarios.size > 1 ? [undefined, ...scenarios] : [undefined];
  list.forEach((sc, i) => {
    const tags: Record<string, string> = sc === undefined ? {} : { scenario: sc };
    const lines = [
      ...percentileLines(c, latency, sc === undefined ? undefined : (t) => t.scenario === sc),
      ...baselineLine(c, sc === undefined ? 'latency_p95' : `latency_p95{scenario:${sc}}`, 'p95', 'ms'),
      ...thresholdLines(c.thresholds, latency, tags, 'ms', c.t.length, TREND_AGGS),
    ];
    charts.push({ id: `chart-latency-${i}`, title: `${latency} percentiles${sc === undefined ? '' : ` — scenario ${sc}`}`, lines });
  });
  return charts;
}

function nameCharts(c: Ctx, latency: string): Chart[] {
  const counts = new Map<string, number>();
  for (const p of c.all) for (const s of p.metrics[latency]?.series ?? []) if (s.tags.name !== undefined && s.agg.type === 'trend') counts.set(s.tags.name, (counts.get(s.tags.name) ?? 0) + s.agg.count);
  if (counts.size < 2) return [];
  const names = [...counts].sort((a, b) => b[1] - a[1]).slice(0, c.opts.maxNames ?? 8).map(([n]) => n);
  return names.map((name, i) => ({
    id: `chart-name-${i}`,
    title: `${latency} — name ${name}`,
    lines: [...percentileLines(c, latency, (t) => t.name === name), ...thresholdLines(c.thresholds, latency, { name }, 'ms', c.t.length, TREND_AGGS)],
  }));
}

function errorChart(c: Ctx, requests: string): Chart {
  const keys = new Set<string>();
  for (const p of c.all) for (const s of p.metrics[requests]?.series ?? []) if (s.tags.expected_response === 'false') keys.add(errorKey(s.tags));
  const lines: ChartLine[] = [...keys].map((k) => ({ name: k, unit: 'per_s' as const, values: c.groups.map((g) => counterSum(g, requests, (t) => t.expected_response === 'false' && errorKey(t) === k) / seconds(g)) }));
  const rate = c.groups.map((g) => {
    let passes = 0;
    let total = 0;
    for (const p of g) {
      const a = p.metrics.http_req_failed?.total.agg;
      if (a?.type === 'rate') (passes += a.passes), (total += a.total);
    }
    return total === 0 ? null : passes / total;
  });
  if (rate.some((v) => v !== null)) {
    lines.push({ name: 'error rate', unit: 'ratio', values: rate }, ...baselineLine(c, 'error_rate', 'error rate', 'ratio'), ...thresholdLines(c.thresholds, 'http_req_failed', {}, 'ratio', c.t.length, /^rate$/));
  }
  if (lines.length === 0) lines.push({ name: 'failed /s (none)', unit: 'per_s', values: c.groups.map(() => 0) });
  return { id: 'chart-errors', title: 'Errors: failed requests per second by error code / status, and error rate', lines };
}

function pipelineCharts(c: Ctx): Chart[] {
  const out: Chart[] = [];
  if (c.all.some((p) => p.metrics.ingest_lag !== undefined)) {
    out.push({ id: 'chart-ingest-lag', title: 'Ingest lag (sent to queryable)', lines: [...percentileLines(c, 'ingest_lag'), ...thresholdLines(c.thresholds, 'ingest_lag', {}, 'ms', c.t.length, TREND_AGGS)] });
  }
  const present = DELIVERY.filter((m) => c.all.some((p) => p.metrics[m] !== undefined));
  if (present.length > 0) {
    // Running totals; the last point also takes what was counted after it (the drain's stub).
    const ends = c.groups.map((g, i) => (i === c.groups.length - 1 ? Infinity : (g[g.length - 1] as TimeSeriesPoint).endMs));
    const lines = present.map((m) => ({ name: m.replace('events_', 'events '), unit: 'count' as const, values: ends.map((end) => counterSum(c.all.filter((p) => p.startMs < end), m)) }));
    out.push({ id: 'chart-delivery', title: 'Tracked events: accepted, found, missing (loss), duplicated', lines });
  }
  return out;
}

function gaugeCharts(c: Ctx): Chart[] {
  const contains = new Map<string, string>();
  for (const p of c.all) for (const [name, m] of Object.entries(p.metrics)) if (m.type === 'gauge' && !BUILTIN_GAUGES.has(name)) contains.set(name, m.contains);
  const resources = (c.opts.resources ?? []).filter((r) => contains.has(r));
  const line = (name: string) => {
    const unit = gaugeUnit(name, contains.get(name) ?? 'default');
    return [{ name, unit, values: c.groups.map((g) => gaugeLast(g, name)) }, ...thresholdLines(c.thresholds, name, {}, unit, c.t.length, /^(value|min|max)$/)];
  };
  const out: Chart[] = [{ id: 'chart-vus', title: 'Active VUs', lines: [{ name: 'VUs', unit: 'count', style: 'area', values: c.groups.map((g) => {
    let v: number | null = null;
    for (const p of g) {
      const a = p.metrics.vus?.total.agg;
      if (a?.type === 'gauge') v = Math.max(v ?? 0, a.max);
    }
    return v;
  }) }, ...thresholdLines(c.thresholds, 'vus', {}, 'count', c.t.length, /^(value|min|max)$/)] }];
  const observed = [...contains.keys()].filter((n) => !resources.includes(n)).slice(0, 12);
  observed.forEach((name, i) => out.push({ id: `chart-observed-${i}`, title: `Observed: ${name}`, lines: line(name) }));
  if (resources.length > 0) out.push({ id: 'chart-resources', title: 'Resources (an axis per unit)', lines: resources.flatMap(line) });
  return out;
}

/** Computes the report's charts from the time series (pure). Groups of adjacent points merge exactly. */
export function computeChartData(points: readonly TimeSeriesPoint[], opts: ChartOptions = {}): ChartData {
  const { latency, requests } = pickMetrics(points, opts.latencyMetric);
  const whole = wholePoints(points);
  const size = Math.max(1, Math.ceil(whole.length / (opts.maxPoints ?? 600)));
  const groups: TimeSeriesPoint[][] = [];
  for (let i = 0; i < whole.length; i += size) groups.push(whole.slice(i, i + size));
  const origin = points[0]?.startMs ?? 0;
  const thresholds = (opts.thresholds ?? []).flatMap((t) => parseThreshold(t) ?? []);
  const c: Ctx = { groups, all: points, t: groups.map((g) => ((g[0] as TimeSeriesPoint).startMs - origin) / 1000), thresholds, opts };
  const charts = [...requestCharts(c, requests, latency), ...nameCharts(c, latency), errorChart(c, requests), ...pipelineCharts(c), ...gaugeCharts(c)];
  return { t: c.t, charts, latencyMetric: latency };
}

/** Percentiles for the latency distribution plot, and where they sit on a 1/(1-p) axis. */
export const DISTRIBUTION_PERCENTILES: readonly number[] = [0, 10, 20, 30, 40, 50, 60, 70, 75, 80, 85, 90, 92.5, 95, 96, 97, 98, 99, 99.5, 99.9, 99.95, 99.99, 99.999];
