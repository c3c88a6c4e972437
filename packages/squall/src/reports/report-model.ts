import { countLines } from '../metrics/counts.js';
import { computeComparison, type Comparison } from '../compare/compute-comparison.js';
import { checkGivenRuleNames, resolveRules, type RegressionRule } from '../compare/rules.js';
import { computeChartData, DISTRIBUTION_PERCENTILES, type ChartData } from './chart-data.js';
import { hdrPercentiles } from '../metrics/hdr.js';
import type { RunResults } from './results-reader.js';
import { computeRollup } from './rollup.js';
import { computeRunFigures, type FiguresOptions, type RunFigures } from './run-figures.js';
import { computeSoak, type SoakAnalysis } from './soak.js';
import { computeThresholdStatuses, type Status, type ThresholdStatus } from './threshold-status.js';
import { computeRecommendations, type ResourceRow } from './recommendations.js';
import type { TimeSeriesPoint } from '../metrics/time-series-point.js';

/** Another run to set beside this one: its figures and where they came from. */
export interface OtherRun {
  readonly figures: RunFigures;
  readonly label: string;
}

/** Options for computeReportModel (and writeReports). */
export interface ReportOptions extends FiguresOptions {
  /** The previous run of the same test (trends section). */
  readonly previous?: OtherRun;
  /** A baseline to compare against with `rules` (comparison section; regressions fail the report). */
  readonly baseline?: OtherRun;
  readonly rules?: readonly RegressionRule[];
  /** Share of a threshold's limit within which a held threshold is WARN (default 0.1). */
  readonly warnBand?: number;
  /** Soak analysis window in ms (default: a tenth of the run, at least 10 s); 0 turns it off. */
  readonly soakWindowMs?: number;
  /** Most chart points (default 600). */
  readonly maxChartPoints?: number;
  /** Report title (default `<test> performance test report`). */
  readonly title?: string;
}

/** Everything a report shows, computed once and formatted by each reporter. Plain data. */
export interface ReportModel {
  readonly title: string;
  readonly figures: RunFigures;
  readonly endedAt: string;
  readonly config: readonly (readonly [string, string])[];
  readonly scenarioConfig: readonly (readonly [string, string])[];
  readonly thresholds: readonly ThresholdStatus[];
  readonly charts: ChartData;
  /** Latency distribution over the whole run: percentiles and values (ms). */
  readonly distribution: { readonly percentiles: readonly number[]; readonly valuesMs: readonly number[] };
  readonly errors: readonly (readonly [string, number])[];
  readonly trend: Comparison | undefined;
  readonly baseline: Comparison | undefined;
  readonly soak: SoakAnalysis | undefined;
  readonly overall: Status;
  readonly warnBand: number;
  /** Iterations complete / interrupted / dropped and requests sent / unanswered, one line each (metrics/counts.ts). */
  readonly counts: readonly string[];
  /** Resource gauges (target CPU, memory...): mean, peak, last. */
  readonly resources: readonly ResourceRow[];
  /** What to do, most serious first; empty when nothing needs doing. */
  readonly recommendations: readonly string[];
}

/** Mean, peak and last value of each resource gauge over the run's points. */
function resourceRows(points: readonly TimeSeriesPoint[], names: readonly string[]): ResourceRow[] {
  return names.flatMap((name) => {
    const xs: number[] = [];
    for (const p of points) {
      const a = p.metrics[name]?.total.agg;
      if (a?.type === 'gauge' && Number.isFinite(a.value)) xs.push(a.value);
    }
    if (xs.length === 0) return [];
    const unit = /_bytes$/.test(name) ? 'bytes' : /cpu/i.test(name) ? 'cores' : 'count';
    return [{ name, unit, mean: xs.reduce((a, b) => a + b, 0) / xs.length, peak: Math.max(...xs), last: xs[xs.length - 1] as number } as const];
  });
}

function describeScenario(s: Record<string, unknown>): string {
  const parts = [String(s.executor ?? '?')];
  const ms = (v: unknown) => (typeof v === 'number' ? `${v / 1000}s` : undefined);
  if (typeof s.vus === 'number') parts.push(`${s.vus} VUs`);
  if (typeof s.rate === 'number') parts.push(`${s.rate} per ${ms(s.timeUnitMs) ?? '1s'}`);
  if (typeof s.maxVUs === 'number') parts.push(`max ${s.maxVUs} VUs`);
  if (typeof s.iterations === 'number') parts.push(`${s.iterations} iterations`);
  if (Array.isArray(s.stages)) parts.push(`${s.stages.length} stages`);
  const d = ms(s.durationMs);
  if (d !== undefined) parts.push(d);
  if (typeof s.startTimeMs === 'number' && s.startTimeMs > 0) parts.push(`starts at ${ms(s.startTimeMs)}`);
  return parts.join(', ');
}

/** Computes the report model of a run (pure apart from reading nothing: `results` is in memory). */
export function computeReportModel(results: RunResults, opts: ReportOptions = {}): ReportModel {
  const figures = computeRunFigures(results, opts);
  const warnBand = opts.warnBand ?? 0.1;
  const thresholds = computeThresholdStatuses(results.meta.thresholds, results.summary, warnBand);
  const rollup = computeRollup(results.points, opts.latencyMetric);
  const t = rollup.total;
  const distribution = t.latencyCount === 0 ? [] : hdrPercentiles(t.latency, DISTRIBUTION_PERCENTILES, t.latencyMinMs, t.latencyMaxMs);
  const resources = Object.keys(figures.metrics).filter((k) => k.startsWith('resource:')).map((k) => k.slice('resource:'.length));
  const rules = opts.rules ?? resolveRules();
  // A typo in a rule would otherwise pass silently as "ok" (or never apply).
  checkGivenRuleNames(rules, [...Object.keys(figures.metrics), ...Object.keys(opts.baseline?.figures.metrics ?? {})]);
  const compare = (o: OtherRun | undefined) => (o === undefined ? undefined : computeComparison(o.figures, figures, { base: o.label, current: results.dir }, { rules }));
  const trend = compare(opts.previous);
  const baseline = compare(opts.baseline);
  const soakWindowMs = opts.soakWindowMs ?? Math.max(10_000, results.meta.durationMs / 10);
  const soak = soakWindowMs > 0 ? computeSoak(results.points, { windowMs: soakWindowMs, latencyMetric: rollup.latencyMetric }) : undefined;
  const failed = thresholds.some((s) => s.status === 'FAIL') || (baseline?.regressions ?? 0) > 0 || results.meta.exitCode !== 0;
  const warned = thresholds.some((s) => s.status === 'WARN') || (trend?.regressions ?? 0) > 0 || soak?.degraded === true || figures.checks.some((c) => c.fails > 0);
  const raw = results.meta.raw;
  const options = (raw.options ?? {}) as { scenarios?: Record<string, unknown>[] };
  const host = (raw.host ?? {}) as Record<string, unknown>;
  const config: [string, string][] = [
    ['Script', results.meta.script],
    ['squall', results.meta.squallVersion],
    ['Git revision', results.meta.gitRevision ?? 'unknown'],
    ['Host', `${String(host.hostname ?? '?')} (${String(host.cpus ?? '?')} CPUs, ${String(host.platform ?? '?')}/${String(host.arch ?? '?')}, Node ${String(host.node ?? '?')})`],
    ['Latency metric', rollup.latencyMetric],
    ...Object.entries(results.meta.env).map(([k, v]) => [`env ${k}`, v] as [string, string]),
  ];
  const errors = [...rollup.errors].sort((a, b) => b[1] - a[1]);
  const resourceTable = resourceRows(results.points, resources);
  const recommendations = computeRecommendations({ figures, summary: results.summary, thresholds, errors, resources: resourceTable, baseline, soak });
  return {
    title: opts.title ?? `${figures.test} performance test report`,
    figures,
    endedAt: results.meta.endedAt,
    config,
    scenarioConfig: (options.scenarios ?? []).map((s) => [String(s.name ?? '?'), describeScenario(s)] as const),
    thresholds,
    charts: computeChartData(results.points, { maxPoints: opts.maxChartPoints, latencyMetric: rollup.latencyMetric, resources, thresholds: results.meta.thresholds, baseline: opts.baseline }),
    distribution: { percentiles: DISTRIBUTION_PERCENTILES, valuesMs: distribution },
    errors,
    trend,
    baseline,
    soak,
    overall: failed ? 'FAIL' : warned ? 'WARN' : 'PASS',
    warnBand,
    counts: countLines(results.summary),
    resources: resourceTable,
    recommendations,
  };
}
