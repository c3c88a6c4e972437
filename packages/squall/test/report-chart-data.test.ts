import { describe, expect, it } from 'vitest';
import { computeChartData, type Chart } from '../src/reports/chart-data.js';
import type { RunFigures } from '../src/reports/run-figures.js';
import type { TimeSeriesPoint } from '../src/metrics/time-series-point.js';
import { pointsOf } from './helpers/points.js';

/** Five whole seconds (12 requests each, none marked expected_response=false, latencies 100/200, CPU and RSS gauges) and a 100 ms stub with 3 requests. */
function run(): TimeSeriesPoint[] {
  const points = pointsOf(
    Array.from({ length: 6 }, (_, i) => (c, ids) => {
      const n = i === 5 ? 3 : 10;
      for (let k = 0; k < n; k++) {
        c.add(ids.reqs, ids.ok, 1);
        c.add(ids.dur, ids.ok, 100);
      }
      c.add(ids.reqs, ids.bad, 2);
      c.add(ids.dur, ids.bad, 200);
      c.add(c.define({ name: 'target_cpu', type: 'gauge', contains: 'default' }), ids.base, 0.2 + i * 0.1);
      c.add(c.define({ name: 'target_rss_bytes', type: 'gauge', contains: 'data' }), ids.base, 300e6 + i * 1e6);
      c.add(c.define({ name: 'queue_depth', type: 'gauge', contains: 'default' }), ids.base, 40 - i);
    }),
  );
  const last = points[5] as TimeSeriesPoint;
  return [...points.slice(0, 5), { ...last, endMs: last.startMs + 100 }];
}

const chart = (charts: readonly Chart[], id: string) => {
  const c = charts.find((x) => x.id === id);
  if (c === undefined) throw new Error(`no ${id} in ${charts.map((x) => x.id).join(', ')}`);
  return c;
};
const line = (c: Chart, name: string) => c.lines.find((l) => l.name === name)?.values;

describe('report chart data', () => {
  const thresholds = [
    { key: 'http_req_duration', source: 'p(95)<250', ok: true, actual: 200 },
    { key: 'http_req_duration{name:bad}', source: 'max < 300', ok: true, actual: 200 },
    { key: 'queue_depth', source: 'value<50', ok: true, actual: 35 },
    { key: 'http_req_duration{group:::x}', source: 'p(95)<1', ok: false, actual: 200 },
  ];
  const baseline = { label: 'b', figures: { intervals: { throughput: [6, 6, 6, 6] }, metrics: { latency_p95: 150, throughput: 6 } } as unknown as RunFigures };
  const data = computeChartData(run(), { thresholds, resources: ['target_cpu', 'target_rss_bytes'], baseline });

  it('leaves out the partial last interval and counts elapsed seconds from 0', () => {
    expect(data.t).toEqual([0, 1, 2, 3, 4]);
    expect(line(chart(data.charts, 'chart-requests'), 'ok /s')).toEqual([12, 12, 12, 12, 12]);
  });

  it('draws each threshold on its metric and slice, in the unit of its axis', () => {
    expect(chart(data.charts, 'chart-latency-0').lines.filter((l) => l.style === 'threshold').map((l) => [l.name, l.unit, l.values[0]])).toEqual([['threshold p(95)<250', 'ms', 250]]);
    const names = data.charts.filter((c) => c.id.startsWith('chart-name-'));
    expect(names.map((c) => c.title)).toEqual(['http_req_duration — name ok', 'http_req_duration — name bad']);
    expect(names[1]?.lines.find((l) => l.style === 'threshold')?.name).toBe('threshold max < 300');
    expect(names[0]?.lines.some((l) => l.style === 'threshold')).toBe(false);
    const q = data.charts.find((c) => c.title === 'Observed: queue_depth') as Chart;
    expect(q.lines.map((l) => [l.name, l.unit, l.values[0]])).toEqual([['queue_depth', 'count', 40], ['threshold value<50', 'count', 50]]);
  });

  it('per-name latency: p50/p95/p99 of that name only', () => {
    const bad = data.charts.find((c) => c.title.endsWith('name bad')) as Chart;
    expect(line(bad, 'p95')?.every((v) => v !== null && Math.abs(v - 200) < 1)).toBe(true);
  });

  it('resources: CPU in cores and RSS in bytes, as separate units (axes)', () => {
    const r = chart(data.charts, 'chart-resources');
    expect(r.lines.map((l) => [l.name, l.unit])).toEqual([['target_cpu', 'cores'], ['target_rss_bytes', 'bytes']]);
    expect(line(r, 'target_cpu')?.[4]).toBeCloseTo(0.6);
  });

  it('overlays the baseline per interval, aligned by elapsed second, and its flat figure where it kept no intervals', () => {
    expect(line(chart(data.charts, 'chart-requests'), 'baseline req/s (b)')).toEqual([null, 6, 6, 6, 6]);
    expect(line(chart(data.charts, 'chart-latency-0'), 'baseline p95 (b)')).toEqual([150, 150, 150, 150, 150]);
  });

  it('errors: with no failed request, one zero line that says so', () => {
    const e = chart(data.charts, 'chart-errors');
    expect(e.lines.map((l) => [l.name, l.values])).toEqual([['failed /s (none)', [0, 0, 0, 0, 0]]]);
  });
});
