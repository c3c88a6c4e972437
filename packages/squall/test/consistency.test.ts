import { describe, expect, it } from 'vitest';
import { formatSummary } from '../src/outputs/summary-text.js';
import type { SummaryData } from '../src/metrics/types.js';

// Display faults from issue 16, each pinned.
describe('count thresholds are numbers, not times', () => {
  it('a count threshold on a time Trend shows count=302, not count=302ms', () => {
    const data: SummaryData = {
      metrics: { http_req_duration: { type: 'trend', contains: 'time', values: { avg: 10, min: 1, med: 9, max: 40, 'p(90)': 20, 'p(95)': 30, count: 302 } } },
      root_group: { name: '', path: '', id: 'root', groups: [], checks: [] },
      options: { summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'], summaryTimeUnit: null, noColor: true },
      state: { isStdOutTTY: false, isStdErrTTY: false, testRunDurationMs: 10_000 },
    };
    const out = formatSummary(data, { color: false, thresholdResults: [{ key: 'http_req_duration', source: 'count>1000', ok: false, actual: 302, noData: false, abortOnFail: false }] });
    expect(out).toContain('count=302');
    expect(out).not.toContain('count=302ms');
  });
});

import { computeComparison } from '../src/compare/compute-comparison.js';
import { checkRuleNames, resolveRules } from '../src/compare/rules.js';
import { formatChange } from '../src/reports/format-value.js';
import type { RunFigures } from '../src/reports/run-figures.js';
import { SquallError } from '../src/errors.js';
import { exitCodeForError } from '../src/cli/exit-codes.js';

function figs(errorRate: number, p95 = 10): RunFigures {
  return {
    version: 1, test: 't', runId: 'r', startedAt: '2026-01-01T00:00:00Z', durationMs: 10_000, gitRevision: null, exitCode: 0, latencyMetric: 'http_req_duration',
    metrics: { latency_p95: p95, throughput: 100, error_rate: errorRate },
    intervals: {},
    total: { name: 'all', requests: 1000, ratePerSec: 100, errorRate, latency: undefined },
    scenarios: [], endpoints: [], thresholds: [], checks: [],
  };
}

describe('regression rules: zero baselines and unknown names', () => {
  const labels = { base: 'a', current: 'b' };

  it('0 -> 1.56% errors under a relative rule is a regression, said "from 0", never ok', () => {
    const c = computeComparison(figs(0), figs(0.0156), labels, { rules: resolveRules(['error_rate:+50%'], false), noiseAware: false });
    const d = c.deltas.find((x) => x.key === 'error_rate');
    expect(d?.verdict).toBe('regression');
    expect(formatChange('latency_p95', Number.NaN, 0)).toBe('from 0');
  });

  it('0 -> 1.56% errors under the default absolute rule (+1pt) is a regression', () => {
    const c = computeComparison(figs(0), figs(0.0156), labels, { rules: resolveRules(), noiseAware: false });
    expect(c.deltas.find((x) => x.key === 'error_rate')?.verdict).toBe('regression');
  });

  it('0 -> 0 stays ok; a better move from 0 is an improvement, not a regression', () => {
    expect(computeComparison(figs(0), figs(0), labels, { rules: resolveRules(['error_rate:+50%'], false) }).deltas.find((x) => x.key === 'error_rate')?.verdict).toBe('ok');
    const up = computeComparison(figs(0, 0), figs(0, 5), labels, { rules: resolveRules(['latency_p95:-10%'], false), noiseAware: false });
    expect(up.deltas.find((x) => x.key === 'latency_p95')?.verdict).toBe('improvement');
  });

  it('a rule naming no figure is rejected with exit 104 and the valid names', () => {
    const keys = ['latency_p95', 'latency_p95{scenario:a}', 'throughput', 'error_rate', 'resource:cpu_percent'];
    expect(() => checkRuleNames(resolveRules(['latency_p95:+10%', 'resource:*:+5%'], false), keys)).not.toThrow();
    let err: unknown;
    try {
      checkRuleNames(resolveRules(['latncy_p95:+10%'], false), keys);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SquallError);
    expect(exitCodeForError(err as SquallError)).toBe(104);
    expect((err as Error).message).toBe('regression rule "latncy_p95:+10%" names no figure of these runs; valid figure names: error_rate, latency_p95, resource:cpu_percent, throughput');
  });
});

import { readdirSync } from 'node:fs';
import { basename, join as joinPath } from 'node:path';
import { runCli, scriptsDir, tmpDir, readJson } from './helpers/cli.js';

describe('one run id; history where the docs say, announced once', () => {
  it('the results dir, the history entry and the report carry the same UTC sortable run id', async () => {
    const cwd = tmpDir();
    const args = ['run', joinPath(scriptsDir, 'layers.ts'), '--no-summary', '--workers', '1', '--report', 'markdown'];
    const first = await runCli(args, { cwd });
    expect(first.code, first.stderr).toBe(0);
    const dir = /^results: (\S+)$/m.exec(first.stderr)?.[1] as string;
    const runId = basename(dir);
    expect(runId).toMatch(/^\d{8}T\d{6}\.\d{3}Z-layers$/);
    const historyDir = joinPath(cwd, '.squall', 'history');
    expect(first.stderr).toContain(`history: created ${historyDir} and archived this run there`);
    expect(readdirSync(joinPath(historyDir, 'layers'))).toEqual([runId]);
    expect(readJson(joinPath(historyDir, 'layers', runId, 'figures.json')).runId).toBe(runId);
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(joinPath(dir, 'report.md'), 'utf8')).toContain(`**Test ID**: ${runId}`);
    const second = await runCli(args, { cwd });
    expect(second.code).toBe(0);
    expect(second.stderr).not.toContain('history: created');
  });
});
