import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, run } from '../dist/index.js';
import type { LiveOutput } from '../dist/outputs/live-output.js';
import { parseExposition, type ExpositionSample } from '../src/observe/exposition.js';
import { runCliForSummary, scriptsDir, type CliRun } from './helpers/cli.js';
import { hasPrometheus, startPrometheus, type RunningPrometheus } from './helpers/prometheus.js';
import { startServer, type TestServer } from './helpers/server.js';

// `squall run --out ...` end to end: the built CLI, a real HTTP target, a real Prometheus.
const script = join(scriptsDir, 'prometheus-load.ts');
const trendStats = 'avg,min,med,max,p(95),p(99),count';

let target: TestServer;
beforeAll(async () => {
  target = await startServer();
});
afterAll(() => target.close());

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createNetServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function runLoad(args: string[], env: Record<string, string>, duration = '3s'): Promise<CliRun & { summary: any }> {
  return runCliForSummary(
    ['run', script, '--no-results', '--no-history', '-q', '--summary-trend-stats', trendStats, '-e', `BASE_URL=${target.url}`, '-e', `DURATION=${duration}`, ...args],
    { env },
  );
}

interface PromResult {
  metric: Record<string, string>;
  value: [number, string];
}

async function query(prom: RunningPrometheus, q: string): Promise<PromResult[]> {
  const res = await fetch(`${prom.url}/api/v1/query?query=${encodeURIComponent(q)}`);
  const body = (await res.json()) as { status: string; data: { result: PromResult[] } };
  expect(body.status).toBe('success');
  return body.data.result;
}

async function scalar(prom: RunningPrometheus, q: string): Promise<number | undefined> {
  const [first] = await query(prom, q);
  return first === undefined ? undefined : Number(first.value[1]);
}

describe('--out validation', () => {
  it('exits 104 for an unknown output and names the valid ones', async () => {
    const r = await runLoad(['--out', 'influxdb=http://x'], {});
    expect(r.code).toBe(104);
    expect(r.stderr).toContain('--out: unknown output "influxdb"; valid outputs: prometheus[=HOST:PORT], experimental-prometheus-rw, json=FILE, csv=FILE');
    expect(r.summary).toBeUndefined();
  });

  it('exits 104 for bad remote-write settings, listing each variable', async () => {
    const r = await runLoad(['--out', 'experimental-prometheus-rw'], { K6_PROMETHEUS_RW_PUSH_INTERVAL: 'often', K6_PROMETHEUS_RW_TREND_STATS: 'p99' });
    expect(r.code).toBe(104);
    expect(r.stderr).toMatch(/K6_PROMETHEUS_RW_PUSH_INTERVAL: .*"often"/);
    expect(r.stderr).toMatch(/K6_PROMETHEUS_RW_TREND_STATS: .*"p99"/);
  });
});

describe('programmatic run()', () => {
  it('takes --out values and outputs of your own', async () => {
    const messages: string[] = [];
    const seen = { starts: 0, intervals: 0, stops: 0, lastReqs: 0 };
    const mine: LiveOutput = {
      description: 'test output',
      start: async () => void seen.starts++,
      interval: (_point, totals) => {
        seen.intervals++;
        seen.lastReqs = totals.values('http_reqs')?.count ?? 0;
      },
      stop: async () => {
        seen.stops++;
        return ['test output says bye'];
      },
    };
    const warnings: string[] = [];
    const result = await run({
      script,
      env: { BASE_URL: target.url, DURATION: '1500ms' },
      workers: 1,
      out: ['prometheus=127.0.0.1:0'],
      outputEnv: {},
      onOutputMessage: (m) => messages.push(m),
      outputs: [mine],
      events: { onWarning: (w) => warnings.push(w) },
    });
    expect(result.exitCode).toBe(0);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/^prometheus: serving metrics at http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(seen.starts).toBe(1);
    expect(seen.stops).toBe(1);
    expect(seen.intervals).toBeGreaterThanOrEqual(2);
    expect(seen.lastReqs).toBe(result.summary.metrics.http_reqs?.values.count);
    expect(warnings).toEqual(['test output says bye']);
    await expect(run({ script, env: { BASE_URL: target.url }, out: ['nosuch=x'], outputEnv: {} })).rejects.toThrow(ConfigError);
  });
});

describe('remote write to an unreachable receiver', () => {
  it('still runs to completion (exit 0) and warns once about the failed pushes', async () => {
    const deadPort = await freePort();
    const r = await runLoad(['-o', 'experimental-prometheus-rw'], {
      K6_PROMETHEUS_RW_SERVER_URL: `http://127.0.0.1:${deadPort}/api/v1/write`,
      K6_PROMETHEUS_RW_PUSH_INTERVAL: '500ms',
    }, '2s');
    expect(r.code, r.stderr).toBe(0);
    expect(r.summary.metrics.http_reqs.values.count).toBeGreaterThan(0);
    const warnings = r.stderr.split('\n').filter((l) => l.includes('experimental-prometheus-rw'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/warning: experimental-prometheus-rw \(http:\/\/127\.0\.0\.1:\d+\/api\/v1\/write\): (\d+) of \1 pushes failed \(last: ECONNREFUSED\); the final push failed too/);
  });
});

describe.skipIf(!hasPrometheus())('with a real Prometheus', () => {
  it('remote write: Prometheus holds the summary counts exactly, trend stats in seconds, tags as labels', async () => {
    const prom = await startPrometheus({ remoteWriteReceiver: true });
    try {
      const testid = `rw-${process.pid}`;
      const r = await runLoad(['--out', 'experimental-prometheus-rw', '--tag', `testid=${testid}`], {
        K6_PROMETHEUS_RW_SERVER_URL: `${prom.url}/api/v1/write`,
        K6_PROMETHEUS_RW_PUSH_INTERVAL: '1s',
        K6_PROMETHEUS_RW_TREND_STATS: 'p(95),p(99),min,max,avg,med,count,sum',
      });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).not.toContain('warning');
      const m = r.summary.metrics;
      const sel = `{testid="${testid}"}`;
      const iterations = m.iterations.values.count as number;
      expect(iterations).toBeGreaterThan(5);

      expect(await scalar(prom, `sum(k6_http_reqs_total${sel})`)).toBe(m.http_reqs.values.count);
      expect(await scalar(prom, `sum(k6_http_reqs_sent_total${sel})`)).toBe(m.http_reqs_sent.values.count);
      expect(await scalar(prom, `sum(k6_iterations_total${sel})`)).toBe(iterations);
      expect(await scalar(prom, `sum(k6_items_done_total${sel})`)).toBe(m.items_done.values.count);
      expect(await scalar(prom, `k6_good_answers_rate${sel}`)).toBe(m.good_answers.values.rate);
      expect(await scalar(prom, `k6_checks_rate${sel}`)).toBe(m.checks.values.rate);
      expect(await scalar(prom, `k6_queue_depth${sel}`)).toBe(7);

      // Tags are labels: one series per request name, each with its method, status and expected_response.
      const reqs = await query(prom, `k6_http_reqs_total${sel}`);
      const byName = Object.fromEntries(reqs.map((s) => [s.metric.name, s]));
      expect(Object.keys(byName).sort()).toEqual(['missing', 'ok']);
      expect(byName.ok?.metric).toMatchObject({ method: 'GET', status: '200', expected_response: 'true', scenario: 'default', testid });
      expect(byName.missing?.metric).toMatchObject({ method: 'GET', status: '404', expected_response: 'false', scenario: 'default', testid });
      expect(Number(byName.ok?.value[1])).toBe(iterations);
      expect(Number(byName.missing?.value[1])).toBe(iterations);

      // Trend stats: every requested one exists per series; time Trends are in seconds.
      for (const stat of ['p95', 'p99', 'min', 'max', 'avg', 'med', 'count', 'sum']) {
        expect((await query(prom, `k6_http_req_duration_${stat}${sel}`)).length, stat).toBe(2);
      }
      expect(await scalar(prom, `sum(k6_http_req_duration_count${sel})`)).toBe(m.http_req_duration.values.count);
      expect((await scalar(prom, `max(k6_http_req_duration_max${sel})`)) ?? 0).toBeCloseTo(m.http_req_duration.values.max / 1000, 9);
      expect((await scalar(prom, `min(k6_http_req_duration_min${sel})`)) ?? 0).toBeCloseTo(m.http_req_duration.values.min / 1000, 9);
      expect(await scalar(prom, `k6_think_time_avg${sel}`)).toBeCloseTo(0.005, 9);
    } finally {
      await prom.stop();
    }
  });

  it('exposition: the endpoint grows during the run, ends at the summary counts, and Prometheus scrapes it', async () => {
    const port = await freePort();
    const prom = await startPrometheus({ scrapeConfigs: [{ job: 'squall', targets: [`127.0.0.1:${port}`], intervalS: 1 }] });
    try {
      const endpoint = `http://127.0.0.1:${port}/metrics`;
      const scrapes: ExpositionSample[][] = [];
      let running = true;
      const poll = (async () => {
        while (running) {
          try {
            const res = await fetch(endpoint);
            expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
            const samples = parseExposition(await res.text());
            if (samples.some((s) => s.metric === 'k6_http_reqs_total')) scrapes.push(samples);
          } catch {
            // not listening (yet, or any more)
          }
          await new Promise((r) => setTimeout(r, 100));
        }
      })();
      const r = await runLoad(['--out', `prometheus=127.0.0.1:${port}`], { SQUALL_PROMETHEUS_LINGER: '3s' }, '4s');
      running = false;
      await poll;
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`prometheus: serving metrics at ${endpoint}`);

      const total = (samples: ExpositionSample[], metric: string) => samples.filter((s) => s.metric === metric).reduce((a, s) => a + s.value, 0);
      const counts = scrapes.map((s) => total(s, 'k6_http_reqs_total'));
      expect(counts.length).toBeGreaterThan(10);
      for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeGreaterThanOrEqual(counts[i - 1] as number);
      expect(new Set(counts).size).toBeGreaterThan(2);
      const last = scrapes[scrapes.length - 1] as ExpositionSample[];
      const m = r.summary.metrics;
      expect(total(last, 'k6_http_reqs_total')).toBe(m.http_reqs.values.count);
      expect(total(last, 'k6_iterations_total')).toBe(m.iterations.values.count);
      expect(total(last, 'k6_http_reqs_sent_total')).toBe(m.http_reqs_sent.values.count);
      expect(total(last, 'k6_http_req_duration_count')).toBe(m.http_req_duration.values.count);
      expect(last.find((s) => s.metric === 'k6_http_reqs_total' && s.labels.name === 'missing')?.labels).toMatchObject({ status: '404', expected_response: 'false' });

      // Prometheus scraped the same numbers (max_over_time skips the stale markers written once the endpoint closed).
      expect(await scalar(prom, 'sum(max_over_time(k6_http_reqs_total{job="squall"}[5m]))')).toBe(m.http_reqs.values.count);
      expect(await scalar(prom, 'max_over_time(k6_checks_rate{job="squall"}[5m])')).toBe(1);
    } finally {
      await prom.stop();
    }
  });
});
