import type { Comparison } from '../compare/compute-comparison.js';
import { formatRate, sig3 } from './format-value.js';
import { sloOfThreshold } from './human-labels.js';
import type { SummaryDoc } from './results-reader.js';
import type { RunFigures } from './run-figures.js';
import type { SoakAnalysis } from './soak.js';
import type { ThresholdStatus } from './threshold-status.js';

/** One resource gauge over the run: mean, peak and last value (in the gauge's own unit). */
export interface ResourceRow {
  readonly name: string;
  readonly unit: 'bytes' | 'cores' | 'count';
  readonly mean: number;
  readonly peak: number;
  readonly last: number;
}

/** What computeRecommendations reads. */
export interface RecommendationInput {
  readonly figures: RunFigures;
  readonly summary: SummaryDoc;
  readonly thresholds: readonly ThresholdStatus[];
  readonly errors: readonly (readonly [string, number])[];
  readonly resources: readonly ResourceRow[];
  readonly baseline: Comparison | undefined;
  readonly soak: SoakAnalysis | undefined;
}

const count = (s: SummaryDoc, metric: string) => s.metrics[metric]?.values.count ?? 0;

/**
 * Recommendations from rules over a run's figures, most serious first: broken SLOs (each SLO says
 * what to look at), lost events, dropped iterations, errors, failing checks, regressions against
 * the baseline, soak degradation, a hot CPU. Empty when nothing needs doing. Pure.
 */
export function computeRecommendations(r: RecommendationInput): string[] {
  const out: string[] = [];
  for (const t of r.thresholds) {
    if (t.status !== 'FAIL') continue;
    const slo = sloOfThreshold(t.key, t.source);
    out.push(slo !== undefined ? `${slo.title} SLO broken (${t.actual}, limit ${t.target}): ${slo.recommendation}` : `Threshold ${t.key} ${t.source} failed (${t.actual}): ${t.note}.`);
  }
  const lost = count(r.summary, 'events_missing');
  if (lost > 0) out.push(`${lost} tracked event(s) were accepted (202) but never became queryable: data loss between ingest and store; check writer errors and abandoned events.`);
  const dropped = count(r.summary, 'dropped_iterations');
  if (dropped > 0) out.push(`${dropped} iteration(s) were dropped: the arrival-rate scenarios ran out of VUs, so less load was sent than asked; raise preAllocatedVUs/maxVUs or look at why iterations got slow.`);
  const err = r.figures.total.errorRate;
  if (err > 0.01) out.push(`${formatRate(err)} of requests failed${r.errors[0] === undefined ? '' : `, most often ${r.errors[0][0]} (${r.errors[0][1]} times)`}: look at the errors table and the target's logs.`);
  for (const c of r.figures.checks) if (c.fails > 0) out.push(`Check "${c.path.replace(/^::/, '')}" failed ${c.fails} of ${c.passes + c.fails} times.`);
  for (const d of r.baseline?.deltas ?? []) {
    if (d.verdict === 'regression') out.push(`${d.key} regressed against the baseline (${sig3(d.base)} -> ${sig3(d.current)}, rule ${d.rule ?? '?'}): bisect the changes since the baseline run.`);
  }
  for (const f of r.soak?.findings ?? []) out.push(`Soak: ${f}.`);
  for (const res of r.resources) {
    if (res.unit === 'cores' && res.peak > 0.85) out.push(`${res.name} peaked at ${(res.peak * 100).toFixed(0)}% of a core: the process is CPU-bound at this load; scale it out before raising the load.`);
  }
  return out;
}
