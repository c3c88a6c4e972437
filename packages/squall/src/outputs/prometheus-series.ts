import { addAggregate, createAccumulator, summaryValues, type Accumulator } from '../metrics/accumulator.js';
import { tagsKey } from '../metrics/tags.js';
import type { TimeSeriesPoint } from '../metrics/time-series-point.js';
import type { TrendStat } from '../metrics/trend-stats.js';
import type { MetricContains, MetricType } from '../metrics/types.js';
import { promLabels, promMetricName, trendStatValue, typeSuffix, type PromLabel, type PromTrendStat } from './prometheus-naming.js';

/** One Prometheus sample in k6's naming (see prometheus-naming.ts). */
export interface PromSample {
  /** The metric name, e.g. `k6_http_reqs_total` (the `__name__` label). */
  readonly name: string;
  /** The other labels, sorted by name. */
  readonly labels: readonly PromLabel[];
  readonly value: number;
  /** Epoch ms: the end of the last interval that changed this series. */
  readonly timestampMs: number;
  /** Its Prometheus type in the exposition format (Trend stats and Rates are gauges, as in k6). */
  readonly kind: 'counter' | 'gauge';
}

interface Entry {
  readonly metric: string;
  readonly type: MetricType;
  readonly contains: MetricContains;
  readonly labels: readonly PromLabel[];
  readonly acc: Accumulator;
  updatedMs: number;
}

/**
 * Run-so-far totals per series (metric + the time series' series tags), built by merging every
 * closed interval's point exactly (counts add, histograms merge, a Gauge keeps its latest value), and
 * rendered as Prometheus samples. The series are the time series' own, so the count per metric is
 * already bounded (overflow folds into `squall_other="true"`). Mutable; main thread only.
 */
export class PrometheusSeries {
  private readonly entries = new Map<string, Entry>();
  private readonly stats: readonly TrendStat[];
  private constant: Readonly<Record<string, string>> = {};
  #latestMs = 0;

  /** `trendStats`: the stats each Trend is published as. */
  constructor(private readonly trendStats: readonly PromTrendStat[]) {
    this.stats = trendStats.flatMap((s) => (s.stat === undefined ? [] : [s.stat]));
  }

  /** Labels on every series (test-wide tags, static labels); set before the first point. */
  setConstantLabels(labels: Readonly<Record<string, string>>): void {
    this.constant = { ...labels };
  }

  /** Merges one closed interval into the totals. */
  add(point: TimeSeriesPoint): void {
    for (const [metric, m] of Object.entries(point.metrics)) {
      for (const s of m.series) {
        const key = `${metric}\u0000${tagsKey(s.tags)}`;
        let entry = this.entries.get(key);
        if (entry === undefined) {
          entry = { metric, type: m.type, contains: m.contains, labels: promLabels(s.tags, this.constant), acc: createAccumulator(m.type), updatedMs: 0 };
          this.entries.set(key, entry);
        }
        addAggregate(entry.acc, s.agg);
        entry.updatedMs = point.endMs;
      }
    }
    if (point.endMs > this.#latestMs) this.#latestMs = point.endMs;
  }

  /** Epoch ms: the end of the newest interval merged (0 before the first). */
  get latestMs(): number {
    return this.#latestMs;
  }

  /** Series seen so far (before Trends fan out into stats). */
  get size(): number {
    return this.entries.size;
  }

  /** Samples of every series changed by an interval ending after `changedAfterMs` (default: all). */
  samples(changedAfterMs = -Infinity): PromSample[] {
    const out: PromSample[] = [];
    for (const e of this.entries.values()) {
      if (e.updatedMs <= changedAfterMs) continue;
      const at = e.updatedMs;
      const acc = e.acc;
      switch (acc.type) {
        case 'counter':
          out.push({ name: promMetricName(e.metric, typeSuffix('counter')), labels: e.labels, value: acc.sum, timestampMs: at, kind: 'counter' });
          break;
        case 'gauge':
          out.push({ name: promMetricName(e.metric, typeSuffix('gauge')), labels: e.labels, value: acc.value, timestampMs: at, kind: 'gauge' });
          break;
        case 'rate':
          out.push({ name: promMetricName(e.metric, typeSuffix('rate')), labels: e.labels, value: acc.total === 0 ? 0 : acc.passes / acc.total, timestampMs: at, kind: 'gauge' });
          break;
        case 'trend': {
          const values = this.stats.length > 0 ? summaryValues(acc, this.stats, 0) : {};
          for (const s of this.trendStats) {
            const raw = s.stat === undefined ? acc.sum : (values[s.key] ?? 0);
            out.push({ name: promMetricName(e.metric, s.suffix), labels: e.labels, value: trendStatValue(e.contains, s.suffix, raw), timestampMs: at, kind: 'gauge' });
          }
          break;
        }
      }
    }
    return out;
  }
}
