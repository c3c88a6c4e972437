import { describe, expect, it } from 'vitest';
import type { ConfigProblem } from '../errors.js';
import { createOutputs, OUTPUTS } from './outputs-registry.js';
import { PrometheusEndpointOutput } from './prometheus-endpoint.js';
import { PrometheusRemoteWriteOutput } from './prometheus-remote-write.js';
import { REMOTE_WRITE_DEFAULTS, remoteWriteConfigFromEnv } from './remote-write-config.js';

const ctx = (env: Record<string, string> = {}) => ({ env, log: () => {} });

describe('--out values', () => {
  it('builds each known output, repeatable', () => {
    const problems: ConfigProblem[] = [];
    const outs = createOutputs(['prometheus', 'experimental-prometheus-rw', 'prometheus=127.0.0.1:0'], ctx(), problems);
    expect(problems).toEqual([]);
    expect(outs.map((o) => o.constructor)).toEqual([PrometheusEndpointOutput, PrometheusRemoteWriteOutput, PrometheusEndpointOutput]);
    expect(outs[0]?.description).toBe('prometheus endpoint http://127.0.0.1:5656/metrics');
    expect(outs[1]?.description).toBe(`experimental-prometheus-rw (${REMOTE_WRITE_DEFAULTS.url})`);
  });

  it('names every valid output when one is unknown', () => {
    const problems: ConfigProblem[] = [];
    expect(createOutputs(['statsd', 'influxdb'], ctx(), problems)).toEqual([]);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toEqual({ path: '--out', message: `unknown output "statsd"; valid outputs: ${Object.values(OUTPUTS).map((o) => o.usage).join(', ')}` });
    expect(problems[0]?.message).toContain('prometheus[=HOST:PORT], experimental-prometheus-rw, json=FILE, csv=FILE');
  });

  it.each([
    ['prometheus=0.0.0.0:9100', 'http://0.0.0.0:9100/metrics'],
    ['prometheus=:9100', 'http://127.0.0.1:9100/metrics'],
    ['prometheus=[::1]:9100', 'http://[::1]:9100/metrics'],
    ['prometheus=localhost:0', 'http://localhost:0/metrics'],
  ])('%s listens at %s', (spec, url) => {
    const problems: ConfigProblem[] = [];
    const [out] = createOutputs([spec], ctx(), problems);
    expect(problems).toEqual([]);
    expect(out?.description).toBe(`prometheus endpoint ${url}`);
  });

  it.each([
    [['prometheus=9100'], {}, '--out prometheus', /HOST:PORT.*"9100"/],
    [['prometheus=host:70000'], {}, '--out prometheus', /"host:70000"/],
    [['prometheus'], { SQUALL_PROMETHEUS_TREND_STATS: 'p99' }, 'SQUALL_PROMETHEUS_TREND_STATS', /"p99"/],
    [['prometheus'], { SQUALL_PROMETHEUS_LINGER: 'soon' }, 'SQUALL_PROMETHEUS_LINGER', /"soon"/],
    [['experimental-prometheus-rw=http://x'], {}, '--out experimental-prometheus-rw', /K6_PROMETHEUS_RW_/],
  ])('%j with %j is a problem at %s', (specs, env, path, message) => {
    const problems: ConfigProblem[] = [];
    expect(createOutputs(specs, ctx(env), problems)).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.path).toBe(path);
    expect(problems[0]?.message).toMatch(message);
  });
});

describe('K6_PROMETHEUS_RW_* settings', () => {
  it("takes k6's defaults", () => {
    const problems: ConfigProblem[] = [];
    const c = remoteWriteConfigFromEnv({}, problems);
    expect(problems).toEqual([]);
    expect(c).toMatchObject({ url: 'http://localhost:9090/api/v1/write', pushIntervalMs: 5000, headers: {}, labels: {}, staleMarkers: false });
    expect(c?.trendStats.map((s) => s.suffix)).toEqual(['p99']);
  });

  it('reads every supported variable', () => {
    const problems: ConfigProblem[] = [];
    const c = remoteWriteConfigFromEnv(
      {
        K6_PROMETHEUS_RW_SERVER_URL: 'https://mimir.example/api/v1/push',
        K6_PROMETHEUS_RW_PUSH_INTERVAL: '1500ms',
        K6_PROMETHEUS_RW_TREND_STATS: 'p(95),p(99),min,max,avg,med,count,sum',
        'K6_PROMETHEUS_RW_HEADERS_X-Scope-OrgID': 'tenant-1',
        K6_PROMETHEUS_RW_HTTP_HEADERS: 'X-A:1, X-B:two',
        K6_PROMETHEUS_RW_USERNAME: 'user',
        K6_PROMETHEUS_RW_PASSWORD: 'pass',
        K6_PROMETHEUS_RW_LABELS: 'env=ci,server=a',
        K6_PROMETHEUS_RW_STALE_MARKERS: 'true',
        K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM: 'false',
      },
      problems,
    );
    expect(problems).toEqual([]);
    expect(c).toMatchObject({
      url: 'https://mimir.example/api/v1/push',
      pushIntervalMs: 1500,
      headers: { 'X-Scope-OrgID': 'tenant-1', 'X-A': '1', 'X-B': 'two', Authorization: `Basic ${Buffer.from('user:pass').toString('base64')}` },
      labels: { env: 'ci', server: 'a' },
      staleMarkers: true,
    });
    expect(c?.trendStats.map((s) => s.suffix)).toEqual(['p95', 'p99', 'min', 'max', 'avg', 'med', 'count', 'sum']);
    expect(remoteWriteConfigFromEnv({ K6_PROMETHEUS_RW_BEARER_TOKEN: 'tok' }, [])?.headers).toEqual({ Authorization: 'Bearer tok' });
  });

  it('collects every bad value, each under its variable', () => {
    const problems: ConfigProblem[] = [];
    const c = remoteWriteConfigFromEnv(
      {
        K6_PROMETHEUS_RW_SERVER_URL: 'localhost:9090',
        K6_PROMETHEUS_RW_PUSH_INTERVAL: '5',
        K6_PROMETHEUS_RW_TREND_STATS: 'p99',
        K6_PROMETHEUS_RW_HTTP_HEADERS: 'novalue',
        K6_PROMETHEUS_RW_LABELS: 'x',
        K6_PROMETHEUS_RW_STALE_MARKERS: 'maybe',
        K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM: 'true',
      },
      problems,
    );
    expect(c).toBeUndefined();
    expect(problems.map((p) => p.path)).toEqual([
      'K6_PROMETHEUS_RW_SERVER_URL',
      'K6_PROMETHEUS_RW_PUSH_INTERVAL',
      'K6_PROMETHEUS_RW_TREND_STATS',
      'K6_PROMETHEUS_RW_HTTP_HEADERS',
      'K6_PROMETHEUS_RW_LABELS',
      'K6_PROMETHEUS_RW_STALE_MARKERS',
      'K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM',
    ]);
    expect(problems[0]?.message).toContain('"localhost:9090"');
    expect(problems[1]?.message).toContain('"5"');
    expect(problems[2]?.message).toMatch(/^each stat must be .*"p99"/);
  });
});
