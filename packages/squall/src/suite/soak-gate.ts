import type { TimeSeriesPoint } from '../metrics/time-series-point.js';
import { computeSoak } from '../reports/index.js';
import type { SloRow } from './slo.js';
import type { SoakGate } from './types.js';

const pct = (v: number) => `${(v * 100).toFixed(0)}%`;

/** Parses 500ms, 10s, 5m, 2h; undefined when it is none of these. */
export function durationMs(s: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(s.trim());
  if (!m) return undefined;
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
}

/**
 * A test's soak analysis (src/reports/soak.ts: first versus last window, memory-like gauges' linear
 * fit) as report rows: a figure past its limit is FAIL when `gate` is true, else WARN. A run too short
 * for two windows gets one row saying so (FAIL under a gate: the gate could not be checked).
 */
export function soakRows(points: readonly TimeSeriesPoint[], runMs: number, g: SoakGate): SloRow[] {
  const bad = g.gate === true ? 'FAIL' : 'WARN';
  const windowMs = (g.window === undefined ? undefined : durationMs(g.window)) ?? Math.max(10_000, runMs / 10);
  const latencyMetric = g.latencyMetric ?? 'http_req_duration';
  const maxLat = g.maxLatencyRise ?? 0.2;
  const maxErr = g.maxErrorRisePoints ?? 1;
  const maxMem = g.maxMemoryGrowth ?? 0.1;
  const a = computeSoak(points, { windowMs, latencyMetric, maxLatencyRise: maxLat, maxErrorRisePoints: maxErr, maxMemoryGrowth: maxMem });
  if (a === undefined) return [{ metric: 'soak', stat: `two ${windowMs / 1000} s windows`, target: 'run long enough', actual: undefined, status: bad }];
  const rows: SloRow[] = [];
  const row = (metric: string, stat: string, limit: number, target: string, actual: number | undefined): void => {
    rows.push({ metric, stat, target, actual, status: actual !== undefined && actual > limit ? bad : 'PASS' });
  };
  row(latencyMetric, 'p(95) rise, first to last window', maxLat, `< ${pct(maxLat)}`, a.first.p95 > 0 ? a.last.p95 / a.first.p95 - 1 : undefined);
  row('http_req_failed', 'rate rise, first to last window (points)', maxErr, `< ${maxErr}`, (a.last.errorRate - a.first.errorRate) * 100);
  for (const m of a.memory) row(m.gauge, 'growth over the run (linear fit)', maxMem, `< ${pct(maxMem)}`, m.relativeGrowth);
  return rows;
}
