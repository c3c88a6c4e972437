import { addAggregate, createAccumulator, resetTrendAccumulator, sampleCount, summaryValues, toAggregate } from './accumulator.js';
import type { Accumulator } from './accumulator.js';
import { tagsKey } from './tags.js';
import { parseTrendStats } from './trend-stats.js';
import type { TrendStat } from './trend-stats.js';
import type { MetricContains, MetricType, SeriesAggregate, SnapshotAggregate, SummaryValues, Tags } from './types.js';

/** Aggregate and k6-style values of one metric (or one of its series) over one point's span. */
export interface TimeSeriesValues {
  /** Exact, mergeable aggregate; a Trend's carries its encoded histogram (see metrics/hdr.ts). */
  readonly agg: SeriesAggregate;
  /** Counter {count, rate/s over the span}; Gauge {value, min, max}; Rate {rate, passes, fails}; Trend {count, avg, min, med, max, p(90), p(95), p(99)}. */
  readonly values: SummaryValues;
}

/** One series of a metric in a point, keyed by its series tags only (see SERIES_TAGS). */
export interface TimeSeriesSeries extends TimeSeriesValues {
  /** `{ "__other": "true" }` for the series folded together past the per-metric cap. */
  readonly tags: Tags;
}

/** One metric in a point. */
export interface TimeSeriesMetric {
  readonly type: MetricType;
  readonly contains: MetricContains;
  /** All series of the metric merged. */
  readonly total: TimeSeriesValues;
  readonly series: readonly TimeSeriesSeries[];
  /** Distinct series folded into `__other` (for merged points: the most in any one interval). */
  readonly foldedSeries: number;
}

/**
 * Aggregates of every metric with samples over [startMs, endMs) (epoch ms), one line of
 * `timeseries.jsonl`. Metrics without samples in the span are absent. Plain data.
 */
export interface TimeSeriesPoint {
  readonly startMs: number;
  readonly endMs: number;
  /** How many base (1 s) intervals were merged into this point. */
  readonly intervals: number;
  readonly metrics: Readonly<Record<string, TimeSeriesMetric>>;
}

/** The tag set the overflow series of a metric is keyed by. */
export const OTHER_SERIES_TAGS: Tags = Object.freeze({ __other: 'true' });

/** Trend stats carried by each time-series entry's `values`. */
export const TIME_SERIES_TREND_STATS: readonly string[] = ['count', 'avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'];
const DEFAULT_STATS = parseTrendStats(TIME_SERIES_TREND_STATS, 'TIME_SERIES_TREND_STATS');

interface BuilderMetric {
  readonly type: MetricType;
  readonly contains: MetricContains;
  readonly total: Accumulator;
  readonly series: Map<string, { readonly tags: Tags; readonly acc: Accumulator }>;
  foldedSeries: number;
}

type TrendAccumulator = Extract<Accumulator, { type: 'trend' }>;

/**
 * Accumulates samples or whole points into one point, then builds it. Used for the open interval,
 * for merging adjacent points, and for windows. Mutable; one point at a time (`clear` starts the next).
 */
export class PointBuilder {
  private startMs = Infinity;
  private endMs = -Infinity;
  private intervals = 0;
  private readonly metrics = new Map<string, BuilderMetric>();
  /** Emptied Trend accumulators of earlier points, reused so each interval allocates no histograms. */
  private readonly spareTrends: TrendAccumulator[] = [];

  /** Empties the builder for the next point; built points keep nothing of it (their aggregates are copies). */
  clear(): void {
    for (const entry of this.metrics.values()) {
      this.recycle(entry.total);
      for (const s of entry.series.values()) this.recycle(s.acc);
    }
    this.metrics.clear();
    this.startMs = Infinity;
    this.endMs = -Infinity;
    this.intervals = 0;
  }

  private recycle(acc: Accumulator): void {
    if (acc.type !== 'trend') return;
    resetTrendAccumulator(acc);
    this.spareTrends.push(acc);
  }

  private accumulator(type: MetricType): Accumulator {
    return (type === 'trend' ? this.spareTrends.pop() : undefined) ?? createAccumulator(type);
  }

  /** Extends the span this point covers. */
  cover(startMs: number, endMs: number, intervals: number): void {
    if (startMs < this.startMs) this.startMs = startMs;
    if (endMs > this.endMs) this.endMs = endMs;
    this.intervals += intervals;
  }

  /** Adds a series' accumulator or snapshot aggregate into the metric total and into the series keyed by `seriesTags`. */
  addSeries(metric: string, type: MetricType, contains: MetricContains, seriesTags: Tags, from: Accumulator | SnapshotAggregate): void {
    const entry = this.metric(metric, type, contains);
    addAggregate(entry.total, from);
    const key = tagsKey(seriesTags);
    let series = entry.series.get(key);
    if (series === undefined) {
      series = { tags: seriesTags, acc: this.accumulator(type) };
      entry.series.set(key, series);
    }
    addAggregate(series.acc, from);
  }

  /** Records how many distinct series were folded into `__other` for a metric (keeps the largest). */
  noteFolded(metric: string, count: number): void {
    const entry = this.metrics.get(metric);
    if (entry !== undefined && count > entry.foldedSeries) entry.foldedSeries = count;
  }

  /** Merges a whole point into this one (exact: adds histograms from their encoded text). */
  addPoint(point: TimeSeriesPoint): void {
    this.cover(point.startMs, point.endMs, point.intervals);
    for (const [name, m] of Object.entries(point.metrics)) {
      const entry = this.metric(name, m.type, m.contains);
      addAggregate(entry.total, m.total.agg);
      for (const s of m.series) {
        const key = tagsKey(s.tags);
        let series = entry.series.get(key);
        if (series === undefined) {
          series = { tags: s.tags, acc: this.accumulator(m.type) };
          entry.series.set(key, series);
        }
        addAggregate(series.acc, s.agg);
      }
      if (m.foldedSeries > entry.foldedSeries) entry.foldedSeries = m.foldedSeries;
    }
  }

  private metric(name: string, type: MetricType, contains: MetricContains): BuilderMetric {
    let entry = this.metrics.get(name);
    if (entry === undefined) {
      entry = { type, contains, total: this.accumulator(type), series: new Map(), foldedSeries: 0 };
      this.metrics.set(name, entry);
    }
    return entry;
  }

  /** The point, with values computed for `trendStats` (default TIME_SERIES_TREND_STATS). */
  build(trendStats: readonly TrendStat[] = DEFAULT_STATS): TimeSeriesPoint {
    const startMs = this.intervals === 0 ? 0 : this.startMs;
    const endMs = this.intervals === 0 ? 0 : this.endMs;
    const spanMs = endMs - startMs;
    const metrics: Record<string, TimeSeriesMetric> = {};
    for (const [name, entry] of this.metrics) {
      if (sampleCount(entry.total) === 0) continue;
      const series: TimeSeriesSeries[] = [];
      let only: Accumulator | undefined;
      for (const s of entry.series.values()) {
        if (sampleCount(s.acc) === 0) continue;
        series.push({ tags: s.tags, agg: toAggregate(s.acc), values: summaryValues(s.acc, trendStats, spanMs) });
        only = s.acc;
      }
      // One series holding every sample is the total: share its aggregate instead of building (and
      // keeping, for every interval of a long run) an identical second copy of its histogram.
      const single = series.length === 1 && only !== undefined && sampleCount(only) === sampleCount(entry.total) ? series[0] : undefined;
      metrics[name] = {
        type: entry.type,
        contains: entry.contains,
        total: single !== undefined ? { agg: single.agg, values: single.values } : { agg: toAggregate(entry.total), values: summaryValues(entry.total, trendStats, spanMs) },
        series,
        foldedSeries: entry.foldedSeries,
      };
    }
    return { startMs, endMs, intervals: this.intervals, metrics };
  }
}

/** Exact merge of points (in any order) into one spanning all of them. */
export function mergePoints(points: readonly TimeSeriesPoint[], trendStats?: readonly TrendStat[]): TimeSeriesPoint {
  const builder = new PointBuilder();
  for (const point of points) builder.addPoint(point);
  return builder.build(trendStats);
}

/**
 * Merges the points whose midpoint lies in [fromMs, toMs) (so adjacent windows never share a point),
 * e.g. the first and last 10 minutes of a soak. Undefined when no point falls in the window. The
 * result's startMs/endMs say the span actually covered, which follows the points' resolution.
 */
export function mergeWindow(
  points: readonly TimeSeriesPoint[],
  fromMs: number,
  toMs: number,
  trendStats?: readonly TrendStat[],
): TimeSeriesPoint | undefined {
  const inside = points.filter((p) => {
    const mid = (p.startMs + p.endMs) / 2;
    return mid >= fromMs && mid < toMs;
  });
  return inside.length === 0 ? undefined : mergePoints(inside, trendStats);
}

/** One `timeseries.jsonl` line (no trailing newline); see docs/timeseries.md. */
export function formatTimeSeriesLine(point: TimeSeriesPoint): string {
  return JSON.stringify(point);
}
