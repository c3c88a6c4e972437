import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, scriptsDir, tmpDir } from './helpers/cli.js';
import { startServer, type TestServer } from './helpers/server.js';
import { computeComparison } from '../src/compare/compute-comparison.js';
import { normalCdf, rankTestGreater } from '../src/compare/rank-test.js';
import { parseRule, resolveRules, ruleFor } from '../src/compare/rules.js';
import type { RunFigures } from '../src/reports/run-figures.js';
import { computeThresholdStatuses } from '../src/reports/threshold-status.js';

describe('regression rules', () => {
  it.each([
    ['latency_p95:+20%', { metric: 'latency_p95', worse: 'increase', limit: 20, unit: 'percent' }],
    ['throughput:-10%', { metric: 'throughput', worse: 'decrease', limit: 10, unit: 'percent' }],
    ['error_rate:+1pt', { metric: 'error_rate', worse: 'increase', limit: 1, unit: 'points' }],
    ['resource:*:+15%', { metric: 'resource:*', worse: 'increase', limit: 15, unit: 'percent' }],
  ])('parses %s', (text, want) => {
    expect(parseRule(text)).toMatchObject(want);
  });

  it.each(['latency_p95', 'latency_p95:20%', ':+20%', 'x:+abc%', 'x:+5ms'])('rejects %s with the grammar in the message', (text) => {
    expect(() => parseRule(text)).toThrow(/expected METRIC:\+N% , METRIC:-N% or METRIC:\+Npt/);
  });

  it('later rules override earlier ones and cover per-scenario keys', () => {
    const rules = resolveRules(['latency_p95:+5%']);
    expect(ruleFor(rules, 'latency_p95')?.limit).toBe(5);
    expect(ruleFor(rules, 'latency_p95{scenario:api}')?.limit).toBe(5);
    expect(ruleFor(rules, 'resource:cpu_percent')?.limit).toBe(15);
    expect(ruleFor(rules, 'latency_p50')).toBeUndefined();
  });
});

describe('rank test', () => {
  it('normalCdf matches known values', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 6);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 5);
    expect(normalCdf(-1.644854)).toBeCloseTo(0.05, 5);
  });

  it('separated samples give a small p-value; equal ones 0.5; overlapping ones in between', () => {
    expect(rankTestGreater([1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12]).pValue).toBeLessThan(0.005);
    expect(rankTestGreater([7, 8, 9, 10, 11, 12], [1, 2, 3, 4, 5, 6]).pValue).toBeGreaterThan(0.99);
    expect(rankTestGreater([5, 5, 5], [5, 5, 5]).pValue).toBe(0.5);
    const p = rankTestGreater([1, 3, 5, 7, 9, 11], [2, 4, 6, 8, 10, 12]).pValue;
    expect(p).toBeGreaterThan(0.2);
    expect(p).toBeLessThan(0.5);
  });
});

function figures(p95: number, intervals: number[], throughput = 100): RunFigures {
  return {
    version: 1, test: 't', runId: `r${p95}`, startedAt: '2026-01-01T00:00:00Z', durationMs: 10_000, gitRevision: null, exitCode: 0, latencyMetric: 'http_req_duration',
    metrics: { latency_p95: p95, throughput, error_rate: 0 },
    intervals: { latency_p95: intervals, throughput: intervals.map(() => throughput) },
    total: { name: 'all', requests: 1000, ratePerSec: throughput, errorRate: 0, latency: undefined },
    scenarios: [], endpoints: [], thresholds: [], checks: [],
  };
}

describe('computeComparison', () => {
  const rules = resolveRules();
  const labels = { base: 'a', current: 'b' };

  it('beyond the rule and separated from noise: regression with its confidence', () => {
    const c = computeComparison(figures(10, [10, 10.2, 9.9, 10.1, 10, 9.8]), figures(13, [13, 12.8, 13.1, 13.2, 12.9, 13]), labels, { rules });
    const d = c.deltas.find((x) => x.key === 'latency_p95');
    expect(d).toMatchObject({ verdict: 'regression', direction: 'worse', exceedsRule: true });
    expect(d?.confidence).toBeGreaterThan(0.99);
    expect(c.regressions).toBe(1);
  });

  it('beyond the rule but the intervals overlap: noise, not a regression (unless noise-awareness is off)', () => {
    const base = figures(10, [6, 14, 8, 12, 10, 11, 9, 13]);
    const cur = figures(13, [7, 15, 9, 13, 11, 12, 10, 14]);
    const c = computeComparison(base, cur, labels, { rules });
    expect(c.deltas.find((x) => x.key === 'latency_p95')?.verdict).toBe('noise');
    expect(c.regressions).toBe(0);
    expect(computeComparison(base, cur, labels, { rules, noiseAware: false }).regressions).toBe(1);
  });

  it('without interval samples the rule alone decides (baselines from other tools)', () => {
    const c = computeComparison(figures(10, []), figures(12.5, []), labels, { rules });
    expect(c.deltas.find((x) => x.key === 'latency_p95')).toMatchObject({ verdict: 'regression', confidence: undefined });
  });

  it('within the rule: ok; better beyond it: improvement', () => {
    expect(computeComparison(figures(10, []), figures(11.9, []), labels, { rules }).deltas.find((x) => x.key === 'latency_p95')?.verdict).toBe('ok');
    expect(computeComparison(figures(10, []), figures(7, []), labels, { rules }).deltas.find((x) => x.key === 'latency_p95')?.verdict).toBe('improvement');
    expect(computeComparison(figures(10, [], 100), figures(10, [], 89), labels, { rules }).deltas.find((x) => x.key === 'throughput')?.verdict).toBe('regression');
  });
});

describe('threshold status with a warning band', () => {
  const summary = { metrics: { http_req_duration: { type: 'trend', contains: 'time', values: {} } }, root_group: { name: '', path: '', groups: [], checks: [] }, state: { testRunDurationMs: 1 } };
  it.each([
    ['p(95)<200', 150, true, 'PASS'],
    ['p(95)<200', 185, true, 'WARN'],
    ['p(95)<200', 250, false, 'FAIL'],
    ['rate>0.9', 0.95, true, 'WARN'],
    ['rate>0.5', 0.95, true, 'PASS'],
    ['count==0', 0, true, 'PASS'],
  ] as const)('%s with %d is %s', (source, actual, ok, want) => {
    const [s] = computeThresholdStatuses([{ key: 'http_req_duration', source, ok, actual }], summary);
    expect(s?.status).toBe(want);
  });
});

// Rules enter through `squall compare --rule`, `squall report --rule` (with --baseline or
// --history-dir) and nowhere else: no config, suite or baseline file carries rules.
describe('a rule naming no figure is exit 104 with the valid names, in every path rules enter', () => {
  let server: TestServer;
  let dir: string;
  beforeAll(async () => {
    server = await startServer();
    dir = tmpDir();
    const r = await runCli(['run', join(scriptsDir, 'basic.ts'), '-e', `BASE_URL=${server.url}`, '--iterations', '3', '--results-dir', 'run', '--no-history', '--quiet'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const b = await runCli(['baseline', 'update', 'run', '--name', 'base'], { cwd: dir });
    expect(b.code, b.stderr).toBe(0);
  });
  afterAll(() => server.close());

  const typo = 'latncy_p95:+10%';
  it.each([
    ['compare', ['compare', 'run', 'run', '--rule', typo]],
    ['report --baseline', ['report', 'run', '--baseline', 'base', '--rule', typo]],
    ['report --history-dir', ['report', 'run', '--history-dir', 'hist', '--rule', typo]],
    ['report (no comparison)', ['report', 'run', '--rule', typo]],
  ])('%s', async (_name, args) => {
    const r = await runCli(args, { cwd: dir });
    expect(r.code, r.stderr).toBe(104);
    expect(r.stderr).toContain(`regression rule "${typo}" names no figure of these runs; valid figure names: `);
    expect(r.stderr).toMatch(/valid figure names: .*latency_p95.*throughput/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('known names (and wildcard forms) pass', async () => {
    const r = await runCli(['report', 'run', '--baseline', 'base', '--rule', 'latency_p95:+50%', '--rule', 'latency_p9*:+20%', '--rule', 'error_rate:+2pt', '--markdown', 'r.md'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
  });
});
