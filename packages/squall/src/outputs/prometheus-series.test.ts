import { describe, expect, it } from 'vitest';
import { parseExposition } from '../observe/exposition.js';
import type { TimeSeriesPoint } from '../metrics/time-series-point.js';
import { pointsOf } from '../../test/helpers/points.js';
import { parsePromTrendStats, promLabels, promMetricName, trendStatSuffix } from './prometheus-naming.js';
import { PrometheusSeries, type PromSample } from './prometheus-series.js';
import { formatExposition } from './prometheus-text.js';

describe('k6 naming', () => {
  it.each([
    ['p(99)', 'p99'],
    ['p(95)', 'p95'],
    ['p(99.9)', 'p999'],
    ['p(0.5)', 'p05'],
    ['avg', 'avg'],
    ['med', 'med'],
    ['count', 'count'],
    ['sum', 'sum'],
  ])('trend stat %s -> suffix %s', (stat, suffix) => {
    expect(trendStatSuffix(stat)).toBe(suffix);
  });

  it.each([
    ['http_reqs', 'total', 'k6_http_reqs_total'],
    ['vus', '', 'k6_vus'],
    ['checks', 'rate', 'k6_checks_rate'],
    ['http_req_duration', 'p99', 'k6_http_req_duration_p99'],
    ['my-metric.x', 'total', 'k6_my_metric_x_total'],
  ])('%s + %j -> %s', (metric, suffix, name) => {
    expect(promMetricName(metric, suffix)).toBe(name);
  });

  it('parses k6 trend-stat lists, sum included, and names every bad entry', () => {
    expect(parsePromTrendStats('p(95), p(99),min,max,avg,med,count,sum', 'X').map((s) => s.suffix)).toEqual(['p95', 'p99', 'min', 'max', 'avg', 'med', 'count', 'sum']);
    expect(() => parsePromTrendStats('p(99),p99,mean', 'X')).toThrow(/X: .*"p99", "mean"/);
    expect(() => parsePromTrendStats(' , ', 'X')).toThrow(/empty list/);
  });

  it('makes labels: tags win over constant labels, names made valid, empty values dropped, sorted, overflow renamed', () => {
    expect(promLabels({ status: '200', 'my-tag': 'a', group: '', __other: 'true' }, { testid: 't1', status: 'const', __name__: 'x' })).toEqual([
      ['my_tag', 'a'],
      ['squall_other', 'true'],
      ['status', '200'],
      ['testid', 't1'],
    ]);
  });
});

function find(samples: readonly PromSample[], name: string, label?: [string, string]): PromSample | undefined {
  return samples.find((s) => s.name === name && (label === undefined || s.labels.some(([k, v]) => k === label[0] && v === label[1])));
}

describe('PrometheusSeries', () => {
  const points = pointsOf([
    (c, id) => {
      c.add(id.reqs, id.ok, 1);
      c.add(id.reqs, id.ok, 1);
      c.add(id.reqs, id.bad, 1);
      c.add(id.dur, id.ok, 100);
      c.add(id.size, id.ok, 2048);
      c.add(id.checks, id.base, 1);
      c.add(id.vus, id.base, 3);
    },
    (c, id) => {
      c.add(id.reqs, id.ok, 1);
      c.add(id.dur, id.ok, 300);
      c.add(id.checks, id.base, 0);
      c.add(id.vus, id.base, 5);
    },
  ]);
  const stats = parsePromTrendStats('p(99),avg,min,max,med,count,sum', 'test');

  it('sums run-so-far totals across intervals in k6 naming, with the series tags and constant labels', () => {
    const series = new PrometheusSeries(stats);
    series.setConstantLabels({ testid: 'run-1' });
    for (const p of points) series.add(p);
    const s = series.samples();
    expect(find(s, 'k6_http_reqs_total', ['name', 'ok'])?.value).toBe(3);
    expect(find(s, 'k6_http_reqs_total', ['name', 'bad'])?.value).toBe(1);
    expect(find(s, 'k6_http_reqs_total', ['name', 'ok'])?.labels).toEqual([['name', 'ok'], ['status', '200'], ['testid', 'run-1']]);
    expect(find(s, 'k6_http_reqs_total', ['name', 'ok'])?.kind).toBe('counter');
    expect(find(s, 'k6_checks_rate')?.value).toBe(0.5);
    expect(find(s, 'k6_vus')?.value).toBe(5);
    expect(find(s, 'k6_vus')?.kind).toBe('gauge');
  });

  it('exports iterations_interrupted per scenario and cause', () => {
    const series = new PrometheusSeries(stats);
    for (const p of pointsOf([
      (c) => {
        const id = c.define({ name: 'iterations_interrupted', type: 'counter', contains: 'default' });
        c.add(id, c.tagSet({ scenario: 'a', cause: 'gracefulStop' }), 1);
        c.add(id, c.tagSet({ scenario: 'a', cause: 'gracefulStop' }), 1);
        c.add(id, c.tagSet({ scenario: 'a', cause: 'signal' }), 1);
      },
    ]))
      series.add(p);
    const s = series.samples();
    expect(find(s, 'k6_iterations_interrupted_total', ['cause', 'gracefulStop'])?.labels).toEqual([['cause', 'gracefulStop'], ['scenario', 'a']]);
    expect(find(s, 'k6_iterations_interrupted_total', ['cause', 'gracefulStop'])?.value).toBe(2);
    expect(find(s, 'k6_iterations_interrupted_total', ['cause', 'signal'])?.value).toBe(1);
  });

  it('publishes time Trends in seconds (count stays a count) and other Trends as they are', () => {
    const series = new PrometheusSeries(stats);
    for (const p of points) series.add(p);
    const s = series.samples();
    expect(find(s, 'k6_http_req_duration_min')?.value).toBe(0.1);
    expect(find(s, 'k6_http_req_duration_max')?.value).toBe(0.3);
    expect(find(s, 'k6_http_req_duration_avg')?.value).toBeCloseTo(0.2, 9);
    expect(find(s, 'k6_http_req_duration_sum')?.value).toBeCloseTo(0.4, 9);
    expect(find(s, 'k6_http_req_duration_count')?.value).toBe(2);
    // k6 interpolates between samples: 100 + 0.99 * (300 - 100) ms.
    expect(find(s, 'k6_http_req_duration_p99')?.value).toBeCloseTo(0.298, 3);
    expect(find(s, 'k6_http_req_duration_med')).toBeDefined();
    expect(find(s, 'k6_body_size_max')?.value).toBe(2048);
  });

  it('lists only the series changed after a given interval end, stamped with their last change', () => {
    const series = new PrometheusSeries(stats);
    for (const p of points) series.add(p);
    const first = points[0] as TimeSeriesPoint;
    const changed = series.samples(first.endMs);
    expect(find(changed, 'k6_http_reqs_total', ['name', 'ok'])?.timestampMs).toBe(series.latestMs);
    expect(find(changed, 'k6_http_reqs_total', ['name', 'bad'])).toBeUndefined();
    expect(find(series.samples(), 'k6_http_reqs_total', ['name', 'bad'])?.timestampMs).toBe(first.endMs);
    expect(series.samples(series.latestMs)).toEqual([]);
  });
});

describe('exposition text', () => {
  it('writes one TYPE line per name, families contiguous, label values escaped; the observe parser reads it back', () => {
    const samples: PromSample[] = [
      { name: 'k6_http_reqs_total', labels: [['name', 'a"b\\c\nd']], value: 3, timestampMs: 0, kind: 'counter' },
      { name: 'k6_vus', labels: [], value: 2, timestampMs: 0, kind: 'gauge' },
      { name: 'k6_http_reqs_total', labels: [['name', 'plain']], value: 4, timestampMs: 0, kind: 'counter' },
    ];
    const text = formatExposition(samples);
    expect(text).toBe(
      [
        '# TYPE k6_http_reqs_total counter',
        'k6_http_reqs_total{name="a\\"b\\\\c\\nd"} 3',
        'k6_http_reqs_total{name="plain"} 4',
        '# TYPE k6_vus gauge',
        'k6_vus 2',
        '',
      ].join('\n'),
    );
    const parsed = parseExposition(text);
    expect(parsed.map((s) => s.value)).toEqual([3, 4, 2]);
    expect(parsed[1]?.labels).toEqual({ name: 'plain' });
    expect(formatExposition([])).toBe('');
  });
});
