import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startActivityTarget, stopActivityTargets } from './helpers/activity-target.js';
import { readJson, runCli, scriptsDir, tmpDir } from './helpers/cli.js';
import { formatMaxRateStep, type ReportedStep } from '../src/pipeline/max-rate-step-line.js';

afterEach(stopActivityTargets);

async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return Number(line?.split(' ')[1] ?? NaN);
}

/** The target's capacity measured without squall: queue 6,000 events at once, time how fast they are stored. */
async function measureCapacity(url: string): Promise<number> {
  const line = (i: number) =>
    JSON.stringify({ kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Metadata', auditID: `cap-${i}`, stage: 'ResponseComplete', requestURI: '/api/v1/pods', verb: 'get',
      user: { username: 'u' }, objectRef: { resource: 'pods', namespace: 'default', apiVersion: 'v1' }, responseStatus: { code: 200 },
      requestReceivedTimestamp: new Date().toISOString(), stageTimestamp: new Date().toISOString(),
      annotations: { 'platform.miloapis.com/scope.type': 'tenant', 'platform.miloapis.com/scope.name': 'cap' } });
  for (let b = 0; b < 12; b++) {
    const body = Array.from({ length: 500 }, (_, i) => line(b * 500 + i)).join('\n');
    const res = await fetch(`${url}/events/bulk`, { method: 'POST', body, headers: { 'content-type': 'application/x-ndjson' } });
    expect(res.status).toBe(202);
  }
  const start = await metric(url, 'activity_rows_stored_total');
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, 3000));
  const end = await metric(url, 'activity_rows_stored_total');
  const perSec = (end - start) / ((performance.now() - t0) / 1000);
  // Let the rest drain before the search starts.
  while ((await metric(url, 'activity_queue_depth_events')) > 0) await new Promise((r) => setTimeout(r, 200));
  return perSec;
}

describe('squall max-rate', () => {
  it('finds a rate near the capacity of a target measured independently, with evidence per step', async () => {
    const url = await startActivityTarget(['--platform-token', 'max-rate-token', '--flush-interval', '50', '--queue-capacity', '1000000', '--fault', 'insert-rate=1000']);
    const capacity = await measureCapacity(url);
    // The fault holds the writer to 1,000 events/s; the independent measurement sees about that.
    expect(capacity).toBeGreaterThan(800);
    expect(capacity).toBeLessThan(1100);

    const dir = tmpDir();
    // Each iteration queues a batch of 50 events: a scrape that catches one batch still waiting
    // (0 -> 50 at the end of a step far below capacity) is not a growing backlog, so up to 25
    // events/s of growth is accepted; above capacity the queue grows by hundreds a second.
    const r = await runCli(
      ['max-rate', join(scriptsDir, 'max-rate-ingest.ts'), '--scenario', 'ingest', '--start', '6', '--step', '4s', '--confirm', '6s', '--cooldown', '1s',
        '--precision', '0.15', '--budget', '100s', '--backlog', 'queue_depth', '--max-backlog-growth', '25', '--export', 'evidence.json', '-e', `TARGET=${url}`, '--workers', '1'],
      { cwd: dir, timeoutMs: 150_000 },
    );
    expect(r.code, r.stderr).toBe(0);
    const e = readJson(join(dir, 'evidence.json'));
    // 50 events per iteration: the rate found, in events/s, is at most the capacity and near it
    // (within the bisection's precision when the machine is quiet; 40% leaves room for a busy one).
    const found = e.maxRate * 50;
    const evidence = JSON.stringify(e.steps.map((s: any) => [s.kind, s.rate, s.pass, s.reasons]));
    expect(found, evidence).toBeLessThanOrEqual(capacity * 1.1);
    expect(found, evidence).toBeGreaterThanOrEqual(capacity * 0.6);
    expect(e.confirmed).toBe(true);
    // Rates above the capacity failed because the backlog grew, and the evidence says so.
    const failed = e.steps.filter((s: any) => !s.pass);
    expect(failed.length).toBeGreaterThan(0);
    for (const s of failed) expect(s.rate * 50).toBeGreaterThan(capacity * 0.9);
    expect(failed.some((s: any) => s.reasons.some((x: string) => x.startsWith('backlog queue_depth grew')))).toBe(true);
    expect(r.stdout).toMatch(new RegExp(`max sustainable rate: ${e.maxRate}/s \\(scenario ingest\\), held for 6 s`));
    expect(r.stderr).toMatch(/step 1 ramp +6\/s for 4s: holds/);
  }, 180_000);

  it('names the problem with the scenario or flags (exit 104)', async () => {
    const dir = tmpDir();
    const r = await runCli(['max-rate', join(scriptsDir, 'max-rate-ingest.ts'), '--start', '0', '--growth', '50', '--step', '10ms'], { cwd: dir });
    expect(r.code).toBe(104);
    expect(r.stderr).toContain('--scenario: is required');
    expect(r.stderr).toContain('--start: must be an integer at least 1, but is "0"');
    expect(r.stderr).toContain('--growth: must be a number from 1.1 to 10, but is "50"');
    expect(r.stderr).toContain('--step: must be a duration of at least 1s');
    const r2 = await runCli(['max-rate', join(scriptsDir, 'max-rate-ingest.ts'), '--scenario', 'nope', '--start', '5', '-e', 'TARGET=http://127.0.0.1:9'], { cwd: dir });
    expect(r2.code).toBe(104);
    expect(r2.stderr).toContain('--scenario: the script has no scenario "nope"; its scenarios: ingest');
  });
});

describe('the max-rate step line', () => {
  const step = (over: Partial<ReportedStep>): ReportedStep => ({
    index: 2, rate: 40, kind: 'ramp', durationMs: 4000, pass: false, reasons: [], interrupted: false,
    targetRatePerSec: 40, achievedRatePerSec: 39.5, iterations: 158, droppedIterations: 0, httpReqDurationP95Ms: 12.34, httpReqFailedRate: 0.0213,
    thresholds: [], backlog: undefined, recoveryMs: undefined, ...over,
  });

  it('leads with the threshold that failed the step and its own figure, not duration p95', () => {
    const line = formatMaxRateStep(step({
      thresholds: [
        { key: 'http_req_duration', source: 'p(95)<500', ok: true, actual: 12.34 },
        { key: 'http_req_failed', source: 'rate<0.01', ok: false, actual: 0.0213 },
      ],
      reasons: ['threshold http_req_failed: rate<0.01 failed (actual 0.0213)'],
    }), 1000);
    expect(line).toMatch(/^step 3 ramp\s+40\/s for 4s: FAILS on http_req_failed rate<0\.01: 0\.0213 \(/);
    expect(line).not.toMatch(/FAILS on http_req_duration/);
  });

  it('names every failing threshold and the other reasons (dropped iterations, backlog)', () => {
    const line = formatMaxRateStep(step({
      thresholds: [
        { key: 'http_req_duration', source: 'p(99)<300', ok: false, actual: 420.5 },
        { key: 'checks', source: 'rate>0.99', ok: false, actual: 0.95 },
      ],
      reasons: ['threshold http_req_duration: p(99)<300 failed (actual 420.5)', 'threshold checks: rate>0.99 failed (actual 0.95)', 'backlog queue_depth grew 12.0/s (from 0 to 48)'],
    }), 1000);
    expect(line).toContain('FAILS on http_req_duration p(99)<300: 420.5; checks rate>0.99: 0.9500; backlog queue_depth grew 12.0/s');
  });

  it('a holding step says so with its figures', () => {
    expect(formatMaxRateStep(step({ pass: true, httpReqFailedRate: 0 }), 1000)).toBe('step 3 ramp          40/s for 4s: holds (achieved 39.5 it/s, p95 12.3 ms, failed 0.00%)');
  });
});
