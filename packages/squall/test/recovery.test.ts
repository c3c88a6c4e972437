import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resolveOptions } from '../src/config/resolve.js';
import { runWithOptions } from './helpers/run-options.js';

/**
 * A system whose recovery we know: every GET /ingest enqueues 10 events, a worker drains 300
 * events/s, `/metrics` shows the queue depth, and GET /probe answers after 2 ms plus 1 ms per 10
 * queued events. 60 ingests/s (600 events/s) for 3 s leave ~900 queued when the load ends, which
 * take ~3 s to drain; probe latency is back near 2 ms shortly before that.
 */
describe('recovery after the load', () => {
  let server: Server;
  let base = '';
  let depth = 0;
  let drain: NodeJS.Timeout;
  /** What the server saw: when the last ingest arrived, and the queue depth at each probe. */
  let lastIngestMs = 0;
  let probes: { atMs: number; depth: number }[] = [];
  const DRAIN_PER_S = 300;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/metrics') {
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
        res.end(`# TYPE app_queue_depth gauge\napp_queue_depth ${Math.round(depth)}\n`);
      } else if (req.url === '/ingest') {
        depth += 10;
        lastIngestMs = Date.now();
        res.end('ok');
      } else if (req.url === '/probe') {
        if (req.headers['x-token'] !== 'probe-secret') return void res.writeHead(401).end();
        probes.push({ atMs: Date.now(), depth });
        setTimeout(() => res.end('ok'), 2 + depth / 10);
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    drain = setInterval(() => (depth = Math.max(0, depth - DRAIN_PER_S / 20)), 50);
  });
  afterAll(() => {
    clearInterval(drain);
    return new Promise<void>((r) => server.close(() => r()));
  });
  beforeEach(() => {
    depth = 0;
    probes = [];
  });

  const options = (recovery: Record<string, unknown>, thresholds: Record<string, string[]> = {}) => ({
    scenarios: { ingest: { executor: 'constant-arrival-rate', rate: 60, duration: '3s', preAllocatedVUs: 5 } },
    observe: { targets: [{ url: `${base}/metrics`, interval: '200ms', series: { queue_depth: 'app_queue_depth' } }] },
    recovery: { backlog: 'queue_depth', probe: { url: `${base}/probe`, interval: '100ms', headers: { 'x-token': 'probe-secret' } }, baseline: '1s', ...recovery },
    thresholds,
  });

  it('measures when the backlog has drained and the probe latency is back', async () => {
    const r = await runWithOptions(options({ timeout: '20s' }, { recovery_time: ['value<10000'], recovery_complete: ['rate==1'] }), { baseUrl: base, path: 'ingest' });
    expect(r.stderr).toMatch(/recovery: recovered \d+\.\d s after the load \(queue_depth back to 0 after \d+\.\d s, peak \d+; probe latency back to pre-load p95/);
    expect(r.code).toBe(0);
    const m = r.summary.metrics;
    // ~900 events queued at the end of the load, drained at 300/s: about 3 s (scrapes every 200 ms).
    expect(m.recovery_backlog_drain_time.values.value).toBeGreaterThan(1800);
    expect(m.recovery_backlog_drain_time.values.value).toBeLessThan(4500);
    // Latency is back when the server stopped making the probe slower than the pre-load level
    // (plus the 20% tolerance): the probes squall called "back" met a queue short enough. A busy
    // machine raises the pre-load p95, so the level, not a fixed time, is what must hold.
    const level = Number(/pre-load p95 ([\d.]+) ms/.exec(r.stderr)?.[1]) * 1.2;
    const backAtMs = lastIngestMs + m.recovery_latency_time.values.value;
    const first = probes.find((p) => p.atMs >= backAtMs - 20);
    expect(first, JSON.stringify(probes.slice(-10))).toBeDefined();
    expect(2 + first!.depth / 10).toBeLessThanOrEqual(level + 2);
    expect(m.recovery_latency_time.values.value).toBeGreaterThan(0);
    expect(m.recovery_latency_time.values.value).toBeLessThanOrEqual(m.recovery_backlog_drain_time.values.value + 500);
    expect(m.recovery_time.values.value).toBe(Math.max(m.recovery_backlog_drain_time.values.value, m.recovery_latency_time.values.value));
    expect(m.recovery_complete.values.rate).toBe(1);
    // The probe saw the load: slower during it than before it.
    expect(m['queue_depth'].values.max).toBeGreaterThan(600);
    expect(m.recovery_probe_duration.values.max).toBeGreaterThan(50);
    // Counter rates are over the load, not the recovery wait: 60/s.
    expect(m.http_reqs.values.rate).toBeGreaterThan(50);
    expect(m.http_reqs.values.rate).toBeLessThan(70);
  });

  it('says when the system has not recovered within the timeout, and a threshold can fail on it', async () => {
    const r = await runWithOptions(options({ timeout: '1s' }, { recovery_complete: ['rate==1'] }), { baseUrl: base, path: 'ingest' });
    expect(r.code).toBe(99);
    expect(r.stderr).toMatch(/not recovered within 1 s after the load: queue_depth is \d+ \(pre-load 0\)/);
    expect(r.summary.metrics.recovery_complete.values.rate).toBe(0);
    // The timeout is reported as a lower bound.
    expect(r.summary.metrics.recovery_time.values.value).toBeGreaterThanOrEqual(1000);
    expect(r.summary.metrics.recovery_backlog_drain_time).toBeUndefined();
  });

  it('keeps the probe headers (often a token) out of anything that serializes the options', () => {
    const { options: o } = resolveOptions({ scriptOptions: options({}), overrides: {}, knownMetrics: new Map() });
    expect(o.recovery?.probe?.headers).toEqual({ 'x-token': 'probe-secret' });
    expect(JSON.stringify(o)).not.toContain('probe-secret');
  });

  it('lists every problem of the recovery option (exit 104)', async () => {
    const r = await runWithOptions({
      vus: 1,
      duration: '1s',
      recovery: { backlog: 'nope', probe: { url: 'ftp://x', every: '1s' }, latencyTolerance: -1, baseline: '10ms' },
    });
    expect(r.code).toBe(104);
    expect(r.stderr).toContain('recovery.backlog: must name a series observed with observe.targets[].series (none is observed), but is "nope"');
    expect(r.stderr).toContain('recovery.probe.url: must be an http(s) URL');
    expect(r.stderr).toContain('recovery.probe.every: is not allowed');
    expect(r.stderr).toContain('recovery.latencyTolerance: must be a number from 0 to 100, but is -1');
    expect(r.stderr).toContain('recovery.baseline: must be at least 1s');
  });
});
