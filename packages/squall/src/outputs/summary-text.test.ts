import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GroupSummary, MetricSummary, SummaryData } from '../metrics/types.js';
import type { ThresholdResult } from '../thresholds/evaluate.js';
import { formatSummary } from './summary-text.js';

const EMPTY_ROOT: GroupSummary = { name: '', path: '', id: 'root', groups: [], checks: [] };

function summary(metrics: Record<string, MetricSummary>, extra: Partial<SummaryData> = {}, timeUnit: string | null = null): SummaryData {
  return {
    metrics,
    root_group: EMPTY_ROOT,
    options: { summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'], summaryTimeUnit: timeUnit, noColor: true },
    state: { isStdOutTTY: false, isStdErrTTY: false, testRunDurationMs: 10_000 },
    ...extra,
  };
}

const trend = (values: Record<string, number>, contains: 'time' | 'default' = 'time'): MetricSummary => ({ type: 'trend', contains, values });
const text = (data: SummaryData, thresholdResults?: ThresholdResult[]): string =>
  formatSummary(data, thresholdResults === undefined ? { color: false } : { color: false, thresholdResults });
const lines = (s: string): string[] => s.split('\n');
/** The value part of the line for `name` (after `: `). */
function valueOf(out: string, name: string): string | undefined {
  const line = lines(out).find((l) => l.trimStart().startsWith(`${name}.`));
  return line?.slice(line.indexOf(': ') + 2);
}

describe('formatSummary: value formatting', () => {
  it.each([
    [0, '0s'],
    [0.0005, '500ns'],
    [0.5, '500µs'],
    [0.01234, '12.34µs'],
    [1.234, '1.23ms'],
    [1.239, '1.23ms'], // truncated, as k6
    [999.999, '999.99ms'],
    [1000, '1s'],
    [2500, '2.5s'],
    [59_999, '59.99s'],
    [62_500, '1m2s'],
    [3_605_000, '1h0m5s'],
    [-3, '-3ms'],
    [Number.NaN, '-'],
  ])('time %d ms -> %s', (ms, shown) => {
    const data = summary({ t: trend({ avg: ms }) });
    data.options.summaryTrendStats = ['avg'];
    expect(valueOf(text(data), 't')).toBe(`avg=${shown}`);
  });

  it.each([
    ['ms', 1234.5, '1234.50ms'],
    ['s', 1234.5, '1.23s'],
    ['us', 1.5, '1500.00µs'],
    ['m', 90_000, '1.50m'],
  ])('summaryTimeUnit %s fixes %d ms to %s', (unit, ms, shown) => {
    const data = summary({ t: trend({ avg: ms }) }, {}, unit);
    data.options.summaryTrendStats = ['avg'];
    expect(valueOf(text(data), 't')).toBe(`avg=${shown}`);
  });

  it.each([
    [5, 2, '5 B 2 B/s'],
    [999, 0.5, '999 B 0.5 B/s'],
    [6300, 918.2, '6.3 kB 918 B/s'],
    [12_345_678, 12_345, '12 MB 12 kB/s'],
    [1.5e9, 1e6, '1.5 GB 1.0 MB/s'],
  ])('data %d bytes at %d/s -> %s', (count, rate, shown) => {
    const out = text(summary({ data_sent: { type: 'counter', contains: 'data', values: { count, rate } } }));
    expect(valueOf(out, 'data_sent')).toBe(shown);
  });

  it.each<[string, MetricSummary, string]>([
    ['counter', { type: 'counter', contains: 'default', values: { count: 81, rate: 4.3740601234 } }, '81 4.37406/s'],
    ['counter, no values', { type: 'counter', contains: 'default', values: {} }, '0 0/s'],
    ['rate', { type: 'rate', contains: 'default', values: { rate: 0.0123456, passes: 1, fails: 80 } }, '1.23% 1 out of 81'],
    ['rate, no values', { type: 'rate', contains: 'default', values: {} }, '0.00% 0 out of 0'],
    ['gauge', { type: 'gauge', contains: 'default', values: { value: 10, min: 1, max: 12.5 } }, '10 min=1 max=12.5'],
    ['gauge, no values', { type: 'gauge', contains: 'default', values: {} }, '- min=- max=-'],
    ['plain trend', trend({ avg: 1 / 3, min: 0, med: 2, max: 1e6, 'p(90)': 3, 'p(95)': 4 }, 'default'),
      'avg=0.333333 min=0 med=2 max=1000000 p(90)=3 p(95)=4'],
    ['trend missing stats', trend({ avg: 1 }), 'avg=1ms min=- med=- max=- p(90)=- p(95)=-'],
  ])('%s', (_name, metric, shown) => {
    expect(valueOf(text(summary({ my_metric: metric })), 'my_metric')).toBe(shown);
  });
});

describe('formatSummary: layout', () => {
  const full = (): SummaryData =>
    summary(
      {
        http_req_duration: trend({ avg: 123.456, min: 0.5, med: 100, max: 62_500, 'p(90)': 2500, 'p(95)': 3000 }),
        'http_req_duration{expected_response:true}': trend({ avg: 1, min: 1, med: 1, max: 1, 'p(90)': 1, 'p(95)': 1 }),
        'http_req_duration{status:500}': trend({ avg: 2, min: 2, med: 2, max: 2, 'p(90)': 2, 'p(95)': 2 }),
        http_req_failed: { type: 'rate', contains: 'default', values: { rate: 0.5, passes: 1, fails: 1 } },
        http_reqs: { type: 'counter', contains: 'default', values: { count: 2, rate: 1 } },
        iteration_duration: trend({ avg: 1 }),
        dropped_iterations: { type: 'counter', contains: 'default', values: { count: 0, rate: 0 } },
        vus_max: { type: 'gauge', contains: 'default', values: { value: 1, min: 1, max: 1 } },
        group_duration: trend({ avg: 1 }),
        data_received: { type: 'counter', contains: 'data', values: { count: 1, rate: 1 } },
        checks: { type: 'rate', contains: 'default', values: { rate: 0.95, passes: 19, fails: 1 } },
        zz_custom: { type: 'counter', contains: 'default', values: { count: 1, rate: 1 } },
        'zz_orphan{a:b}': { type: 'counter', contains: 'default', values: { count: 1, rate: 1 } },
      },
      {
        root_group: {
          ...EMPTY_ROOT,
          checks: [{ name: 'status is 200', path: '::status is 200', id: 'c1', passes: 10, fails: 0 }],
          groups: [
            {
              name: 'login', path: '::login', id: 'g1',
              checks: [{ name: 'token present', path: '::login::token present', id: 'c2', passes: 9, fails: 1 }],
              groups: [{ name: 'inner', path: '::login::inner', id: 'g2', groups: [], checks: [{ name: 'empty', path: '', id: 'c3', passes: 0, fails: 0 }] }],
            },
          ],
        },
      },
    );

  it('puts thresholds, then checks, then metrics grouped by kind in a fixed order', () => {
    const out = text(full(), [
      { key: 'http_req_duration', source: 'p(95)<5000', ok: true, actual: 3000, noData: false, abortOnFail: false },
    ]);
    const heads = lines(out).map((l) => l.trim()).filter((l) => /^(█ [A-Z]+|HTTP|EXECUTION|NETWORK|CUSTOM)$/.test(l));
    expect(heads).toEqual(['█ THRESHOLDS', '█ CHECKS', '█ METRICS', 'HTTP', 'EXECUTION', 'NETWORK', 'CUSTOM', '█ COUNTS']);
    expect(out.endsWith('\n')).toBe(true);
  });

  it('lists each kind alphabetically with sub-metrics indented under their metric', () => {
    const names = lines(text(full()))
      .filter((l) => l.includes('..') || /^ {4}[A-Z]+$/.test(l))
      .map((l) => l.replace(/\.{2,}.*$/, '').trimEnd());
    expect(names).toEqual([
      '    checks',
      '    HTTP',
      '    http_req_duration',
      '      { expected_response:true }',
      '      { status:500 }',
      '    http_req_failed',
      '    http_reqs',
      '    EXECUTION',
      '    dropped_iterations',
      '    group_duration',
      '    iteration_duration',
      '    vus_max',
      '    NETWORK',
      '    data_received',
      '    CUSTOM',
      '    zz_custom',
      '    zz_orphan{a:b}',
    ]);
  });

  it('pads every metric name with dots to one width', () => {
    const metricLines = lines(text(full())).filter((l) => /\.{3,}: /.test(l));
    expect(metricLines).toHaveLength(13);
    const colons = new Set(metricLines.map((l) => l.indexOf(': ')));
    expect(colons.size).toBe(1);
    expect(metricLines).toContain('      { expected_response:true }...: avg=1ms      min=1ms   med=1ms   max=1ms  p(90)=1ms  p(95)=1ms');
  });

  it('renders the checks tree with the checks rate first', () => {
    const out = text(full());
    const start = lines(out).indexOf('  █ CHECKS');
    expect(lines(out).slice(start + 2, start + 9)).toEqual([
      `    checks${'.'.repeat(25)}: 95.00% 19 out of 20`,
      '',
      '    ✓ status is 200 — 100.00% ✓ 10 / ✗ 0',
      '    █ login',
      '      ✗ token present — 90.00% ✓ 9 / ✗ 1',
      '      █ inner',
      '        ✓ empty — 0.00% ✓ 0 / ✗ 0',
    ]);
  });

  it('groups threshold results by key with mark and actual value', () => {
    const data = full();
    const results: ThresholdResult[] = [
      { key: 'http_req_duration', source: 'p(95)<500', ok: true, actual: 123.45, noData: false, abortOnFail: false },
      { key: 'http_req_failed', source: 'rate<0.01', ok: false, actual: 0.5, noData: false, abortOnFail: true },
      { key: 'http_req_duration', source: 'avg<2000', ok: false, actual: 2500, noData: false, abortOnFail: false },
      { key: 'http_reqs', source: 'rate>5', ok: false, actual: 1, noData: false, abortOnFail: false },
      { key: 'http_req_duration{status:201}', source: 'max<1', ok: true, actual: undefined, noData: true, abortOnFail: false },
    ];
    const out = text(data, results);
    const section = lines(out).slice(2, lines(out).indexOf('  █ CHECKS') - 1);
    expect(section).toEqual([
      '    http_req_duration',
      "    ✓ 'p(95)<500' p(95)=123.45ms",
      "    ✗ 'avg<2000' avg=2.5s",
      '',
      '    http_req_failed',
      "    ✗ 'rate<0.01' rate=50.00%",
      '',
      '    http_reqs',
      "    ✗ 'rate>5' rate=1/s",
      '',
      '    http_req_duration{status:201}',
      "    ✓ 'max<1' (no samples)",
    ]);
  });

  it('reads thresholds from the summary when no results are given', () => {
    const data = summary({
      http_req_duration: { ...trend({ 'p(95)': 612.5 }), thresholds: { 'p(95)<500': { ok: false } } },
      vus: { type: 'gauge', contains: 'default', values: {}, thresholds: { 'value<3': { ok: true } } },
    });
    const out = text(data);
    expect(out).toContain("    ✗ 'p(95)<500' p(95)=612.5ms\n");
    expect(out).toContain("    ✓ 'value<3' (no samples)\n");
  });

  it('leaves out empty sections and returns nothing for an empty summary', () => {
    expect(text(summary({}))).toBe('');
    const out = text(summary({ http_reqs: { type: 'counter', contains: 'default', values: { count: 1, rate: 1 } } }));
    expect(out).not.toContain('THRESHOLDS');
    expect(out).not.toContain('CHECKS');
    expect(out.startsWith('  █ METRICS\n\n    HTTP\n')).toBe(true);
  });

  it('colours only when asked: green ✓, red ✗, dim dots', () => {
    const results: ThresholdResult[] = [
      { key: 'http_reqs', source: 'count>1', ok: true, actual: 2, noData: false, abortOnFail: false },
      { key: 'http_reqs', source: 'count>5', ok: false, actual: 2, noData: false, abortOnFail: false },
    ];
    const plain = formatSummary(full(), { color: false, thresholdResults: results });
    const coloured = formatSummary(full(), { color: true, thresholdResults: results });
    expect(plain).not.toContain('\u001b[');
    expect(coloured).toContain("\u001b[32m✓\u001b[39m 'count>1'");
    expect(coloured).toContain("\u001b[31m✗\u001b[39m 'count>5'");
    expect(coloured).toMatch(/http_reqs\u001b\[2m\.+\u001b\[22m: /);
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(plain);
  });
});

describe('formatSummary: robustness', () => {
  const num = fc.oneof(fc.double(), fc.constant(Number.NaN), fc.integer({ min: 0, max: 1e9 }));
  const values = fc.dictionary(fc.constantFrom('count', 'rate', 'passes', 'fails', 'value', 'min', 'max', 'avg', 'med', 'p(95)'), num);
  const metric = fc.record({
    type: fc.constantFrom('counter', 'gauge', 'rate', 'trend' as const),
    contains: fc.constantFrom('default', 'time', 'data' as const),
    values,
  }) as fc.Arbitrary<MetricSummary>;

  it('never prints undefined or NaN, whatever the values', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.stringMatching(/^[a-z_]{1,12}(\{[a-z]{1,3}:[a-z]{1,3}\})?$/), metric), fc.option(fc.constantFrom('ms', 's', 'bogus')), (metrics, unit) => {
        const data = summary(metrics, {}, unit);
        const results: ThresholdResult[] = Object.keys(metrics).map((key) => ({
          key, source: 'p(95)<1', ok: false, actual: Number.NaN, noData: false, abortOnFail: false,
        }));
        const out = text(data, results);
        expect(out).not.toMatch(/undefined|NaN/);
      }),
    );
  });
});
