import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Aggregator } from './aggregator.js';
import type { SubMetricSpec, TimeSeriesPoint } from './aggregator.js';
import { Collector } from './collector.js';
import type { GroupSummary, MetricDef, SummaryData, Tags } from './types.js';

const DEFS: readonly MetricDef[] = [
  { name: 'http_reqs', type: 'counter', contains: 'default' },
  { name: 'vus', type: 'gauge', contains: 'default' },
  { name: 'checks', type: 'rate', contains: 'default' },
  { name: 'http_req_duration', type: 'trend', contains: 'time' },
];
const TAGS: readonly Tags[] = [
  { status: '200', method: 'GET', url: 'http://x/1', group: '', check: 'is 200' },
  { status: '500', method: 'GET', url: 'http://x/2', group: '::a', check: 'is 200' },
  { status: '200', method: 'POST', url: 'http://x/3', group: '::a::b', check: 'has body' },
];
const SUMMARY_OPTS = {
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99.9)', 'count'],
  summaryTimeUnit: null,
  noColor: true,
  durationMs: 10_000,
  isStdOutTTY: false,
  isStdErrTTY: false,
};
const SUBS: readonly SubMetricSpec[] = [
  { metric: 'http_req_duration', filter: { status: '200' } },
  { metric: 'http_reqs', filter: { method: 'GET', status: '500' } },
];

interface Op {
  readonly metric: number;
  readonly tags: number;
  /** Quarter steps: sums of these are exact in floating point, whatever the order. */
  readonly value: number;
  readonly worker: number;
}

const opArb = fc.record({
  metric: fc.integer({ min: 0, max: DEFS.length - 1 }),
  tags: fc.integer({ min: 0, max: TAGS.length - 1 }),
  value: fc.integer({ min: -4000, max: 4_000_000 }).map((n) => n / 4),
  worker: fc.integer({ min: 0, max: 1 }),
});

function sortGroup(g: GroupSummary): GroupSummary {
  return {
    ...g,
    groups: [...g.groups].map(sortGroup).sort((a, b) => a.path.localeCompare(b.path)),
    checks: [...g.checks].sort((a, b) => a.path.localeCompare(b.path)),
  };
}

function normalize(summary: SummaryData): SummaryData {
  return { ...summary, root_group: sortGroup(summary.root_group) };
}

function normalizePoints(points: TimeSeriesPoint[]): unknown {
  return points.map((p) => ({
    ...p,
    metrics: Object.fromEntries(
      Object.entries(p.metrics).map(([k, m]) => [
        k,
        { ...m, series: [...m.series].sort((a, b) => JSON.stringify(a.tags).localeCompare(JSON.stringify(b.tags))) },
      ]),
    ),
  }));
}

/** Runs ops through `workers` collectors (op.worker % workers) with snapshot rounds at `cuts`. */
function run(ops: readonly Op[], cuts: ReadonlySet<number>, workers: number): Aggregator {
  let now = 0;
  const collectors = Array.from({ length: workers }, () => new Collector({ nowMs: () => now }));
  const ids = collectors.map((c) => ({ metrics: DEFS.map((d) => c.define(d)), tags: TAGS.map((t) => c.tagSet(t)) }));
  const agg = new Aggregator({ subMetrics: SUBS, maxIntervals: 4 });
  let intervalStart = 0;
  const round = (at: number) => {
    for (const c of collectors) agg.ingest(c.snapshot(at));
    agg.closeInterval(intervalStart, at);
    intervalStart = at;
  };
  ops.forEach((op, i) => {
    now = i + 1; // one clock for both layouts, so the latest Gauge value is the same sample
    const w = op.worker % workers;
    const c = collectors[w] as Collector;
    const id = ids[w] as { metrics: number[]; tags: number[] };
    c.add(id.metrics[op.metric] as number, id.tags[op.tags] as number, op.value);
    if (cuts.has(i)) round((i + 1) * 1000);
  });
  round((ops.length + 1) * 1000);
  return agg;
}

describe('Aggregator merging', () => {
  it('two workers with disjoint samples give exactly the summary and time series of one', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 150 }), fc.uniqueArray(fc.nat(150)), (ops, cutList) => {
        const cuts = new Set(cutList);
        const split = run(ops, cuts, 2);
        const single = run(ops, cuts, 1);
        expect(normalize(split.buildSummary(SUMMARY_OPTS))).toEqual(normalize(single.buildSummary(SUMMARY_OPTS)));
        expect(normalizePoints(split.timeSeries())).toEqual(normalizePoints(single.timeSeries()));
        for (const spec of [...SUBS, { metric: 'http_req_duration', filter: { method: 'POST' } } as SubMetricSpec]) {
          expect(split.values(spec.metric, spec.filter, ['p(99)'])).toEqual(single.values(spec.metric, spec.filter, ['p(99)']));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('keeps the latest Gauge value by time whatever the ingest order', () => {
    const agg = new Aggregator({ subMetrics: [] });
    const defs = [{ name: 'g', type: 'gauge', contains: 'default' }] as const;
    const series = (value: number, timeMs: number) => ({
      defs,
      cutAtMs: 0,
      series: [{ metric: 'g', tags: {}, agg: { type: 'gauge', value, timeMs, min: value, max: value, samples: 1 } as const }],
    });
    agg.ingest(series(7, 200));
    agg.ingest(series(3, 100));
    expect(agg.values('g')).toEqual({ value: 7, min: 3, max: 7 });
  });

  it('rejects a metric defined with two types by different workers', () => {
    const agg = new Aggregator({ subMetrics: [] });
    agg.ingest({ defs: [{ name: 'm', type: 'trend', contains: 'time' }], series: [], cutAtMs: 0 });
    expect(() => agg.ingest({ defs: [{ name: 'm', type: 'counter', contains: 'default' }], series: [], cutAtMs: 0 })).toThrow(
      expect.objectContaining({ code: 'SQUALL_CONFIG_INVALID' }),
    );
  });
});

/** One collector fed a fixed table of samples. */
function fixture(subMetrics = SUBS): Aggregator {
  const c = new Collector({ nowMs: () => 1 });
  const [reqs, , checks, dur] = DEFS.map((d) => c.define(d)) as [number, number, number, number];
  const samples: [number, Tags, number][] = [
    [dur, { status: '200', method: 'GET' }, 100],
    [dur, { status: '200', method: 'POST' }, 300],
    [dur, { status: '500', method: 'GET' }, 1000],
    [reqs, { status: '200', method: 'GET' }, 1],
    [reqs, { status: '500', method: 'GET' }, 1],
    [reqs, { status: '500', method: 'GET' }, 1],
    [checks, { group: '', check: 'root ok' }, 1],
    [checks, { group: '', check: 'root ok' }, 0],
    [checks, { group: '::a', check: 'in a' }, 1],
    [checks, { group: '::a::b', check: 'in b' }, 0],
    [checks, { group: '::c', check: 'in c' }, 1],
    [checks, { group: '::a::b', check: 'in b' }, 1],
  ];
  for (const [m, tags, v] of samples) c.add(m, c.tagSet(tags), v);
  const agg = new Aggregator({ subMetrics });
  agg.ingest(c.snapshot(1));
  agg.setDurationMs(2000);
  return agg;
}

describe('Aggregator.values', () => {
  it.each([
    ['whole trend', 'http_req_duration', {}, { avg: 1400 / 3, min: 100, med: 300, max: 1000 }],
    ['registered sub-metric', 'http_req_duration', { status: '200' }, { avg: 200, min: 100, med: 200, max: 300 }],
    ['on-demand sub-metric', 'http_req_duration', { method: 'GET' }, { avg: 550, min: 100, med: 550, max: 1000 }],
    ['two-pair filter', 'http_req_duration', { method: 'GET', status: '500' }, { avg: 1000, min: 1000, med: 1000, max: 1000 }],
    ['no matching series', 'http_req_duration', { status: '404' }, { avg: 0, min: 0, med: 0, max: 0 }],
    ['counter rate over the duration', 'http_reqs', {}, { count: 3, rate: 1.5 }],
    ['counter sub-metric', 'http_reqs', { status: '500' }, { count: 2, rate: 1 }],
    ['rate', 'checks', {}, { rate: 4 / 6, passes: 4, fails: 2 }],
  ])('%s', (_name, metric, filter, expected) => {
    const values = fixture().values(metric, filter, []);
    expect(Object.keys(values ?? {}).sort()).toEqual(Object.keys(expected).sort());
    // Percentiles are exact to 3 significant digits; the rest exactly.
    for (const [k, v] of Object.entries(expected)) expect(Math.abs((values?.[k] ?? NaN) - v)).toBeLessThanOrEqual(v * 0.001);
  });

  it('adds requested percentiles, takes a duration parameter, and is undefined for unknown metrics', () => {
    const agg = fixture();
    expect(agg.values('http_req_duration', {}, ['p(100)', 'p(0)'])).toMatchObject({ 'p(100)': 1000, 'p(0)': 100 });
    expect(agg.values('http_reqs', {}, undefined, 3000)).toEqual({ count: 3, rate: 1 });
    expect(agg.values('nope')).toBeUndefined();
  });
});

describe('Aggregator.buildSummary', () => {
  it('shows metrics with samples, sub-metrics as NAME{k:v}, and only the requested trend stats', () => {
    const agg = fixture([...SUBS, { metric: 'checks', filter: { group: '::a' }, key: 'checks{ group: ::a }' }]);
    const summary = agg.buildSummary({ ...SUMMARY_OPTS, summaryTrendStats: ['avg', 'p(95)'], durationMs: 4000 });
    expect(Object.keys(summary.metrics)).toEqual([
      'checks',
      'checks{ group: ::a }',
      'http_req_duration',
      'http_req_duration{status:200}',
      'http_reqs',
      'http_reqs{method:GET,status:500}',
    ]);
    expect(summary.metrics['http_req_duration{status:200}']).toEqual({
      type: 'trend',
      contains: 'time',
      values: { avg: 200, 'p(95)': expect.closeTo(290, 1) },
    });
    expect(summary.metrics['http_reqs']?.values).toEqual({ count: 3, rate: 0.75 });
    expect(summary.state.testRunDurationMs).toBe(4000);
    expect(summary.options.summaryTrendStats).toEqual(['avg', 'p(95)']);
  });

  it('includes extra sub-metrics on request', () => {
    const summary = fixture([]).buildSummary({
      ...SUMMARY_OPTS,
      extraSubMetrics: [{ metric: 'http_req_duration', filter: { method: 'POST' } }],
    });
    expect(summary.metrics['http_req_duration{method:POST}']?.values['max']).toBe(300);
  });

  it('rejects unknown trend stats naming them', () => {
    expect(() => fixture().buildSummary({ ...SUMMARY_OPTS, summaryTrendStats: ['avg', 'p95', 'p(101)'] })).toThrow(
      expect.objectContaining({ code: 'SQUALL_CONFIG_INVALID', message: expect.stringContaining('"p95", "p(101)"') }),
    );
  });

  it('builds root_group from checks with nested groups and k6 ids', () => {
    const md5 = (s: string) => createHash('md5').update(s).digest('hex');
    const root = fixture().buildSummary(SUMMARY_OPTS).root_group;
    expect(root).toEqual({
      name: '',
      path: '',
      id: md5(''),
      checks: [{ name: 'root ok', path: '::root ok', id: md5('::root ok'), passes: 1, fails: 1 }],
      groups: [
        {
          name: 'a',
          path: '::a',
          id: md5('::a'),
          checks: [{ name: 'in a', path: '::a::in a', id: md5('::a::in a'), passes: 1, fails: 0 }],
          groups: [
            {
              name: 'b',
              path: '::a::b',
              id: md5('::a::b'),
              checks: [{ name: 'in b', path: '::a::b::in b', id: md5('::a::b::in b'), passes: 1, fails: 1 }],
              groups: [],
            },
          ],
        },
        {
          name: 'c',
          path: '::c',
          id: md5('::c'),
          checks: [{ name: 'in c', path: '::c::in c', id: md5('::c::in c'), passes: 1, fails: 0 }],
          groups: [],
        },
      ],
    });
  });
});
