import { describe, expect, it } from 'vitest';
import { runWithOptions } from './helpers/run-options.js';

describe('signals', () => {
  it('first SIGINT stops gracefully, runs teardown, writes the summary and exits 105', async () => {
    const started = Date.now();
    const r = await runWithOptions(
      { scenarios: { long: { executor: 'constant-vus', vus: 2, duration: '60s', gracefulStop: '5s' } } },
      { sleepS: 0.2, onSpawn: (pid) => setTimeout(() => process.kill(pid, 'SIGINT'), 3000) },
    );
    expect(r.code).toBe(105);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(r.summary.metrics.iterations.values.count).toBeGreaterThan(2);
    expect(r.stderr).toContain('stopping gracefully');
  });

  it('a second SIGINT stops at once and still writes the summary', async () => {
    const started = Date.now();
    const r = await runWithOptions(
      { scenarios: { long: { executor: 'constant-vus', vus: 2, duration: '60s', gracefulStop: '60s' } } },
      {
        sleepS: 50,
        onSpawn: (pid) => {
          setTimeout(() => process.kill(pid, 'SIGINT'), 2500);
          setTimeout(() => process.kill(pid, 'SIGINT'), 3500);
        },
      },
    );
    expect(r.code).toBe(105);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(r.summary).toBeDefined();
    expect(r.stderr).toContain('stopping now');
  });
});
