import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWithOptions } from './helpers/run-options.js';

// Ground truth for the counts (docs/metrics.md): a server that counts and timestamps every request
// it receives, per path, against squall's summary. Every iteration sends one request, first thing,
// to a path of its own case; the server answers after DELAY_MS, so at each boundary (a
// scenario's start, a ramp-down, its end) requests are in flight. The cases run in parallel.

const DELAY_MS = 300;
const seen = new Map<string, number[]>();
let server: Server;
let baseUrl = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const times = seen.get(path) ?? [];
    times.push(Date.now());
    seen.set(path, times);
    // 300-360 ms, varied so closed-model VUs do not move in lockstep (some is in flight at any end).
    setTimeout(() => res.end('ok'), path.startsWith('/issue') ? 500 : DELAY_MS + (times.length % 7) * 10);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

interface Counts {
  readonly server: number;
  readonly serverSpanMs: number;
  readonly sent: number;
  readonly unanswered: number;
  readonly reqs: number;
  readonly iterations: number;
  readonly interrupted: number;
  readonly interruptedBy: Record<string, number>;
  readonly dropped: number;
  readonly sentRate: number;
  readonly windowMs: number;
  readonly durationMs: number;
  /** state.plannedIterations: squall's own planned count (arrival-rate only). */
  readonly planned: number | undefined;
}

interface CaseExtra {
  readonly code?: number;
  readonly thresholds?: Record<string, unknown>;
  readonly onStderr?: (stderrSoFar: string, pid: number) => void;
}

/** Runs one scenario `s` against path /<name> and returns squall's counts next to the server's. */
async function runCase(name: string, s: Record<string, unknown>, extra: CaseExtra = {}): Promise<Counts> {
  const options = { scenarios: { [name]: s }, ...(extra.thresholds === undefined ? {} : { thresholds: extra.thresholds }) };
  const r = await runWithOptions(options, { baseUrl, path: name, args: ['--workers', '2'], onStderr: extra.onStderr });
  expect(r.code, r.stderr).toBe(extra.code ?? 0);
  await new Promise((resolve) => setTimeout(resolve, 50)); // bytes the kernel still holds reach the server
  const m = r.summary.metrics;
  const count = (key: string): number => m[key]?.values.count ?? 0;
  const times = seen.get(`/${name}`) ?? [];
  const interruptedBy: Record<string, number> = {};
  for (const key of Object.keys(m)) {
    const cause = /^iterations_interrupted\{cause:(\w+)\}$/.exec(key)?.[1];
    if (cause !== undefined) interruptedBy[cause] = count(key);
  }
  return {
    server: times.length,
    serverSpanMs: times.length === 0 ? 0 : Math.max(...times) - Math.min(...times),
    sent: count('http_reqs_sent'),
    unanswered: count('http_reqs_sent{error_code:1060}'),
    reqs: count('http_reqs'),
    iterations: count('iterations'),
    interrupted: count('iterations_interrupted'),
    interruptedBy,
    dropped: count('dropped_iterations'),
    sentRate: m.http_reqs_sent?.values.rate ?? 0,
    windowMs: r.summary.state.requestsSentWindowMs,
    durationMs: r.summary.state.testRunDurationMs,
    planned: r.summary.state.plannedIterations,
  };
}

/** What holds for every executor: the server's count is the sent count; sent requests are complete iterations plus some interrupted ones. */
function expectBalanced(c: Counts): void {
  const all = JSON.stringify(c);
  expect(c.server, all).toBeGreaterThan(0);
  expect(c.sent, all).toBe(c.server);
  expect(c.reqs + c.unanswered, all).toBe(c.sent);
  // Each complete iteration sent its one request; an interrupted one may have been cut off before
  // its request reached the wire (still waiting for a connection), so it sent one or none.
  expect(c.iterations, all).toBeLessThanOrEqual(c.reqs);
  expect(c.server - c.iterations, all).toBeGreaterThanOrEqual(0);
  expect(c.server - c.iterations, all).toBeLessThanOrEqual(c.interrupted);
  expect(Object.values(c.interruptedBy).reduce((a, b) => a + b, 0), all).toBe(c.interrupted);
  // The rate is the sent count over the sending window (test start to the later of the last
  // request written and the planned end), never over a longer span than the test's.
  expect(c.sentRate, all).toBeCloseTo(c.sent / (c.windowMs / 1000), 6);
  expect(c.windowMs, all).toBeLessThanOrEqual(c.durationMs);
}

/** A time-based scenario's window starts at the test's start and reaches at least its planned end (later only for a request due before it and written late). */
function expectWindowFrom(c: Counts, plannedEndMs: number): void {
  expect(c.windowMs, JSON.stringify(c)).toBeGreaterThanOrEqual(plannedEndMs);
}

/** gracefulStop 0 cuts off what is in flight at the end; a gracefulStop longer than DELAY_MS lets it finish. */
function expectEnd(c: Counts, gracefulStop: '0s' | '1s', cause = 'gracefulStop'): void {
  if (gracefulStop === '0s') {
    expect(c.interruptedBy[cause] ?? 0).toBeGreaterThan(0);
    expect(c.unanswered).toBeGreaterThan(0);
  } else {
    expect(c.interrupted).toBe(0);
    expect(c.unanswered).toBe(0);
  }
}

describe.concurrent('ground truth: every request the server saw is in the summary', () => {
  it('the issue case: 200/s for 3 s, gracefulStop 0, 500 ms answers: 600 sent, ~500 complete, ~100 interrupted, 200/s', async () => {
    const c = await runCase('issue', { executor: 'constant-arrival-rate', rate: 200, duration: '3s', preAllocatedVUs: 200, maxVUs: 300, gracefulStop: '0s' });
    expectBalanced(c);
    expect(c.iterations + c.interrupted + c.dropped).toBe(600);
    expect(c.planned).toBe(600);
    // 600 on a quiet machine; on a loaded one an iteration due in the last ms may be cut off while
    // its connection is still being opened: it then sent nothing, and the server saw one fewer.
    expect(c.server).toBeGreaterThanOrEqual(590);
    expect(c.dropped).toBe(0);
    // Iterations due in the last 500 ms cannot have their answer by 3 s: 500 complete + 100
    // interrupted on a quiet machine (499-501 complete measured). How many exactly depends on when
    // the cut-off ran (a busy event loop runs it late), so only "some" is asserted here.
    expect(c.interrupted).toBeGreaterThan(0);
    expect(c.interruptedBy).toEqual({ gracefulStop: c.interrupted });
    // Requests due before 3 s that went out a ms late end the window just after it: 200/s within 1%.
    expect(c.windowMs).toBeGreaterThanOrEqual(3000);
    expect(Math.abs(c.sentRate - 200)).toBeLessThan(2);
  });

  for (const gracefulStop of ['0s', '1s'] as const) {
    it(`constant-arrival-rate, startTime 300ms, gracefulStop ${gracefulStop}: iterations + interrupted + dropped = planned, rate = planned rate`, async () => {
      const c = await runCase(`car-${gracefulStop}`, {
        executor: 'constant-arrival-rate', rate: 50, duration: '1s', startTime: '300ms', preAllocatedVUs: 30, maxVUs: 30, gracefulStop,
      });
      expectBalanced(c);
      expectEnd(c, gracefulStop);
      expect(c.iterations + c.interrupted + c.dropped).toBe(50);
      expect(c.planned).toBe(50);
      expect(c.dropped).toBe(0);
      expectWindowFrom(c, 1300);
      expect(c.sentRate).toBeLessThanOrEqual(50 / 1.3 + 1e-9);
    });

    it(`ramping-arrival-rate up and down, gracefulStop ${gracefulStop}: iterations + interrupted + dropped = planned`, async () => {
      // 0 -> 60/s over 1 s (30), 60/s for 0.5 s (30), 60 -> 20/s over 0.5 s (20): 80 planned.
      const c = await runCase(`rar-${gracefulStop}`, {
        executor: 'ramping-arrival-rate', startRate: 0, timeUnit: '1s', preAllocatedVUs: 30, maxVUs: 30, gracefulStop,
        stages: [{ target: 60, duration: '1s' }, { target: 60, duration: '500ms' }, { target: 20, duration: '500ms' }],
      });
      expectBalanced(c);
      expectEnd(c, gracefulStop);
      expect(c.iterations + c.interrupted + c.dropped).toBe(80);
      expect(c.planned).toBe(80);
      expectWindowFrom(c, 2000);
    });

    it(`constant-vus, gracefulStop ${gracefulStop}`, async () => {
      const c = await runCase(`cvus-${gracefulStop}`, { executor: 'constant-vus', vus: 4, duration: '1s', gracefulStop });
      expectBalanced(c);
      expect(c.planned).toBeUndefined();
      expectEnd(c, gracefulStop);
      expectWindowFrom(c, 1000);
    });

    it(`ramping-vus with a ramp-down (gracefulRampDown ${gracefulStop}) and gracefulStop ${gracefulStop}`, async () => {
      const c = await runCase(`rvus-${gracefulStop}`, {
        executor: 'ramping-vus', startVUs: 0, gracefulStop, gracefulRampDown: gracefulStop,
        stages: [{ target: 6, duration: '400ms' }, { target: 6, duration: '400ms' }, { target: 2, duration: '400ms' }],
      });
      expectBalanced(c);
      expectEnd(c, gracefulStop, 'gracefulStop');
      if (gracefulStop === '0s') expect(c.interruptedBy.gracefulRampDown ?? 0).toBeGreaterThan(0);
      expectWindowFrom(c, 1200);
    });

    it(`shared-iterations cut by maxDuration, gracefulStop ${gracefulStop}`, async () => {
      const c = await runCase(`si-${gracefulStop}`, { executor: 'shared-iterations', vus: 4, iterations: 1000, maxDuration: '1s', gracefulStop });
      expectBalanced(c);
      expectEnd(c, gracefulStop);
      expect(c.iterations).toBeLessThan(1000);
    });

    it(`per-vu-iterations cut by maxDuration, gracefulStop ${gracefulStop}`, async () => {
      const c = await runCase(`pvi-${gracefulStop}`, { executor: 'per-vu-iterations', vus: 4, iterations: 100, maxDuration: '1s', gracefulStop });
      expectBalanced(c);
      expectEnd(c, gracefulStop);
    });
  }

  it('a SIGINT with gracefulStop 0: what was in flight is interrupted by the signal, and still counted as sent', async () => {
    let fired = false;
    const c = await runCase(
      'signal',
      { executor: 'constant-arrival-rate', rate: 50, duration: '30s', preAllocatedVUs: 30, maxVUs: 30, gracefulStop: '0s' },
      {
        code: 105,
        onStderr: (stderr, pid) => {
          if (fired || !stderr.includes('running (')) return;
          fired = true;
          setTimeout(() => process.kill(pid, 'SIGINT'), 300);
        },
      },
    );
    expectBalanced(c);
    expect(c.interruptedBy.signal ?? 0).toBeGreaterThan(0);
    expect(c.unanswered).toBeGreaterThan(0);
    // The window ends where the stop came, not at the planned 30 s.
    expect(c.windowMs).toBeLessThan(30_000);
  });

  it('an abortOnFail threshold: in-flight iterations are interrupted by it, their requests counted as sent', async () => {
    const c = await runCase(
      'abort',
      { executor: 'constant-arrival-rate', rate: 50, duration: '30s', preAllocatedVUs: 30, maxVUs: 30, gracefulStop: '5s' },
      { code: 99, thresholds: { iterations: [{ threshold: 'count<10', abortOnFail: true }] } },
    );
    expectBalanced(c);
    expect(c.interruptedBy.abortOnFail ?? 0).toBeGreaterThan(0);
    expect(c.unanswered).toBeGreaterThan(0);
    expect(c.windowMs).toBeLessThan(30_000);
  });

  it('shared-iterations that finish on their own: nothing interrupted, the window ends at the last request', async () => {
    const c = await runCase('si-done', { executor: 'shared-iterations', vus: 3, iterations: 9, maxDuration: '10s', gracefulStop: '0s' });
    expectBalanced(c);
    expect(c.iterations).toBe(9);
    expect(c.interrupted).toBe(0);
    expect(c.unanswered).toBe(0);
    // Three rounds of 300 ms: the last requests go out after ~600 ms, the test ends ~300 ms later;
    // the server saw them spread over at most the window.
    expect(c.windowMs).toBeLessThan(c.durationMs);
    expect(c.serverSpanMs).toBeGreaterThan(0);
  });
});
