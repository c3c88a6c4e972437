import type { SampleBatch } from './sample-stream.js';
import type { HdrCounts } from './hdr.js';

/**
 * Metric contracts shared by the worker-side collector, the main-thread aggregator, thresholds and
 * outputs. Types and names follow k6 (Counter, Gauge, Rate, Trend; durations in milliseconds).
 */

export type MetricType = 'counter' | 'gauge' | 'rate' | 'trend';
/** What a metric's values are, as k6's summary `contains` field: plain numbers, ms, or bytes. */
export type MetricContains = 'default' | 'time' | 'data';

export interface MetricDef {
  readonly name: string;
  readonly type: MetricType;
  readonly contains: MetricContains;
}

export type Tags = Readonly<Record<string, string>>;

/**
 * Aggregate of one series (metric + tag set) over some span (an interval, or the whole run).
 * Plain data: structured-cloneable, JSON-safe (histograms encoded as text).
 */
export type SeriesAggregate =
  | { readonly type: 'counter'; sum: number; samples: number }
  | {
      readonly type: 'gauge';
      /** Last value set, and when (epoch ms) so merges across workers keep the latest. */
      value: number;
      timeMs: number;
      min: number;
      max: number;
      samples: number;
    }
  | { readonly type: 'rate'; passes: number; total: number }
  | {
      readonly type: 'trend';
      count: number;
      sum: number;
      min: number;
      max: number;
      /** HDR histogram of the values, encoded (see metrics/hdr.ts). */
      hdr: string;
    };

/**
 * A Trend's aggregate as a worker sends it every interval: the histogram as its non-zero counts
 * (see metrics/hdr.ts `HdrCounts`), which cost far less to make, clone and add than encoded text.
 * Never stored: time-series points and files hold `SeriesAggregate`.
 */
export interface TrendCountsAggregate {
  readonly type: 'trend';
  count: number;
  sum: number;
  min: number;
  max: number;
  counts: HdrCounts;
}

/** A series' aggregate in a snapshot: Trends from a Collector carry counts; those read back from results files (merge) carry encoded histograms. */
export type SnapshotAggregate = SeriesAggregate | TrendCountsAggregate;

/** One series in a snapshot. */
export interface SeriesSnapshot {
  readonly metric: string;
  readonly tags: Tags;
  readonly agg: SnapshotAggregate;
}

/**
 * What a worker sends every interval: everything recorded since its previous snapshot.
 * Structured-cloneable (postMessage), but not JSON: Trend counts are typed arrays.
 */
export interface MetricsSnapshot {
  /** Metric definitions seen so far by the sender (idempotent; receivers register unknown ones). */
  readonly defs: readonly MetricDef[];
  readonly series: readonly SeriesSnapshot[];
  /** Epoch ms at which the sender cut this snapshot. */
  readonly cutAtMs: number;
  /** Individual samples of the interval, when the sender keeps them (only for `--out json/csv`). */
  readonly samples?: SampleBatch;
}

/** Values as in k6's summary for each type (Counter {count, rate}, Trend {avg, min, med, max, p(N)}...). */
export type SummaryValues = Record<string, number>;

/**
 * One series (metric + tag set) resolved once, for hot paths that record into the same series
 * again and again: `add` finds neither the metric nor the tag set. Lives as long as its sink.
 */
export interface SeriesHandle {
  /** Records one sample, with the same rules as `MetricSink.add`. */
  add(value: number): void;
}

/**
 * Where samples go, in the thread that records them. Implemented by the worker-side collector.
 * Hot path: resolve metric ids and tag-set ids once, then call `add` with numbers only.
 */
export interface MetricSink {
  /** Registers (or finds) a metric and returns its id. Throws if the name exists with another type. */
  define(def: MetricDef): number;
  /** Interns a tag set and returns its id; equal tag sets (any key order) get the same id. */
  tagSet(tags: Tags): number;
  /** Records one sample. For a Rate, a value of 0 is a fail and anything else a pass. */
  add(metricId: number, tagSetId: number, value: number): void;
  /** The series of (metric, tag set), to record into without lookups. Throws RangeError for unknown ids. */
  series(metricId: number, tagSetId: number): SeriesHandle;
}

/** A check's tally inside a group, as in k6's `root_group`. */
export interface CheckSummary {
  readonly name: string;
  readonly path: string;
  readonly id: string;
  readonly passes: number;
  readonly fails: number;
}

export interface GroupSummary {
  readonly name: string;
  /** `::a::b` for group b inside group a; `''` for the root. */
  readonly path: string;
  readonly id: string;
  readonly groups: readonly GroupSummary[];
  readonly checks: readonly CheckSummary[];
}

export interface MetricSummary {
  readonly type: MetricType;
  readonly contains: MetricContains;
  readonly values: SummaryValues;
  /** Threshold expression -> outcome; present only on metrics (or sub-metrics) with thresholds. */
  thresholds?: Record<string, { ok: boolean }>;
}

/**
 * The `handleSummary(data)` / `--summary-export` shape (k6-compatible; squall may add fields but
 * never changes these). Sub-metrics appear as `NAME{tag:value}` keys in `metrics`.
 */
export interface SummaryData {
  metrics: Record<string, MetricSummary>;
  root_group: GroupSummary;
  options: { summaryTrendStats: readonly string[]; summaryTimeUnit: string | null; noColor: boolean };
  state: {
    isStdOutTTY: boolean;
    isStdErrTTY: boolean;
    testRunDurationMs: number;
    /** squall: the window (ms) `http_reqs_sent`'s rate is computed over (docs/metrics.md). */
    requestsSentWindowMs?: number;
    /** squall: iterations the arrival-rate scenarios planned; only when every scenario is arrival-rate and the run was not stopped early. */
    plannedIterations?: number;
  };
}
