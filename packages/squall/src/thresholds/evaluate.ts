import type { MetricSummary, SummaryData, SummaryValues } from '../metrics/types.js';
import type { ParsedThreshold, ThresholdOperator, ThresholdSet, ThresholdTarget } from './types.js';

/** Outcome of one threshold expression at one evaluation. */
export interface ThresholdResult {
  /** The target key as written: `http_req_duration{status:200}`. */
  key: string;
  /** The expression as written: `p(95)<500`. */
  source: string;
  ok: boolean;
  /** The value compared; `undefined` only when `noData`. */
  actual: number | undefined;
  /** The metric (Trend or Gauge) had no samples: the threshold passes, as in k6. */
  noData: boolean;
  abortOnFail: boolean;
}

const COMPARE: Readonly<Record<ThresholdOperator, (a: number, b: number) => boolean>> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '==': (a, b) => a === b,
  '===': (a, b) => a === b,
  '!=': (a, b) => a !== b,
};

// Counter `count`/`rate` and Rate `rate` read as 0 without samples (k6); the other aggregations
// belong to Trends and Gauges, which have no meaningful value then.
const ZERO_WHEN_EMPTY: ReadonlySet<string> = new Set(['count', 'rate']);
const TREND_STATS: ReadonlySet<string> = new Set(['avg', 'min', 'max', 'med']);

/**
 * Judges thresholds against current values. `valuesFor` returns a target's summary values, or
 * `undefined` when its series has no samples. `elapsedMs` is test time so far.
 * 'live' (during the run): only `abortOnFail` thresholds whose `delayAbortEvalMs` has passed are
 * evaluated, and `abort` is the first failing one. 'final' (on the merged end-of-test summary):
 * all are evaluated and `abort` is always `undefined`.
 */
export function evaluateThresholds(
  set: ThresholdSet,
  valuesFor: (target: ThresholdTarget) => SummaryValues | undefined,
  elapsedMs: number,
  phase: 'live' | 'final',
): { results: ThresholdResult[]; abort: ThresholdResult | undefined } {
  const results: ThresholdResult[] = [];
  let abort: ThresholdResult | undefined;
  for (const target of set) {
    const due =
      phase === 'final'
        ? target.thresholds
        : target.thresholds.filter((t) => t.abortOnFail && elapsedMs >= t.delayAbortEvalMs);
    if (due.length === 0) continue;
    const values = valuesFor(target);
    for (const t of due) {
      const result = evaluateOne(target.key, t, values);
      results.push(result);
      if (phase === 'live' && !result.ok && abort === undefined) abort = result;
    }
  }
  return { results, abort };
}

function evaluateOne(key: string, t: ParsedThreshold, values: SummaryValues | undefined): ThresholdResult {
  let actual = values?.[t.aggregation];
  if (actual === undefined || Number.isNaN(actual)) {
    actual = ZERO_WHEN_EMPTY.has(t.aggregation) ? 0 : undefined;
  }
  if (actual === undefined) {
    return { key, source: t.source, ok: true, actual: undefined, noData: true, abortOnFail: t.abortOnFail };
  }
  return { key, source: t.source, ok: COMPARE[t.operator](actual, t.value), actual, noData: false, abortOnFail: t.abortOnFail };
}

/**
 * Trend statistics the thresholds read (`avg`, `med`, `p(95)`, `p(99.9)`...), distinct, in first-use
 * order, so the aggregator computes them even when `summaryTrendStats` leaves them out. Percentile
 * names are normalised as `percentileName` writes them.
 */
export function statsNeeded(set: ThresholdSet): string[] {
  const stats = new Set<string>();
  for (const target of set) {
    for (const t of target.thresholds) {
      if (TREND_STATS.has(t.aggregation) || t.aggregation.startsWith('p(')) stats.add(t.aggregation);
    }
  }
  return [...stats];
}

/**
 * Records outcomes in the summary as k6 does: `metrics[KEY].thresholds[source] = { ok }`. Called once
 * on the final summary. A target with no entry yet (no samples at all) gets one with empty values,
 * its type and contents taken from its parent metric when present, so a threshold is never dropped.
 */
export function attachThresholds(summary: SummaryData, set: ThresholdSet, results: ThresholdResult[]): void {
  for (const target of set) {
    let entry = summary.metrics[target.key];
    if (entry === undefined) {
      entry = placeholderFor(target, summary.metrics[target.metric]);
      summary.metrics[target.key] = entry;
    }
    const outcomes: Record<string, { ok: boolean }> = entry.thresholds ?? {};
    for (const r of results) {
      if (r.key === target.key) outcomes[r.source] = { ok: r.ok };
    }
    entry.thresholds = outcomes;
  }
}

function placeholderFor(target: ThresholdTarget, parent: MetricSummary | undefined): MetricSummary {
  if (parent !== undefined) return { type: parent.type, contains: parent.contains, values: {} };
  const agg = target.thresholds[0]?.aggregation ?? 'count';
  const type = agg === 'count' ? 'counter' : agg === 'rate' ? 'rate' : agg === 'value' ? 'gauge' : 'trend';
  return { type, contains: 'default', values: {} };
}
