import { describe, expect, it } from 'vitest';
import { createHdr, encodeHdr, recordHdr } from '../src/metrics/hdr.js';
import type { TimeSeriesPoint } from '../src/metrics/time-series-point.js';
import { computeSoak } from '../src/reports/soak.js';

// One point per second: latency samples around `latencyMs`, `failed` of 100 requests, and a memory gauge.
function point(i: number, latencyMs: number, failed: number, memBytes: number): TimeSeriesPoint {
  const h = createHdr();
  for (let k = 0; k < 100; k++) recordHdr(h, latencyMs + (k % 10) / 10);
  const trend = { type: 'trend' as const, count: 100, sum: 100 * latencyMs + 45, min: latencyMs, max: latencyMs + 0.9, hdr: encodeHdr(h) };
  const rate = { type: 'rate' as const, passes: failed, total: 100 };
  const gauge = { type: 'gauge' as const, value: memBytes, timeMs: i * 1000, min: memBytes, max: memBytes, samples: 1 };
  const entry = <A>(agg: A) => ({ agg, values: {} });
  return {
    startMs: i * 1000,
    endMs: (i + 1) * 1000,
    intervals: 1,
    metrics: {
      http_req_duration: { type: 'trend', contains: 'time', total: entry(trend), series: [{ tags: {}, ...entry(trend) }], foldedSeries: 0 },
      http_req_failed: { type: 'rate', contains: 'default', total: entry(rate), series: [{ tags: {}, ...entry(rate) }], foldedSeries: 0 },
      target_memory_bytes: { type: 'gauge', contains: 'data', total: entry(gauge), series: [{ tags: {}, ...entry(gauge) }], foldedSeries: 0 },
    },
  };
}

const opts = { windowMs: 10_000, latencyMetric: 'http_req_duration' };

describe('soak analysis (first vs last window)', () => {
  it('a stable run is not degraded', () => {
    const points = Array.from({ length: 60 }, (_, i) => point(i, 20, 0, 1e8));
    const s = computeSoak(points, opts);
    expect(s?.degraded).toBe(false);
    expect(s?.first.p95).toBeCloseTo(s?.last.p95 ?? 0, 1);
  });

  it('flags latency growth, error growth and a memory leak, each with its reason', () => {
    const points = Array.from({ length: 60 }, (_, i) => point(i, i < 30 ? 20 : 30, i < 50 ? 0 : 5, 1e8 + i * 1e6));
    const s = computeSoak(points, opts);
    expect(s?.first.p95).toBeGreaterThan(20);
    expect(s?.first.p95).toBeLessThan(21);
    expect(s?.last.p95).toBeGreaterThan(30);
    expect(s?.last.errorRate).toBeCloseTo(0.05, 6);
    expect(s?.findings).toEqual([
      expect.stringMatching(/^p95 latency rose 4\d\.\d% from the first to the last window/),
      'error rate rose 5.00 points from the first to the last window',
      expect.stringMatching(/^target_memory_bytes grew 59\.\d% over the run/),
    ]);
  });

  it('is skipped when the run is shorter than two windows', () => {
    expect(computeSoak(Array.from({ length: 15 }, (_, i) => point(i, 20, 0, 1)), opts)).toBeUndefined();
  });
});
