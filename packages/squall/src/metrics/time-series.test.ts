import { describe, expect, it } from 'vitest';
import { Aggregator, formatTimeSeriesLine, mergePoints, mergeWindow } from './aggregator.js';
import type { TimeSeriesPoint } from './aggregator.js';
import { Collector } from './collector.js';
import { decodeHdr, hdrCount } from './hdr.js';
import { parseTimeSeriesLine } from './time-series-read.js';

const BASE_MS = 1_700_000_000_000;

/** Runs `intervals` 1 s intervals; interval i records counter += i+1, gauge i and (if `trend`) trend value i. */
function longRun(intervals: number, maxIntervals: number, onClose?: (agg: Aggregator) => void, trend = true): Aggregator {
  let now = BASE_MS;
  const c = new Collector({ nowMs: () => now });
  const reqs = c.define({ name: 'reqs', type: 'counter', contains: 'default' });
  const lat = c.define({ name: 'lat', type: 'trend', contains: 'time' });
  const level = c.define({ name: 'level', type: 'gauge', contains: 'default' });
  const tags = c.tagSet({ scenario: 'default', url: 'http://x/' });
  const agg = new Aggregator({ subMetrics: [], maxIntervals });
  for (let i = 0; i < intervals; i++) {
    const start = BASE_MS + i * 1000;
    now = start + 500;
    c.add(reqs, tags, i + 1);
    if (trend) c.add(lat, tags, i);
    c.add(level, tags, i);
    agg.ingest(c.snapshot(start + 1000));
    agg.closeInterval(start, start + 1000);
    onClose?.(agg);
  }
  return agg;
}

describe('time series downsampling', () => {
  it.each([
    // Trend merges decode and re-encode histograms, so that case runs fewer intervals.
    ['counter and gauge', 10_000, 64, false],
    ['counter, gauge and trend', 2_000, 16, true],
  ])('%s: at most maxIntervals points after every interval, totals exact', (_name, n, max, trend) => {
    let largest = 0;
    const agg = longRun(
      n,
      max,
      (a) => {
        // The store's own count: rebuilding every point after each interval would dominate the test.
        largest = Math.max(largest, (a as unknown as { store: { size: number } }).store.size);
      },
      trend,
    );
    expect(largest).toBeLessThanOrEqual(max);
    const points = agg.timeSeries();
    expect(points.length).toBeGreaterThan(max / 4);
    // Contiguous, complete coverage of the run.
    expect(points[0]?.startMs).toBe(BASE_MS);
    expect(points.at(-1)?.endMs).toBe(BASE_MS + n * 1000);
    for (let i = 1; i < points.length; i++) expect(points[i]?.startMs).toBe(points[i - 1]?.endMs);
    expect(points.reduce((s, p) => s + p.intervals, 0)).toBe(n);
    // Resolution doubled: every point is a power-of-two number of seconds.
    for (const p of points) expect(Math.log2(p.intervals) % 1).toBe(0);

    const all = mergePoints(points);
    expect(all.metrics['reqs']?.total.values).toMatchObject({ count: (n * (n + 1)) / 2 });
    expect(all.metrics['level']?.total.values).toEqual({ value: n - 1, min: 0, max: n - 1 });
    if (!trend) return;
    expect(all.metrics['lat']?.total.agg).toMatchObject({ count: n, sum: (n * (n - 1)) / 2, min: 0, max: n - 1 });
    const hdr = all.metrics['lat']?.total.agg.type === 'trend' ? all.metrics['lat'].total.agg.hdr : '';
    expect(hdrCount(decodeHdr(hdr))).toBe(n);
    expect(all.metrics['lat']?.total.values).toEqual(agg.values('lat', {}, ['count', 'p(90)', 'p(95)', 'p(99)']));
  });

  it('stays within even the smallest bound, exactly', () => {
    const agg = longRun(300, 2, (a) => expect(a.timeSeries().length).toBeLessThanOrEqual(2));
    const all = mergePoints(agg.timeSeries());
    expect(all.intervals).toBe(300);
    expect(all.metrics['reqs']?.total.values['count']).toBe((300 * 301) / 2);
    expect(all.metrics['lat']?.total.values['count']).toBe(300);
  });

  it('rejects a bound below 2', () => {
    expect(() => new Aggregator({ subMetrics: [], maxIntervals: 1 })).toThrow(
      expect.objectContaining({ code: 'SQUALL_CONFIG_INVALID' }),
    );
  });

  it('keeps 1 s resolution while under the bound', () => {
    const points = longRun(10, 64).timeSeries();
    expect(points.map((p) => p.intervals)).toEqual(Array(10).fill(1));
    expect(points[3]?.metrics['reqs']?.total.values).toEqual({ count: 4, rate: 4 });
  });
});

describe('time series series', () => {
  it('groups by series tags only and folds series past the cap into __other', () => {
    const c = new Collector();
    const m = c.define({ name: 'http_req_duration', type: 'trend', contains: 'time' });
    const agg = new Aggregator({ subMetrics: [], maxSeriesPerMetric: 2 });
    for (const [name, url] of [['a', '1'], ['a', '2'], ['b', '3'], ['c', '4'], ['d', '5'], ['d', '6']] as const) {
      c.add(m, c.tagSet({ name, url, vu: url }), 10);
    }
    agg.ingest(c.snapshot(1));
    agg.closeInterval(0, 1000);
    const metric = agg.timeSeries()[0]?.metrics['http_req_duration'];
    expect(metric?.series.map((s) => [s.tags, s.values['count']])).toEqual([
      [{ name: 'a' }, 2],
      [{ name: 'b' }, 1],
      [{ __other: 'true' }, 3],
    ]);
    expect(metric?.foldedSeries).toBe(2);
    expect(metric?.total.values['count']).toBe(6);

    // Admission lasts for the run: 'a' keeps its own series later, 'c' stays folded.
    c.add(m, c.tagSet({ name: 'c' }), 1);
    c.add(m, c.tagSet({ name: 'a' }), 1);
    agg.ingest(c.snapshot(2));
    agg.closeInterval(1000, 2000);
    const next = agg.timeSeries()[1]?.metrics['http_req_duration'];
    expect(next?.series.map((s) => s.tags)).toEqual([{ __other: 'true' }, { name: 'a' }]);
    expect(next?.foldedSeries).toBe(1);
  });

  it('shares the aggregate of a single series with the total instead of keeping a copy', () => {
    const c = new Collector();
    const m = c.define({ name: 'http_req_duration', type: 'trend', contains: 'time' });
    const agg = new Aggregator({ subMetrics: [] });
    for (let i = 1; i <= 50; i++) c.add(m, c.tagSet({ name: 'only' }), i);
    agg.ingest(c.snapshot(1));
    agg.closeInterval(0, 1000);
    c.add(m, c.tagSet({ name: 'only' }), 5);
    c.add(m, c.tagSet({ name: 'other' }), 7);
    agg.ingest(c.snapshot(2));
    agg.closeInterval(1000, 2000);
    const [one, two] = agg.timeSeries().map((p) => p.metrics['http_req_duration']);
    expect(one?.total.agg).toBe(one?.series[0]?.agg);
    expect(one?.total.values).toMatchObject({ count: 50, avg: 25.5, min: 1, max: 50 });
    // Two series: the total is their own merge.
    expect(two?.total.agg).not.toBe(two?.series[0]?.agg);
    expect(two?.total.values['count']).toBe(2);
    expect(two?.total.values['max']).toBe(7);
  });

  it('keeps empty intervals as points without metrics', () => {
    const agg = new Aggregator({ subMetrics: [] });
    agg.closeInterval(0, 1000);
    expect(agg.timeSeries()).toEqual([{ startMs: 0, endMs: 1000, intervals: 1, metrics: {} }]);
  });
});

describe('mergeWindow', () => {
  it('merges the points whose midpoint falls in the window', () => {
    const points = longRun(20, 64).timeSeries();
    const first = mergeWindow(points, BASE_MS, BASE_MS + 5000);
    const last = mergeWindow(points, BASE_MS + 15_000, BASE_MS + 20_000);
    expect(first).toMatchObject({ startMs: BASE_MS, endMs: BASE_MS + 5000, intervals: 5 });
    expect(first?.metrics['reqs']?.total.values).toEqual({ count: 1 + 2 + 3 + 4 + 5, rate: 3 });
    expect(last?.metrics['lat']?.total.values).toMatchObject({ count: 5, min: 15, max: 19, avg: 17 });
    expect(mergeWindow(points, 0, 1)).toBeUndefined();
  });
});

describe('formatTimeSeriesLine', () => {
  it('writes one JSON line that parses back to the same point', () => {
    const point = longRun(2, 64).timeSeries()[1] as TimeSeriesPoint;
    const line = formatTimeSeriesLine(point);
    expect(line).not.toContain('\n');
    expect(JSON.parse(line)).toEqual(point);
    expect(parseTimeSeriesLine(line, 'ts.jsonl:2')).toEqual(point);
  });

  it.each([
    ['not JSON', '{', 'not JSON'],
    ['missing field', '{"startMs":0,"endMs":1,"metrics":{}}', 'at intervals'],
    ['bad aggregate', '{"startMs":0,"endMs":1,"intervals":1,"metrics":{"m":{"type":"counter","contains":"default","total":{"agg":{"type":"counter","sum":"x","samples":1},"values":{}},"series":[],"foldedSeries":0}}}', 'at metrics.m.total.agg.sum'],
  ])('rejects a line that is %s, saying where', (_name, line, fragment) => {
    expect(() => parseTimeSeriesLine(line, 'ts.jsonl:7')).toThrow(
      expect.objectContaining({ code: 'SQUALL_IO', message: expect.stringMatching(new RegExp(`^ts\\.jsonl:7: .*${fragment.replace(/[.]/g, '\\.')}`)) }),
    );
  });
});

describe('time series storage', () => {
  it('gives back exactly the points it was given (packed while held)', () => {
    let now = BASE_MS;
    const c = new Collector({ nowMs: () => now });
    const reqs = c.define({ name: 'reqs', type: 'counter', contains: 'default' });
    const lat = c.define({ name: 'lat', type: 'trend', contains: 'time' });
    const level = c.define({ name: 'level', type: 'gauge', contains: 'default' });
    const ok = c.define({ name: 'ok', type: 'rate', contains: 'default' });
    const a = c.tagSet({ scenario: 'default', name: 'a', status: '200' });
    const b = c.tagSet({ scenario: 'default', name: 'b', status: '500' });
    const agg = new Aggregator({ subMetrics: [], maxIntervals: 100 });
    const given: TimeSeriesPoint[] = [];
    for (let i = 0; i < 20; i++) {
      const start = BASE_MS + i * 1000;
      now = start + 300;
      for (let k = 0; k < 50; k++) {
        // One series only in even intervals (the total then shares its aggregate), two in odd ones.
        const tags = i % 2 === 0 || k % 3 !== 0 ? a : b;
        c.add(reqs, tags, 1);
        c.add(lat, tags, (k * 37.123 + i) % 900 - (k === 7 ? 12.5 : 0));
        c.add(ok, tags, k % 4 === 0 ? 0 : 1);
      }
      c.add(level, a, i * 1.5);
      agg.ingest(c.snapshot(start + 1000));
      agg.closeInterval(start, start + 1000);
      given.push(agg.lastPoint() as TimeSeriesPoint);
    }
    const back = agg.timeSeries();
    expect(back).toEqual(given);
    expect(back.map(formatTimeSeriesLine)).toEqual(given.map(formatTimeSeriesLine));
  });
});
