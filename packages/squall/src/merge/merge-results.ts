import type { ResolvedOptions } from '../config/types.js';
import { SquallError } from '../errors.js';
import { formatSegment } from '../executors/segment.js';
import type { Rational } from '../executors/rational.js';
import { Aggregator } from '../metrics/aggregator.js';
import type { TimeSeriesPoint } from '../metrics/time-series-point.js';
import type { MetricDef, SeriesSnapshot, SummaryData } from '../metrics/types.js';
import { attachThresholds, evaluateThresholds, statsNeeded, type ThresholdResult } from '../thresholds/evaluate.js';
import type { ResultsDir } from './read-results.js';

/** The merge of several instances' results. */
export interface MergedResults {
  readonly summary: SummaryData;
  readonly thresholdResults: readonly ThresholdResult[];
  readonly thresholdsOk: boolean;
  readonly timeSeries: readonly TimeSeriesPoint[];
  readonly options: ResolvedOptions;
  readonly startedAtEpochMs: number;
  /** Things a person should know: segments that leave gaps or overlap, differing options. */
  readonly warnings: readonly string[];
}

const INTERVAL_MS = 1000;

function ratio(r: Rational): number {
  return r.num / r.den;
}

/** Warns when the instances' execution segments do not tile 0:1 exactly, or their scenarios differ. */
function checkInstances(parts: readonly ResultsDir[]): string[] {
  const warnings: string[] = [];
  const segs = parts.map((p) => ({ dir: p.dir, seg: p.meta.options.executionSegment })).sort((a, b) => ratio(a.seg.from) - ratio(b.seg.from));
  let at = 0;
  for (const { dir, seg } of segs) {
    const from = ratio(seg.from);
    if (Math.abs(from - at) > 1e-12) warnings.push(`${from > at ? 'gap' : 'overlap'} before segment ${formatSegment(seg)} (${dir}): the merge is not the whole test`);
    at = Math.max(at, ratio(seg.to));
  }
  if (Math.abs(at - 1) > 1e-12) warnings.push(`the segments end at ${at}, not 1: the merge is not the whole test`);
  const scenarios = (p: ResultsDir) => JSON.stringify(p.meta.options.scenarios);
  const first = parts[0];
  for (const p of parts.slice(1)) {
    if (first && scenarios(p) !== scenarios(first)) warnings.push(`${p.dir} ran different scenarios than ${first.dir}`);
  }
  return warnings;
}

/**
 * Merges results directories of instances that ran parts (execution segments) of one test into
 * one exact summary: counters add, gauges keep the latest value, histograms add bucket by bucket;
 * thresholds (from the first instance's options) are judged on the merge. Sub-metric thresholds
 * can only use the time series' tags (scenario, name, method, status, error_code, expected_response,
 * group, check).
 */
export function mergeResults(parts: readonly ResultsDir[]): MergedResults {
  const first = parts[0];
  if (first === undefined) throw new SquallError('SQUALL_USAGE', 'nothing to merge: give two or more results directories');
  const options = first.meta.options;
  const aggregator = new Aggregator({
    subMetrics: options.thresholds.filter((t) => Object.keys(t.filter).length > 0).map((t) => ({ metric: t.metric, filter: t.filter, key: t.key })),
  });
  // Instances ran side by side: align their points on 1 s boundaries of the wall clock.
  const buckets = new Map<number, TimeSeriesPoint[]>();
  for (const p of parts) {
    for (const point of p.points) {
      const at = Math.floor(point.startMs / INTERVAL_MS) * INTERVAL_MS;
      let list = buckets.get(at);
      if (list === undefined) buckets.set(at, (list = []));
      list.push(point);
    }
  }
  for (const at of [...buckets.keys()].sort((a, b) => a - b)) {
    const points = buckets.get(at) ?? [];
    let endMs = at + INTERVAL_MS;
    for (const point of points) {
      const defs: MetricDef[] = [];
      const series: SeriesSnapshot[] = [];
      for (const [name, m] of Object.entries(point.metrics)) {
        defs.push({ name, type: m.type, contains: m.contains });
        for (const s of m.series) series.push({ metric: name, tags: s.tags, agg: s.agg });
      }
      aggregator.ingest({ defs, series, cutAtMs: point.endMs });
      endMs = Math.max(endMs, point.endMs);
    }
    aggregator.closeInterval(at, endMs);
  }
  const durationMs = Math.max(...parts.map((p) => p.summary.state.testRunDurationMs));
  aggregator.setDurationMs(durationMs);
  const summary = aggregator.buildSummary({
    summaryTrendStats: options.summaryTrendStats,
    summaryTimeUnit: options.summaryTimeUnit,
    noColor: options.noColor,
    durationMs,
    isStdOutTTY: false,
    isStdErrTTY: false,
  });
  const stats = [...new Set([...options.summaryTrendStats, ...statsNeeded(options.thresholds)])];
  const final = evaluateThresholds(options.thresholds, (t) => aggregator.values(t.metric, t.filter, stats), durationMs, 'final');
  attachThresholds(summary, options.thresholds, final.results);
  return {
    summary,
    thresholdResults: final.results,
    thresholdsOk: final.results.every((r) => r.ok),
    timeSeries: aggregator.timeSeries(),
    options,
    startedAtEpochMs: Math.min(...parts.map((p) => Date.parse(p.meta.startedAt))),
    warnings: checkInstances(parts),
  };
}
