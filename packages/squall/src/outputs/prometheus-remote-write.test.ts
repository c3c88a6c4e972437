import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decodeRemoteWriteBody, type DecodedSeries } from '../../test/helpers/remote-write-decoder.js';
import { pointsOf } from '../../test/helpers/points.js';
import type { ResolvedOptions } from '../config/types.js';
import type { TimeSeriesPoint } from '../metrics/time-series-point.js';
import { parsePromTrendStats } from './prometheus-naming.js';
import { PrometheusRemoteWriteOutput } from './prometheus-remote-write.js';
import type { RemoteWriteConfig } from './remote-write-config.js';

interface Received {
  headers: IncomingHttpHeaders;
  series: DecodedSeries[];
}

// A remote-write receiver on port 0 that decodes what it gets; `failNext` answers 503 that many times.
let server: Server;
let url = '';
let received: Received[] = [];
let failNext = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (failNext > 0) {
        failNext--;
        res.writeHead(503).end('overloaded');
        return;
      }
      received.push({ headers: req.headers, series: decodeRemoteWriteBody(new Uint8Array(Buffer.concat(chunks))) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/write`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  received = [];
  failNext = 0;
});

const points = pointsOf([
  (c, id) => {
    c.add(id.reqs, id.ok, 1);
    c.add(id.reqs, id.ok, 1);
    c.add(id.reqs, id.bad, 1);
    c.add(id.dur, id.ok, 100);
    c.add(id.vus, id.base, 3);
  },
  (c, id) => c.add(id.reqs, id.ok, 1),
  (c, id) => c.add(id.reqs, id.bad, 1),
  (c, id) => c.add(id.reqs, id.ok, 1),
]);
const at = (i: number) => points[i] as TimeSeriesPoint;

function output(overrides: Partial<RemoteWriteConfig> = {}): PrometheusRemoteWriteOutput {
  return new PrometheusRemoteWriteOutput({
    url,
    // Pushes in these tests come from flush() and stop(), not the timer.
    pushIntervalMs: 3_600_000,
    timeoutMs: 2000,
    trendStats: parsePromTrendStats('p(99),count', 'test'),
    headers: { 'X-Scope-OrgID': 'tenant-1' },
    labels: { env: 'ci' },
    staleMarkers: false,
    ...overrides,
  });
}

const start = { startedAtEpochMs: 0, script: 'x.ts', options: { tags: { testid: 't-1' } } as unknown as ResolvedOptions };

function value(series: DecodedSeries[], name: string, labelName?: string, labelValue?: string): number | undefined {
  const s = series.find((x) => x.labels.some(([k, v]) => k === '__name__' && v === name) && (labelName === undefined || x.labels.some(([k, v]) => k === labelName && v === labelValue)));
  return s?.samples[0]?.value;
}

describe('experimental-prometheus-rw output', () => {
  it('posts a snappy protobuf WriteRequest with the protocol headers, extra headers and k6 names', async () => {
    const out = output();
    await out.start(start);
    out.interval(at(0));
    await out.flush();
    expect(received).toHaveLength(1);
    const { headers, series } = received[0] as Received;
    expect(headers['content-encoding']).toBe('snappy');
    expect(headers['content-type']).toBe('application/x-protobuf');
    expect(headers['x-prometheus-remote-write-version']).toBe('0.1.0');
    expect(headers['x-scope-orgid']).toBe('tenant-1');
    expect(value(series, 'k6_http_reqs_total', 'name', 'ok')).toBe(2);
    expect(value(series, 'k6_http_reqs_total', 'name', 'bad')).toBe(1);
    expect(value(series, 'k6_vus')).toBe(3);
    expect(value(series, 'k6_http_req_duration_p99')).toBe(0.1);
    expect(value(series, 'k6_http_req_duration_count')).toBe(1);
    const reqs = series.find((s) => s.labels.some(([, v]) => v === 'k6_http_reqs_total'));
    expect(reqs?.labels).toEqual([['__name__', 'k6_http_reqs_total'], ['env', 'ci'], ['name', 'ok'], ['status', '200'], ['testid', 't-1']]);
    expect(reqs?.samples[0]?.timestampMs).toBe(at(0).endMs);
    expect(await out.stop()).toEqual([]);
  });

  it('sends only the series that changed since the last delivery; a failed push is carried by the next', async () => {
    const out = output();
    await out.start(start);
    out.interval(at(0));
    await out.flush();
    out.interval(at(1));
    await out.flush();
    expect(received[1]?.series.map((s) => s.labels.find(([k]) => k === '__name__')?.[1])).toEqual(['k6_http_reqs_total']);
    expect(value(received[1]?.series ?? [], 'k6_http_reqs_total', 'name', 'ok')).toBe(3);

    failNext = 1;
    out.interval(at(2));
    await out.flush(); // fails: the `bad` series' change stays pending
    expect(received).toHaveLength(2);
    out.interval(at(3));
    await out.flush();
    const third = received[2]?.series ?? [];
    expect(value(third, 'k6_http_reqs_total', 'name', 'bad')).toBe(2);
    expect(value(third, 'k6_http_reqs_total', 'name', 'ok')).toBe(4);

    const warnings = await out.stop();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/1 of 4 pushes failed \(last: HTTP 503: overloaded\); later pushes carried the totals on/);
  });

  it('makes the final push at stop, so the last interval arrives without waiting for the timer', async () => {
    const out = output();
    await out.start(start);
    for (const p of points) out.interval(p);
    expect(received).toHaveLength(0);
    expect(await out.stop()).toEqual([]);
    expect(received).toHaveLength(1);
    expect(value(received[0]?.series ?? [], 'k6_http_reqs_total', 'name', 'ok')).toBe(4);
  });

  it('marks every series stale after the final push when asked (K6_PROMETHEUS_RW_STALE_MARKERS)', async () => {
    const out = output({ staleMarkers: true });
    await out.start(start);
    out.interval(at(0));
    await out.stop();
    expect(received).toHaveLength(2);
    const stale = received[1]?.series ?? [];
    expect(stale.length).toBe(received[0]?.series.length);
    expect(stale.every((s) => s.samples[0]?.staleBits === true && s.samples[0]?.timestampMs === at(0).endMs + 1)).toBe(true);
  });

  it('never throws for an unreachable receiver: stop reports the failures once', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/api/v1/write`;
    await new Promise<void>((r) => closed.close(() => r()));
    const out = output({ url: deadUrl });
    await out.start(start);
    out.interval(at(0));
    await out.flush();
    out.interval(at(1));
    const warnings = await out.stop();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(deadUrl);
    expect(warnings[0]).toMatch(/2 of 2 pushes failed \(last: ECONNREFUSED\); the final push failed too/);
  });
});
