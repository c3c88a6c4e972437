import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWithOptions } from './helpers/run-options.js';
import { startServer, type TestServer } from './helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});

const count = (s: any, m: string) => s?.metrics?.[m]?.values?.count ?? 0;

describe('executors at run time (2 workers)', () => {
  it('shared-iterations runs exactly the iterations, spread over the VUs', async () => {
    const r = await runWithOptions({ scenarios: { s: { executor: 'shared-iterations', vus: 7, iterations: 101 } } }, { baseUrl: server.url, args: ['--workers', '2'] });
    expect(r.code).toBe(0);
    expect(count(r.summary, 'iterations')).toBe(101);
    expect(count(r.summary, 'http_reqs')).toBe(101);
  });

  it('per-vu-iterations runs iterations x VUs', async () => {
    const r = await runWithOptions({ scenarios: { p: { executor: 'per-vu-iterations', vus: 3, iterations: 4 } } }, { baseUrl: server.url, args: ['--workers', '2'] });
    expect(count(r.summary, 'iterations')).toBe(12);
  });

  it('constant-arrival-rate gives rate x duration iterations within 1%', async () => {
    const r = await runWithOptions(
      { scenarios: { car: { executor: 'constant-arrival-rate', rate: 200, timeUnit: '1s', duration: '3s', preAllocatedVUs: 20, maxVUs: 50 } } },
      { baseUrl: server.url, args: ['--workers', '2'] },
    );
    expect(r.code).toBe(0);
    const n = count(r.summary, 'iterations');
    expect(Math.abs(n - 600)).toBeLessThanOrEqual(6);
    expect(count(r.summary, 'dropped_iterations')).toBe(0);
    expect(r.summary.metrics.iteration_start_delay.values.max).toBeGreaterThanOrEqual(0);
  });

  it('ramping-arrival-rate follows the integral of its rate', async () => {
    // 0 -> 100/s over 2 s (100 iterations), then 100/s for 1 s (100): 200 in all.
    const r = await runWithOptions(
      { scenarios: { rar: { executor: 'ramping-arrival-rate', startRate: 0, preAllocatedVUs: 10, maxVUs: 30, stages: [{ duration: '2s', target: 100 }, { duration: '1s', target: 100 }] } } },
      { baseUrl: server.url, args: ['--workers', '2'] },
    );
    expect(Math.abs(count(r.summary, 'iterations') - 200)).toBeLessThanOrEqual(2);
  });

  it('counts dropped iterations when maxVUs are all busy', async () => {
    // 20/s for 2 s = 40 due; one VU whose iterations take 450 ms can run about 5 of them.
    const r = await runWithOptions(
      { scenarios: { d: { executor: 'constant-arrival-rate', rate: 20, duration: '2s', preAllocatedVUs: 1, maxVUs: 1 } } },
      { sleepS: 0.45, args: ['--workers', '1'] },
    );
    const done = count(r.summary, 'iterations');
    const dropped = count(r.summary, 'dropped_iterations');
    expect(done).toBeGreaterThanOrEqual(4);
    expect(done).toBeLessThanOrEqual(6);
    expect(done + dropped).toBe(40);
  });

  it('interrupts iterations still running when gracefulStop expires', async () => {
    const started = Date.now();
    const r = await runWithOptions(
      { scenarios: { g: { executor: 'constant-vus', vus: 2, duration: '1s', gracefulStop: '500ms' } } },
      { sleepS: 30, args: ['--workers', '1'] },
    );
    expect(r.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(count(r.summary, 'iterations')).toBe(0);
    expect(r.summary.metrics.vus_max.values.value).toBe(2);
  });

  it('lets in-flight iterations finish within gracefulStop', async () => {
    const r = await runWithOptions(
      { scenarios: { g: { executor: 'constant-vus', vus: 2, duration: '1s', gracefulStop: '5s' } } },
      { sleepS: 1.5, args: ['--workers', '1'] },
    );
    expect(count(r.summary, 'iterations')).toBe(2);
  });

  it('ramping-vus reaches its stage targets', async () => {
    const r = await runWithOptions(
      { scenarios: { rv: { executor: 'ramping-vus', startVUs: 0, stages: [{ duration: '1s', target: 4 }, { duration: '1s', target: 4 }, { duration: '1s', target: 0 }], gracefulRampDown: '1s' } } },
      { baseUrl: server.url, sleepS: 0.1, args: ['--workers', '2'] },
    );
    expect(r.code).toBe(0);
    expect(r.summary.metrics.vus.values.max).toBe(4);
    expect(count(r.summary, 'iterations')).toBeGreaterThan(20);
  });

  it('runs several scenarios at once, honouring startTime and tagging samples by scenario', async () => {
    const r = await runWithOptions(
      {
        scenarios: {
          first: { executor: 'per-vu-iterations', vus: 2, iterations: 5 },
          later: { executor: 'shared-iterations', vus: 1, iterations: 3, startTime: '1s' },
        },
        thresholds: { 'iterations{scenario:first}': ['count==10'], 'iterations{scenario:later}': ['count==3'] },
      },
      { baseUrl: server.url },
    );
    expect(r.code).toBe(0);
    expect(r.summary.metrics['iterations{scenario:later}'].values.count).toBe(3);
  });
});
