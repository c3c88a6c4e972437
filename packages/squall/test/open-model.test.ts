import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWithOptions } from './helpers/run-options.js';
import { startServer, type TestServer } from './helpers/server.js';

// The server stalls every response for 600 ms, one second after its first request.
let server: TestServer;
let stallFrom = 0;
beforeAll(async () => {
  server = await startServer(async (req, res) => {
    const now = Date.now();
    if (stallFrom === 0) stallFrom = now + 1000; // one second after the first request
    if (stallFrom > 0 && now >= stallFrom && now < stallFrom + 600) {
      await new Promise((r) => setTimeout(r, stallFrom + 600 - now));
    }
    res.end('ok');
  });
});
afterAll(async () => {
  await server.close();
});

describe('open-model latency', () => {
  it('shows a 600 ms stall that per-request durations hide behind a bounded pool', async () => {
    // 100/s for 3 s through 2 connections: during the stall the queue grows; requests sent after it are fast.
    const r = await runWithOptions(
      { scenarios: { o: { executor: 'constant-arrival-rate', rate: 100, duration: '3s', preAllocatedVUs: 100, maxVUs: 200 } }, summaryTrendStats: ['avg', 'p(50)', 'p(90)', 'max'] },
      { baseUrl: server.url, args: ['--workers', '1', '--connections', '2'] },
    );
    expect(r.code).toBe(0);
    const m = r.summary.metrics;
    expect(m.dropped_iterations?.values.count ?? 0).toBe(0);
    // k6-style duration: only the two requests caught on the wire see the stall.
    expect(m.http_req_duration.values['p(90)']).toBeLessThan(100);
    // Open-model latency: every request due during the stall waited for it.
    expect(m.http_req_latency.values.max).toBeGreaterThan(450);
    expect(m.http_req_latency.values['p(90)']).toBeGreaterThan(100);
    expect(m.http_req_blocked.values.max).toBeGreaterThan(300);
  });
});
