import { describe, expect, it } from 'vitest';
import { pointsOf } from '../../test/helpers/points.js';
import type { ResolvedOptions } from '../config/types.js';
import { SquallError } from '../errors.js';
import type { TimeSeriesPoint } from '../metrics/time-series-point.js';
import { parseExposition } from '../observe/exposition.js';
import { parsePromTrendStats } from './prometheus-naming.js';
import { PrometheusEndpointOutput } from './prometheus-endpoint.js';

const start = { startedAtEpochMs: 0, script: 'x.ts', options: { tags: { testid: 'e-1' } } as unknown as ResolvedOptions };
const points = pointsOf([(c, id) => c.add(id.reqs, id.ok, 1), (c, id) => c.add(id.reqs, id.ok, 2)]);

function endpoint(port = 0, lingerMs = 0, log: (m: string) => void = () => {}): PrometheusEndpointOutput {
  return new PrometheusEndpointOutput({ host: '127.0.0.1', port, trendStats: parsePromTrendStats('p(99)', 't'), lingerMs, log });
}

function urlOf(out: PrometheusEndpointOutput): string {
  return out.description.replace('prometheus endpoint ', '');
}

describe('prometheus endpoint', () => {
  it('announces its URL, serves the run-so-far totals at /metrics, and nothing else', async () => {
    const messages: string[] = [];
    const out = endpoint(0, 0, (m) => messages.push(m));
    await out.start(start);
    const url = urlOf(out);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(messages).toEqual([`prometheus: serving metrics at ${url}`]);
    expect(await (await fetch(url)).text()).toBe('');
    out.interval(points[0] as TimeSeriesPoint);
    out.interval(points[1] as TimeSeriesPoint);
    const samples = parseExposition(await (await fetch(url)).text());
    expect(samples).toEqual([{ metric: 'k6_http_reqs_total', labels: { name: 'ok', status: '200', testid: 'e-1' }, value: 3 }]);
    expect((await fetch(url.replace('/metrics', '/'))).status).toBe(404);
    expect((await fetch(url, { method: 'POST' })).status).toBe(405);
    expect(await out.stop()).toEqual([]);
    await expect(fetch(url)).rejects.toThrow();
  });

  it('keeps serving for the linger time after stop is called', async () => {
    const out = endpoint(0, 400);
    await out.start(start);
    out.interval(points[0] as TimeSeriesPoint);
    const stopped = out.stop();
    const during = await fetch(urlOf(out));
    expect(during.status).toBe(200);
    await during.text();
    await stopped;
    await expect(fetch(urlOf(out))).rejects.toThrow();
  });

  it('fails the start with SQUALL_CONFIG_INVALID (exit 104) when the address is taken', async () => {
    const first = endpoint();
    await first.start(start);
    const port = Number(new URL(urlOf(first)).port);
    const second = endpoint(port);
    const err = await second.start(start).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SquallError);
    expect((err as SquallError).code).toBe('SQUALL_CONFIG_INVALID');
    expect((err as SquallError).message).toContain(`cannot listen on 127.0.0.1:${port} (EADDRINUSE)`);
    expect(await second.stop()).toEqual([]);
    await first.stop();
  });
});
