import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tmpDir } from './helpers/cli.js';

// A history of 12 runs of test "checkout": p95 steps from ~40 ms to ~52 ms at the 9th run,
// throughput stays level. Entries are figures.json files as `squall history add` writes them.
function writeHistory(): string {
  const dir = tmpDir();
  const jitter = [0.4, -0.3, 0.1, -0.5, 0.2, 0.0, -0.2, 0.3, -0.1, 0.5, -0.4, 0.2];
  for (let i = 0; i < 12; i++) {
    const runId = `2026010${i < 9 ? 1 : 2}T0${i % 10}0000.000Z-checkout-${i}`;
    const entry = join(dir, 'checkout', runId);
    mkdirSync(entry, { recursive: true });
    const figures = {
      version: 1, test: 'checkout', runId, startedAt: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(), durationMs: 60000,
      gitRevision: null, exitCode: 0, latencyMetric: 'http_req_duration',
      metrics: { throughput: 100 + (jitter[i] ?? 0), latency_p95: (i < 8 ? 40 : 52) + (jitter[11 - i] ?? 0), error_rate: 0 },
      intervals: {}, total: {}, scenarios: [], endpoints: [], thresholds: [], checks: [],
    };
    writeFileSync(join(entry, 'figures.json'), JSON.stringify(figures));
  }
  return dir;
}

describe('squall history --changes', () => {
  it('finds the run where p95 moved, says it got worse, and sees no change in throughput', async () => {
    const hist = writeHistory();
    const r = await runCli(['history', '--history-dir', hist, '--test', 'checkout', '--changes', '--metric', 'latency_p95', '--metric', 'throughput']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/latency_p95: changed at \S+checkout-8 .*\(\+\d+\.\d%, worse\), confidence 9\d\.\d%/);
    expect(r.stdout).toContain('throughput: no change across 12 runs');
  });

  it('asks for --test', async () => {
    const r = await runCli(['history', '--history-dir', writeHistory(), '--changes']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--changes needs --test');
  });
});
