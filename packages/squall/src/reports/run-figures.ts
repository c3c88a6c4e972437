import { formatRunId } from '../run-id/index.js';
import { basename } from 'node:path';
import { createHdr, decodeHdr, hdrPercentiles, mergeHdr } from '../metrics/hdr.js';
import type { TimeSeriesPoint } from '../metrics/time-series-point.js';
import type { GroupDoc, MetaThreshold, RunResults } from './results-reader.js';
import { computeRollup, latencyFigures, type LatencyFigures, type RollupEntry } from './rollup.js';

/** Figures of one slice of a run (a scenario or an endpoint). */
export interface SliceFigures {
  readonly name: string;
  readonly requests: number;
  readonly ratePerSec: number;
  /** Share of failed requests, 0..1. */
  readonly errorRate: number;
  readonly latency: LatencyFigures | undefined;
}

/** A check's tally, path as in `root_group` (`::group::name`). */
export interface CheckFigures {
  readonly path: string;
  readonly passes: number;
  readonly fails: number;
}

/**
 * The key figures of a run: what history keeps, baselines record and `compare` reads. Plain JSON.
 * `metrics` keys: throughput (req/s), latency_avg/p50/p90/p95/p99/max (ms), error_rate (0..1),
 * iterations_rate, checks_rate, resource:GAUGE (mean of the gauge over the run), and the same per
 * scenario as `KEY{scenario:NAME}` when a run has several. `intervals` holds per-interval samples
 * of those keys (partial and warm-up intervals dropped) for the noise test.
 */
export interface RunFigures {
  readonly version: 1;
  readonly test: string;
  readonly runId: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly gitRevision: string | null;
  readonly exitCode: number;
  readonly latencyMetric: string;
  readonly metrics: Readonly<Record<string, number>>;
  readonly intervals: Readonly<Record<string, readonly number[]>>;
  /** The whole run as one slice. */
  readonly total: SliceFigures;
  readonly scenarios: readonly SliceFigures[];
  readonly endpoints: readonly SliceFigures[];
  readonly thresholds: readonly MetaThreshold[];
  readonly checks: readonly CheckFigures[];
}

/** Options for computeRunFigures. */
export interface FiguresOptions {
  /** Test name for history and baselines (default: the script's file name without extension). */
  readonly test?: string;
  /** Trend metric for latency figures (default http_req_duration, else iteration_duration). */
  readonly latencyMetric?: string;
  /** Gauges whose names match are resource figures (default: cpu, mem, rss, heap). */
  readonly resourcePattern?: RegExp;
}

const RESOURCE_DEFAULT = /(cpu|mem|rss|heap)/i;
const BUILTIN_GAUGES = new Set(['vus', 'vus_max']);

/** Default test name of a script path: `examples/quickstart.ts` -> `quickstart`. */
export function testNameOf(script: string): string {
  return basename(script).replace(/\.[cm]?[jt]sx?$/, '') || 'test';
}

/** Run id from the start time (to the ms: runs started together differ) and test name: `20261123T043617.315Z-quickstart`. */
export function runIdOf(startedAt: string, test: string): string {
  return formatRunId(new Date(startedAt).getTime(), test);
}

function slice(name: string, e: RollupEntry, seconds: number): SliceFigures {
  return { name, requests: e.requests, ratePerSec: seconds > 0 ? e.requests / seconds : 0, errorRate: e.judged > 0 ? e.failed / e.judged : 0, latency: latencyFigures(e) };
}

function flattenChecks(g: GroupDoc, out: CheckFigures[]): CheckFigures[] {
  for (const c of g.checks) out.push({ path: c.path, passes: c.passes, fails: c.fails });
  for (const sub of g.groups) flattenChecks(sub, out);
  return out;
}

function putSlice(metrics: Record<string, number>, suffix: string, s: SliceFigures): void {
  metrics[`throughput${suffix}`] = s.ratePerSec;
  metrics[`error_rate${suffix}`] = s.errorRate;
  if (s.latency === undefined) return;
  for (const k of ['avg', 'p50', 'p90', 'p95', 'p99', 'max'] as const) metrics[`latency_${k}${suffix}`] = s.latency[k];
}

/** Per-interval samples: partial points dropped, then the first (warm-up) when 4 or more remain. */
function intervalSamples(points: readonly TimeSeriesPoint[], latency: string, requests: string, scenarios: readonly string[], resources: readonly string[]): Record<string, number[]> {
  // Partial points (the stub after the run's end) would give absurd rates: keep whole ones only.
  const spans = points.map((p) => p.endMs - p.startMs).sort((a, b) => a - b);
  const medianSpan = spans[Math.floor(spans.length / 2)] ?? 0;
  const whole = points.filter((p) => p.endMs - p.startMs >= medianSpan / 2);
  const inner = whole.length >= 4 ? whole.slice(1) : whole; // the first interval is warm-up
  const out: Record<string, number[]> = {};
  const push = (k: string, v: number) => (out[k] ??= []).push(v);
  for (const p of inner) {
    const seconds = (p.endMs - p.startMs) / 1000;
    if (seconds <= 0) continue;
    const req = p.metrics[requests]?.total.agg;
    push('throughput', req?.type === 'counter' ? req.sum / seconds : 0);
    const failed = p.metrics.http_req_failed?.total.agg;
    if (failed?.type === 'rate' && failed.total > 0) push('error_rate', failed.passes / failed.total);
    const lat = p.metrics[latency];
    if (lat !== undefined && lat.total.agg.type === 'trend' && lat.total.agg.count > 0) {
      const v = lat.total.values;
      push('latency_avg', v.avg ?? 0);
      push('latency_p50', v.med ?? 0);
      push('latency_p90', v['p(90)'] ?? 0);
      push('latency_p95', v['p(95)'] ?? 0);
      push('latency_p99', v['p(99)'] ?? 0);
    }
    for (const r of resources) {
      const g = p.metrics[r]?.total.agg;
      if (g?.type === 'gauge') push(`resource:${r}`, g.value);
    }
    if (scenarios.length < 2) continue;
    for (const sc of scenarios) {
      const suffix = `{scenario:${sc}}`;
      const reqs = (p.metrics[requests]?.series ?? []).filter((s) => s.tags.scenario === sc);
      push(`throughput${suffix}`, reqs.reduce((a, s) => a + (s.agg.type === 'counter' ? s.agg.sum : 0), 0) / seconds);
      const h = createHdr();
      let count = 0;
      let min = Infinity;
      let max = -Infinity;
      for (const s of p.metrics[latency]?.series ?? []) {
        if (s.tags.scenario !== sc || s.agg.type !== 'trend' || s.agg.count === 0) continue;
        mergeHdr(h, decodeHdr(s.agg.hdr));
        count += s.agg.count;
        min = Math.min(min, s.agg.min);
        max = Math.max(max, s.agg.max);
      }
      if (count === 0) continue;
      const [p50, p90, p95, p99] = hdrPercentiles(h, [50, 90, 95, 99], min, max) as [number, number, number, number];
      push(`latency_p50${suffix}`, p50);
      push(`latency_p90${suffix}`, p90);
      push(`latency_p95${suffix}`, p95);
      push(`latency_p99${suffix}`, p99);
    }
  }
  return out;
}

/** Computes a run's key figures from its results (pure; exact percentiles from the merged histograms). */
export function computeRunFigures(results: RunResults, opts: FiguresOptions = {}): RunFigures {
  const test = opts.test ?? testNameOf(results.meta.script);
  const seconds = results.meta.durationMs / 1000;
  const rollup = computeRollup(results.points, opts.latencyMetric);
  const total = slice('all', rollup.total, seconds);
  const scenarios = [...rollup.scenarios].map(([n, e]) => slice(n, e, seconds));
  const endpoints = [...rollup.endpoints].map(([n, e]) => slice(n, e, seconds));
  const metrics: Record<string, number> = {};
  putSlice(metrics, '', total);
  if (scenarios.length > 1) for (const s of scenarios) putSlice(metrics, `{scenario:${s.name}}`, s);
  const sm = results.summary.metrics;
  if (sm.iterations?.values.rate !== undefined) metrics.iterations_rate = sm.iterations.values.rate;
  if (sm.checks?.values.rate !== undefined) metrics.checks_rate = sm.checks.values.rate;
  const pattern = opts.resourcePattern ?? RESOURCE_DEFAULT;
  const resources = Object.keys(sm).filter((n) => sm[n]?.type === 'gauge' && !BUILTIN_GAUGES.has(n) && !n.includes('{') && pattern.test(n));
  const intervals = intervalSamples(results.points, rollup.latencyMetric, rollup.requestMetric, scenarios.map((s) => s.name), resources);
  for (const r of resources) {
    const xs = intervals[`resource:${r}`] ?? [];
    metrics[`resource:${r}`] = xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : (sm[r]?.values.value ?? 0);
  }
  return {
    version: 1,
    test,
    runId: runIdOf(results.meta.startedAt, test),
    startedAt: results.meta.startedAt,
    durationMs: results.meta.durationMs,
    gitRevision: results.meta.gitRevision,
    exitCode: results.meta.exitCode,
    latencyMetric: rollup.latencyMetric,
    metrics,
    intervals,
    total,
    scenarios,
    endpoints,
    thresholds: results.meta.thresholds,
    checks: flattenChecks(results.summary.root_group, []),
  };
}
