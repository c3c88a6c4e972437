import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Aggregator } from '../src/metrics/aggregator.js';
import { Collector } from '../src/metrics/collector.js';
import type { TimeSeriesPoint } from '../src/metrics/time-series-point.js';
import { queryInstant, queryRange } from '../src/observe/prometheus-query-client.js';
import { placeInTimeSeries } from '../src/observe/prometheus-query-placement.js';
import { runCli, scriptsDir, tmpDir } from './helpers/cli.js';
import { hasPrometheus, startPrometheus, type RunningPrometheus } from './helpers/prometheus.js';
import { runWithOptions } from './helpers/run-options.js';
import { startServer, type TestServer } from './helpers/server.js';

describe('placing timed gauge samples in a finished time series', () => {
  // Three 1 s points from an aggregator, one of them carrying a Trend that must survive rebuilding.
  function points(): TimeSeriesPoint[] {
    const agg = new Aggregator({ subMetrics: [] });
    const c = new Collector();
    const t = c.define({ name: 'lat', type: 'trend', contains: 'time' });
    const tags = c.tagSet({});
    for (let i = 0; i < 3; i++) {
      c.add(t, tags, 10 + i);
      agg.ingest(c.snapshot(0));
      agg.closeInterval(1000 * i, 1000 * (i + 1));
    }
    return agg.timeSeries();
  }
  const g = (timeMs: number, value: number, tags = {}) => ({ metric: 'q', contains: 'default' as const, tags, timeMs, value });

  it.each([
    ['inside a point', [g(1500, 7)], [undefined, { value: 7, min: 7, max: 7 }, undefined]],
    ['at a boundary (start is inclusive)', [g(2000, 3)], [undefined, undefined, { value: 3, min: 3, max: 3 }]],
    ['before the first point and past the last (clamped)', [g(-50, 1), g(3000, 9)], [{ value: 1, min: 1, max: 1 }, undefined, { value: 9, min: 9, max: 9 }]],
    ['several in one point: value is the latest by time', [g(1900, 5), g(1100, 8), g(1400, 2)], [undefined, { value: 5, min: 2, max: 8 }, undefined]],
    ['non-finite values are skipped', [g(500, Number.NaN), g(600, Infinity)], [undefined, undefined, undefined]],
  ])('%s', (_name, samples, want) => {
    const before = points();
    const after = placeInTimeSeries(before, samples);
    expect(after).toHaveLength(3);
    after.forEach((p, i) => {
      const w = want[i];
      if (w === undefined) expect(p).toBe(before[i]);
      else expect(p.metrics.q?.total.values).toEqual(w);
      expect(p.metrics.lat?.total.values.avg).toBe(10 + i);
      expect(p.startMs).toBe(1000 * i);
    });
  });

  it('keys series by series tags only, so Prometheus labels such as instance do not split the series', () => {
    const after = placeInTimeSeries(points(), [g(100, 1, { instance: 'a' }), g(200, 2, { instance: 'b' })]);
    expect(after[0]?.metrics.q?.series).toHaveLength(1);
    expect(after[0]?.metrics.q?.total.values).toEqual({ value: 2, min: 1, max: 2 });
  });
});

describe.skipIf(!hasPrometheus())('querying a Prometheus server over the run window', () => {
  let app: TestServer;
  let prom: RunningPrometheus;
  // The level the app exposes; each request to /step moves it to the next of `steps`.
  let level = 10;
  let steps: number[] = [];

  beforeAll(async () => {
    app = await startServer((req, res) => {
      if (req.url === '/metrics') {
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
        res.end(`# TYPE app_level gauge\napp_level{kind="a"} ${level}\napp_level{kind="b"} ${level + 1000}\n`);
        return;
      }
      if (req.url === '/step') level = steps.shift() ?? level;
      res.end('ok');
    });
    prom = await startPrometheus({ scrapeConfigs: [{ job: 'app', targets: [app.url], intervalS: 1 }] });
  }, 30_000);
  afterAll(async () => {
    await prom?.stop();
    await app?.close();
  });

  /** Sets the level and waits until Prometheus has scraped it, so a run's window starts from it. */
  async function settle(value: number, next: number[]): Promise<void> {
    level = value;
    steps = next;
    const deadline = Date.now() + 15_000;
    for (;;) {
      const a = await queryInstant({ url: prom.url, headers: {}, timeoutMs: 2000 }, 'app_level{kind="a"}', Date.now());
      if ('series' in a && a.series[0]?.samples[0]?.[1] === value) return;
      if (Date.now() > deadline) throw new Error(`Prometheus never scraped app_level=${value}: ${JSON.stringify(a)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  it('splits long windows into requests Prometheus accepts (at most 11,000 steps each)', async () => {
    await settle(10, []);
    const now = Date.now();
    // 15,000 steps of 100 ms: one request would be refused. Prometheus has data only since its first
    // scrape, moments ago; evaluations up to 2 s ahead repeat the latest sample (its lookback).
    const r = await queryRange({ url: prom.url, headers: {}, timeoutMs: 5000 }, 'app_level{kind="a"}', now - 1_498_000, now + 2000, 100);
    if ('error' in r) throw new Error(r.error);
    const times = r.series[0]?.samples.map(([t]) => t) ?? [];
    expect(times.length).toBeGreaterThan(5);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBe(100);
    expect(r.series[0]?.samples.every(([, v]) => v === 10)).toBe(true);
  });

  it('records each query as a Gauge over the window (min, max, last value, per-series tags, time series) and judges thresholds on it', async () => {
    await settle(10, [40, 25]);
    const dir = tmpDir();
    const options = {
      scenarios: { s: { executor: 'per-vu-iterations', vus: 1, iterations: 2, maxDuration: '20s' } },
      observe: { prometheus: { url: `${prom.url}/`, step: '1s', delay: '1500ms', headers: { authorization: 'Bearer s3cret' }, queries: { app_level_a: 'app_level{kind="a"}', app_levels: 'app_level' } } },
      thresholds: {
        app_level_a: ['max<30', 'min>=10', 'value<30'],
        'app_levels{kind:b}': ['min>=1010'],
      },
    };
    const r = await runCli(
      ['run', join(scriptsDir, 'options-from-env.ts'), '--results-dir', 'out', '-e', `OPTIONS=${JSON.stringify(options)}`, '-e', `BASE_URL=${app.url}`, '-e', 'URL_PATH=step', '-e', 'SLEEP=2'],
      { cwd: dir },
    );
    expect(r.code, r.stderr).toBe(99);
    const summary = JSON.parse(readFileSync(join(dir, 'out', 'summary.json'), 'utf8'));
    const a = summary.metrics.app_level_a;
    expect(a.type).toBe('gauge');
    // 10 before the first request (the window starts from it), 40 after it, 25 after the second.
    expect(a.values).toEqual({ value: 25, min: 10, max: 40 });
    expect(a.thresholds).toEqual({ 'max<30': { ok: false }, 'min>=10': { ok: true }, 'value<30': { ok: true } });
    // Two series: kind a and kind b (level + 1000), each tagged with its labels.
    expect(summary.metrics.app_levels.values).toMatchObject({ min: 10, max: 1040 });
    expect(summary.metrics['app_levels{kind:b}'].values).toEqual({ value: 1025, min: 1010, max: 1040 });
    expect(summary.metrics['app_levels{kind:b}'].thresholds['min>=1010'].ok).toBe(true);
    expect(summary.metrics.observe_query_errors).toBeUndefined();
    expect(r.stderr).not.toContain('observe.prometheus');

    // Every evaluation sits in the 1 s point holding its timestamp: 40 shows before 25, over several points.
    const lines = readFileSync(join(dir, 'out', 'timeseries.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as TimeSeriesPoint);
    const seen = lines.filter((p) => p.metrics.app_level_a !== undefined).map((p) => p.metrics.app_level_a!.total.values);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    const maxes = seen.map((v) => v.max);
    expect(maxes.indexOf(40)).toBeGreaterThanOrEqual(0);
    expect(maxes.lastIndexOf(40)).toBeLessThan(maxes.lastIndexOf(25));
    expect(seen[seen.length - 1]?.value).toBe(25);
    // Headers (auth) never reach meta.json, though the queries do.
    const metaOptions = JSON.stringify(JSON.parse(readFileSync(join(dir, 'out', 'meta.json'), 'utf8')).options);
    expect(metaOptions).toContain('app_level_a');
    expect(metaOptions).not.toContain('s3cret');
  }, 40_000);

  it('counts a bad query (live and over the window), warns with Prometheus’ error text, and still exits 0', async () => {
    const r = await runWithOptions({
      vus: 1,
      duration: '1500ms',
      observe: {
        prometheus: {
          url: prom.url,
          interval: '500ms',
          queries: { good_level: 'app_level{kind="a"}', bad_level: 'rate(app_level[', absent_level: 'no_such_metric' },
        },
      },
      thresholds: { bad_level: ['value<1'] },
    }, { sleepS: 0.2 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/observe\.prometheus\.queries\.bad_level \(rate\(app_level\[\) failed over the run's window: Prometheus answered 400 \(bad_data\): .*parse error/);
    expect(r.stderr).toMatch(/observe\.prometheus\.queries\.bad_level .*failed live/);
    expect(r.stderr).toMatch(/observe\.prometheus\.queries\.absent_level .*returned no data/);
    expect(r.summary.metrics.observe_query_errors.values.count).toBeGreaterThanOrEqual(2);
    expect(r.summary.metrics.good_level.values.value).toBeGreaterThan(0);
    // Only its threshold's entry, without values: a Gauge without samples passes, as in k6.
    expect(r.summary.metrics.bad_level.values).toEqual({});
  }, 30_000);

  it('counts an unreachable server as a query error and still exits 0', async () => {
    const closed = await startServer();
    await closed.close();
    const r = await runWithOptions({ vus: 1, duration: '1s', observe: { prometheus: { url: closed.url, timeout: '2s', queries: { gone: 'up' } } } }, { sleepS: 0.1 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`observe.prometheus.queries.gone (up) failed over the run's window: could not reach Prometheus at ${closed.url}: ECONNREFUSED`);
    expect(r.summary.metrics.observe_query_errors.values.count).toBe(1);
  }, 30_000);
});

describe('validating observe.prometheus', () => {
  it('lists every problem with its option path (exit 104)', async () => {
    const r = await runWithOptions({
      vus: 1,
      duration: '1s',
      observe: { prometheus: { url: 'ftp://x', step: '10ms', delay: '5m', headers: { a: 1 }, queries: { http_reqs: 'up', '9bad': 'up', empty: '', ok_query: 'up' }, extra: 1 } },
      thresholds: { ok_query: ['max<1'], not_queried: ['value<1'] },
    });
    expect(r.code).toBe(104);
    for (const [path, rule] of [
      ['observe.prometheus.extra', 'is not allowed'],
      ['observe.prometheus.url', 'must be the http(s) URL of a Prometheus server'],
      ['observe.prometheus.step', 'must be at least 100ms, but is "10ms"'],
      ['observe.prometheus.delay', 'must be at most 1m'],
      ['observe.prometheus.headers.a', 'must be a string, but is 1'],
      ['observe.prometheus.queries.http_reqs', 'the name http_reqs is already a metric'],
      ['observe.prometheus.queries["9bad"]', 'the name must be letters'],
      ['observe.prometheus.queries.empty', 'must be a PromQL query'],
    ]) expect(r.stderr).toContain(`${path}: ${rule}`);
    expect(r.stderr).toContain('not_queried');
    expect(r.stderr).not.toMatch(/thresholds\S*ok_query/);
  });

  it('requires url and queries', async () => {
    const r = await runWithOptions({ vus: 1, duration: '1s', observe: { prometheus: {} } });
    expect(r.code).toBe(104);
    expect(r.stderr).toContain('observe.prometheus.url: is required');
    expect(r.stderr).toContain('observe.prometheus.queries: must map gauge names to PromQL queries');
  });
});
