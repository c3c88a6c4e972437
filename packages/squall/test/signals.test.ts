import { describe, expect, it } from 'vitest';
import { runWithOptions } from './helpers/run-options.js';

/** Calls `then(pid)` once, when the run's first progress line shows the load is running (start-up can be slow on a busy machine). */
function onceRunning(then: (pid: number) => void): (stderr: string, pid: number) => void {
  let fired = false;
  return (stderr, pid) => {
    if (fired || !stderr.includes('running (')) return;
    fired = true;
    then(pid);
  };
}

describe('signals', () => {
  it('first SIGINT stops gracefully, runs teardown, writes the summary and exits 105', async () => {
    const started = Date.now();
    const r = await runWithOptions(
      { scenarios: { long: { executor: 'constant-vus', vus: 2, duration: '60s', gracefulStop: '5s' } } },
      { sleepS: 0.2, onStderr: onceRunning((pid) => setTimeout(() => process.kill(pid, 'SIGINT'), 1000)) },
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
        onStderr: onceRunning((pid) => {
          process.kill(pid, 'SIGINT');
          setTimeout(() => process.kill(pid, 'SIGINT'), 1000);
        }),
      },
    );
    expect(r.code).toBe(105);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(r.summary).toBeDefined();
    expect(r.stderr).toContain('stopping now');
  });
});
