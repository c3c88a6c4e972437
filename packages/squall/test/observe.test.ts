import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExposition, selectSum } from '../src/observe/exposition.js';
import { parseSelector } from '../src/observe/series-selector.js';
import { runWithOptions } from './helpers/run-options.js';

describe('series selectors', () => {
  it.each([
    ['process_cpu_seconds_total', { metric: 'process_cpu_seconds_total', labels: {}, rate: false }],
    ['rate(process_cpu_seconds_total)', { metric: 'process_cpu_seconds_total', labels: {}, rate: true }],
    ['rate( http_total{code="200", route="/a\\"b"} )', { metric: 'http_total', labels: { code: '200', route: '/a"b' }, rate: true }],
    ['queue_depth{}', { metric: 'queue_depth', labels: {}, rate: false }],
  ])('%s', (text, want) => {
    expect(parseSelector(text)).toMatchObject(want);
  });

  it.each([['9abc'], ['rate(x'], ['x{a=b}'], ['x{a="b"'], ['sum(x)']])('refuses %s with a reason', (text) => {
    expect(typeof parseSelector(text)).toBe('string');
  });
});

describe('exposition parsing', () => {
  const text = [
    '# HELP req_total Requests.',
    '# TYPE req_total counter',
    'req_total{code="200",route="a"} 10',
    'req_total{code="500",route="a"} 2 1700000000000',
    'req_total{code="200",route="b"} 5',
    'mem_bytes 1.5e3',
    'weird{label="x,y=\\"z\\""} NaN',
    'broken{ 12',
    '',
  ].join('\n');
  const samples = parseExposition(text);

  it('reads names, labels (with escapes) and values, skipping comments and broken lines', () => {
    expect(samples).toHaveLength(5);
    expect(samples[3]).toEqual({ metric: 'mem_bytes', labels: {}, value: 1500 });
    expect(samples[4]?.labels).toEqual({ label: 'x,y="z"' });
    expect(Number.isNaN(samples[4]?.value)).toBe(true);
  });

  it('sums the series a selector matches', () => {
    const sum = (s: string) => selectSum(samples, parseSelector(s) as Exclude<ReturnType<typeof parseSelector>, string>);
    expect(sum('req_total')).toBe(17);
    expect(sum('req_total{route="a"}')).toBe(12);
    expect(sum('req_total{code="200",route="b"}')).toBe(5);
    expect(sum('req_total{route="c"}')).toBeUndefined();
    expect(sum('absent')).toBeUndefined();
  });
});

describe('observing a target during a run', () => {
  let server: Server;
  let base = '';
  let hits = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/metrics') {
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
        res.end(`# TYPE app_requests_total counter\napp_requests_total{route="x"} ${hits}\napp_requests_total{route="y"} 1000\napp_resident_memory_bytes 123456789\n`);
        return;
      }
      hits++;
      res.end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('records observed series as gauges, with rates, and judges thresholds on them', async () => {
    const r = await runWithOptions(
      {
        vus: 2,
        duration: '2s',
        observe: { targets: [{ url: `${base}/metrics`, interval: '200ms', series: { target_rss_bytes: 'app_resident_memory_bytes', x_rate: 'rate(app_requests_total{route="x"})', all_requests: 'app_requests_total' } }] },
        thresholds: { target_rss_bytes: ['value<100000000'], all_requests: ['value>1000'] },
      },
      { baseUrl: base, path: 'x', sleepS: 0.02 },
    );
    expect(r.code).toBe(99);
    const m = r.summary.metrics;
    expect(m.target_rss_bytes.type).toBe('gauge');
    expect(m.target_rss_bytes.values.max).toBe(123456789);
    expect(m.target_rss_bytes.thresholds['value<100000000'].ok).toBe(false);
    expect(m.all_requests.thresholds['value>1000'].ok).toBe(true);
    expect(m.x_rate.values.max).toBeGreaterThan(0);
    // The last scrape is taken after the load ended, so it has seen every request.
    expect(m.http_reqs.values.count).toBe(hits);
    expect(m.all_requests.values.value).toBe(1000 + hits);
    expect(m.observe_scrape_errors).toBeUndefined();
  });

  it('counts failed scrapes as samples and does not fail the run', async () => {
    const r = await runWithOptions({ vus: 1, duration: '1s', observe: { targets: [{ url: `${base.replace(/:\d+$/, ':1')}/metrics`, interval: '200ms', series: { target_cpu: 'rate(process_cpu_seconds_total)' } }] } }, { sleepS: 0.1 });
    expect(r.code).toBe(0);
    expect(r.summary.metrics.observe_scrape_errors.values.count).toBeGreaterThan(0);
    expect(r.summary.metrics.target_cpu).toBeUndefined();
  });

  it('lists every problem of the observe option (exit 104)', async () => {
    const r = await runWithOptions({
      vus: 1,
      duration: '1s',
      observe: { targets: [{ interval: '10ms', series: { http_reqs: 'x', ok_name: 'rate(x', good: 'y' }, extra: 1 }] },
      thresholds: { good: ['value<1'], not_observed: ['value<1'] },
    });
    expect(r.code).toBe(104);
    for (const path of ['observe.targets[0].extra', 'observe.targets[0].url', 'observe.targets[0].interval', 'observe.targets[0].series.http_reqs', 'observe.targets[0].series.ok_name']) expect(r.stderr).toContain(path);
    expect(r.stderr).toContain('not_observed');
    expect(r.stderr).not.toMatch(/thresholds\S*good/);
  });
});
