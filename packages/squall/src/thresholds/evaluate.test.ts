import { describe, expect, it } from 'vitest';
import type { MetricType, SummaryData, SummaryValues } from '../metrics/types.js';
import { attachThresholds, evaluateThresholds, statsNeeded } from './evaluate.js';
import { parseThresholds } from './parse.js';
import type { ThresholdSet } from './types.js';

const custom = new Map<string, MetricType>([['my_gauge', 'gauge'], ['my_counter', 'counter'], ['my_rate', 'rate']]);

function setOf(raw: Record<string, unknown>): ThresholdSet {
  const { set, problems } = parseThresholds(raw, custom, 'thresholds');
  expect(problems).toEqual([]);
  return set;
}

const valuesFrom = (byKey: Record<string, SummaryValues>) => (t: { key: string }) => byKey[t.key];

describe('evaluateThresholds (final)', () => {
  it.each<[string, string, SummaryValues | undefined, boolean, number | undefined, boolean]>([
    // key, expression, values, ok, actual, noData
    ['http_req_duration', 'p(95)<500', { 'p(95)': 499.9 }, true, 499.9, false],
    ['http_req_duration', 'p(95)<500', { 'p(95)': 500 }, false, 500, false],
    ['http_req_duration', 'p(95)<=500', { 'p(95)': 500 }, true, 500, false],
    ['http_req_duration', 'avg>10', { avg: 10 }, false, 10, false],
    ['http_req_duration', 'avg>=10', { avg: 10 }, true, 10, false],
    ['http_req_duration', 'med==3', { med: 3 }, true, 3, false],
    ['http_req_duration', 'med==3', { med: 3.0000001 }, false, 3.0000001, false],
    ['http_req_duration', 'max===3', { max: 3 }, true, 3, false],
    ['http_req_duration', 'min!=3', { min: 3 }, false, 3, false],
    ['http_req_duration', 'p(99.9)<1', { 'p(99.9)': 0.5 }, true, 0.5, false],
    ['http_req_failed', 'rate<0.01', { rate: 0.02, passes: 2, fails: 98 }, false, 0.02, false],
    ['http_reqs', 'count>10', { count: 11, rate: 2 }, true, 11, false],
    ['http_reqs', 'rate>=2', { count: 11, rate: 2 }, true, 2, false],
    ['my_gauge', 'value<5', { value: 7, min: 1, max: 7 }, false, 7, false],
    // No samples: Trend and Gauge pass flagged noData; Counter and Rate read 0.
    ['http_req_duration', 'p(95)<500', undefined, true, undefined, true],
    ['http_req_duration', 'avg>1000', undefined, true, undefined, true],
    ['my_gauge', 'value>5', undefined, true, undefined, true],
    ['http_reqs', 'count>10', undefined, false, 0, false],
    ['http_reqs', 'count<10', undefined, true, 0, false],
    ['my_counter', 'rate>0', undefined, false, 0, false],
    ['http_req_failed', 'rate<0.01', undefined, true, 0, false],
    ['checks', 'rate>0.9', undefined, false, 0, false],
    ['http_req_duration', 'avg<1', { avg: Number.NaN }, true, undefined, true],
  ])('%s %s with %j -> ok=%s actual=%s noData=%s', (key, expr, values, ok, actual, noData) => {
    const set = setOf({ [key]: [expr] });
    const { results, abort } = evaluateThresholds(set, () => values, 60_000, 'final');
    expect(results).toEqual([{ key, source: expr, ok, actual, noData, abortOnFail: false }]);
    expect(abort).toBeUndefined();
  });

  it('evaluates every threshold in set order and passes the right target to valuesFor', () => {
    const set = setOf({
      http_req_duration: ['p(95)<500', 'p(99)<1000'],
      'http_req_duration{status:200}': ['avg<100'],
      http_req_failed: [{ threshold: 'rate<0.1', abortOnFail: true }],
    });
    const seen: string[] = [];
    const { results, abort } = evaluateThresholds(
      set,
      (t) => {
        seen.push(`${t.metric}|${JSON.stringify(t.filter)}`);
        return valuesFrom({
          http_req_duration: { 'p(95)': 400, 'p(99)': 1200 },
          'http_req_duration{status:200}': { avg: 50 },
          http_req_failed: { rate: 0.5 },
        })(t);
      },
      0,
      'final',
    );
    expect(seen).toEqual(['http_req_duration|{}', 'http_req_duration|{"status":"200"}', 'http_req_failed|{}']);
    expect(results.map((r) => `${r.key} ${r.source} ${r.ok}`)).toEqual([
      'http_req_duration p(95)<500 true',
      'http_req_duration p(99)<1000 false',
      'http_req_duration{status:200} avg<100 true',
      'http_req_failed rate<0.1 false',
    ]);
    expect(abort).toBeUndefined();
  });
});

describe('evaluateThresholds (live)', () => {
  const set = (): ThresholdSet =>
    setOf({
      http_req_duration: ['p(95)<1', { threshold: 'p(99)<1', abortOnFail: true, delayAbortEval: '10s' }],
      http_req_failed: [{ threshold: 'rate<0.1', abortOnFail: true }],
      http_reqs: [{ threshold: 'count<5', abortOnFail: true, delayAbortEval: '1m' }],
    });
  const values = valuesFrom({
    http_req_duration: { 'p(95)': 9, 'p(99)': 9 },
    http_req_failed: { rate: 0.5 },
    http_reqs: { count: 10 },
  });

  it.each<[number, string[], string | undefined]>([
    [0, ['http_req_failed rate<0.1'], 'http_req_failed rate<0.1'],
    [9_999, ['http_req_failed rate<0.1'], 'http_req_failed rate<0.1'],
    [10_000, ['http_req_duration p(99)<1', 'http_req_failed rate<0.1'], 'http_req_duration p(99)<1'],
    [60_000, ['http_req_duration p(99)<1', 'http_req_failed rate<0.1', 'http_reqs count<5'], 'http_req_duration p(99)<1'],
  ])('at %d ms evaluates %j and aborts on %s', (elapsedMs, evaluated, abortOn) => {
    const { results, abort } = evaluateThresholds(set(), values, elapsedMs, 'live');
    expect(results.map((r) => `${r.key} ${r.source}`)).toEqual(evaluated);
    expect(abort && `${abort.key} ${abort.source}`).toBe(abortOn);
    expect(abort?.abortOnFail).toBe(abortOn === undefined ? undefined : true);
  });

  it('does not abort when the abortOnFail thresholds pass or have no data', () => {
    const s = setOf({ http_req_duration: [{ threshold: 'p(95)<1', abortOnFail: true }], http_reqs: ['count<1'] });
    const { results, abort } = evaluateThresholds(s, () => undefined, 1000, 'live');
    expect(results).toEqual([
      { key: 'http_req_duration', source: 'p(95)<1', ok: true, actual: undefined, noData: true, abortOnFail: true },
    ]);
    expect(abort).toBeUndefined();
  });

  it('does not ask for values of targets with nothing due', () => {
    let calls = 0;
    evaluateThresholds(setOf({ http_reqs: ['count<1'] }), () => (calls++, undefined), 1000, 'live');
    expect(calls).toBe(0);
  });
});

describe('statsNeeded', () => {
  it.each<[Record<string, unknown>, string[]]>([
    [{}, []],
    [{ http_reqs: ['count>1', 'rate>1'], my_gauge: ['value<1'], checks: ['rate>0.9'] }, []],
    [{ http_req_duration: ['p(95)<1', 'p(99.9)<2', 'avg<1'] }, ['p(95)', 'p(99.9)', 'avg']],
    [{ http_req_duration: ['p(95.0)<1'], 'http_req_duration{a:b}': ['p( 95 )<2', 'med<1'], iteration_duration: ['p(50)<1'] },
      ['p(95)', 'med', 'p(50)']],
  ])('%j -> %j', (raw, stats) => {
    expect(statsNeeded(setOf(raw))).toEqual(stats);
  });
});

describe('attachThresholds', () => {
  function summary(): SummaryData {
    return {
      metrics: {
        http_req_duration: { type: 'trend', contains: 'time', values: { avg: 1, 'p(95)': 600 } },
        http_reqs: { type: 'counter', contains: 'default', values: { count: 3, rate: 1 }, thresholds: { 'count>0': { ok: true } } },
      },
      root_group: { name: '', path: '', id: 'r', groups: [], checks: [] },
      options: { summaryTrendStats: ['avg'], summaryTimeUnit: null, noColor: true },
      state: { isStdOutTTY: false, isStdErrTTY: false, testRunDurationMs: 1000 },
    };
  }

  it('writes each outcome under its key and source, keeping existing entries', () => {
    const set = setOf({
      http_req_duration: ['p(95)<500', 'avg<5'],
      http_reqs: ['count<2'],
      'http_req_duration{status:500}': ['max<1'],
      my_rate: ['rate>0.5'],
    });
    const s = summary();
    const { results } = evaluateThresholds(set, (t) => s.metrics[t.key]?.values, 1000, 'final');
    attachThresholds(s, set, results);
    expect(s.metrics.http_req_duration?.thresholds).toEqual({ 'p(95)<500': { ok: false }, 'avg<5': { ok: true } });
    expect(s.metrics.http_reqs?.thresholds).toEqual({ 'count>0': { ok: true }, 'count<2': { ok: false } });
    // Targets without samples still appear, typed from the parent metric or from the aggregation.
    expect(s.metrics['http_req_duration{status:500}']).toEqual({
      type: 'trend', contains: 'time', values: {}, thresholds: { 'max<1': { ok: true } },
    });
    expect(s.metrics.my_rate).toEqual({ type: 'rate', contains: 'default', values: {}, thresholds: { 'rate>0.5': { ok: false } } });
  });
});
