import { createHdr, decodeHdr, hdrPercentiles, mergeHdr, type Hdr } from '../metrics/hdr.js';
import type { TimeSeriesPoint } from '../metrics/time-series-point.js';
import type { Tags } from '../metrics/types.js';

/** Request counts, failures and the latency histogram of one slice of a run (all, a scenario, an endpoint). */
export interface RollupEntry {
  requests: number;
  /** Failed requests (`http_req_failed` passes) and the requests it judged. */
  failed: number;
  judged: number;
  readonly latency: Hdr;
  latencyCount: number;
  latencySumMs: number;
  latencyMinMs: number;
  latencyMaxMs: number;
}

/** Whole-run rollup of the request and latency metrics, exact (histograms merged across points). */
export interface Rollup {
  readonly latencyMetric: string;
  readonly requestMetric: string;
  readonly total: RollupEntry;
  readonly scenarios: ReadonlyMap<string, RollupEntry>;
  /** Keyed by the `name` tag (the URL unless the script names it). */
  readonly endpoints: ReadonlyMap<string, RollupEntry>;
  /** Failed requests by `error_code` (when set) or `status`, e.g. `status 503`, `error 1211`. */
  readonly errors: ReadonlyMap<string, number>;
}

function entry(): RollupEntry {
  return { requests: 0, failed: 0, judged: 0, latency: createHdr(), latencyCount: 0, latencySumMs: 0, latencyMinMs: Infinity, latencyMaxMs: -Infinity };
}

function at(map: Map<string, RollupEntry>, key: string): RollupEntry {
  let e = map.get(key);
  if (e === undefined) {
    e = entry();
    map.set(key, e);
  }
  return e;
}

/** The label a failed request is counted under in error breakdowns. */
export function errorKey(tags: Tags): string {
  if (tags.error_code !== undefined && tags.error_code !== '') return tags.status !== undefined && tags.status !== '0' ? `error ${tags.error_code} (status ${tags.status})` : `error ${tags.error_code}`;
  return `status ${tags.status ?? 'unknown'}`;
}

/** Picks the latency and request metrics present in the points: HTTP ones, else iterations. */
export function pickMetrics(points: readonly TimeSeriesPoint[], preferredLatency = 'http_req_duration'): { latency: string; requests: string } {
  const has = (name: string) => points.some((p) => p.metrics[name] !== undefined);
  const latency = has(preferredLatency) ? preferredLatency : has('http_req_duration') ? 'http_req_duration' : 'iteration_duration';
  const requests = has('http_reqs') ? 'http_reqs' : 'iterations';
  return { latency, requests };
}

/** One pass over all points: per run, per scenario and per endpoint counts and merged latency histograms. */
export function computeRollup(points: readonly TimeSeriesPoint[], preferredLatency?: string): Rollup {
  const { latency, requests } = pickMetrics(points, preferredLatency);
  const total = entry();
  const scenarios = new Map<string, RollupEntry>();
  const endpoints = new Map<string, RollupEntry>();
  const errors = new Map<string, number>();
  const targets = (tags: Tags): RollupEntry[] => {
    const out = [total];
    if (tags.scenario !== undefined) out.push(at(scenarios, tags.scenario));
    if (tags.name !== undefined) out.push(at(endpoints, tags.name));
    return out;
  };
  for (const point of points) {
    for (const s of point.metrics[requests]?.series ?? []) {
      if (s.agg.type !== 'counter') continue;
      for (const e of targets(s.tags)) e.requests += s.agg.sum;
      if (s.tags.expected_response === 'false') errors.set(errorKey(s.tags), (errors.get(errorKey(s.tags)) ?? 0) + s.agg.sum);
    }
    for (const s of point.metrics.http_req_failed?.series ?? []) {
      if (s.agg.type !== 'rate') continue;
      for (const e of targets(s.tags)) {
        e.failed += s.agg.passes;
        e.judged += s.agg.total;
      }
    }
    for (const s of point.metrics[latency]?.series ?? []) {
      if (s.agg.type !== 'trend' || s.agg.count === 0) continue;
      const h = decodeHdr(s.agg.hdr);
      for (const e of targets(s.tags)) {
        mergeHdr(e.latency, h);
        e.latencyCount += s.agg.count;
        e.latencySumMs += s.agg.sum;
        if (s.agg.min < e.latencyMinMs) e.latencyMinMs = s.agg.min;
        if (s.agg.max > e.latencyMaxMs) e.latencyMaxMs = s.agg.max;
      }
    }
  }
  return { latencyMetric: latency, requestMetric: requests, total, scenarios, endpoints, errors };
}

/** Latency figures of a rollup entry in ms (exact to 3 significant digits); undefined without samples. */
export interface LatencyFigures {
  readonly count: number;
  readonly avg: number;
  readonly min: number;
  readonly p50: number;
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

/** Percentiles of an entry's merged histogram, clamped to its exact min and max. */
export function latencyFigures(e: RollupEntry): LatencyFigures | undefined {
  if (e.latencyCount === 0) return undefined;
  const [p50, p90, p95, p99] = hdrPercentiles(e.latency, [50, 90, 95, 99], e.latencyMinMs, e.latencyMaxMs) as [number, number, number, number];
  return { count: e.latencyCount, avg: e.latencySumMs / e.latencyCount, min: e.latencyMinMs, p50, p90, p95, p99, max: e.latencyMaxMs };
}
