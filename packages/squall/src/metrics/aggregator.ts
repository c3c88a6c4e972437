import { SquallError } from '../errors.js';
import { addAggregate, createAccumulator, mergeAccumulator, sampleCount, summaryValues } from './accumulator.js';
import type { Accumulator } from './accumulator.js';
import { buildRootGroup } from './group-tree.js';
import type { CheckTally } from './group-tree.js';
import { SERIES_TAGS, formatSubMetricKey, projectTags, tagsKey, tagsMatch } from './tags.js';
import { OTHER_SERIES_TAGS, PointBuilder } from './time-series-point.js';
import type { TimeSeriesPoint } from './time-series-point.js';
import { DEFAULT_MAX_INTERVALS, TimeSeriesStore } from './time-series.js';
import { parseTrendStats } from './trend-stats.js';
import type { MetricDef, MetricSummary, MetricsSnapshot, SeriesAggregate, SnapshotAggregate, SummaryData, SummaryValues, Tags } from './types.js';

export type { TimeSeriesPoint, TimeSeriesMetric, TimeSeriesSeries, TimeSeriesValues } from './time-series-point.js';
export { formatTimeSeriesLine, mergePoints, mergeWindow } from './time-series-point.js';

/** A sub-metric: the series of `metric` whose tags include every pair of `filter`. */
export interface SubMetricSpec {
  readonly metric: string;
  readonly filter: Tags;
  /** Summary key as the user wrote it (threshold key); default `formatSubMetricKey(metric, filter)`. */
  readonly key?: string;
}

/** Aggregator settings, fixed for a run. */
export interface AggregatorOptions {
  /** Sub-metrics kept incrementally (thresholds' targets, plus any the summary must show). */
  readonly subMetrics: readonly SubMetricSpec[];
  /** Time-series points kept before the resolution doubles; default 3600. */
  readonly maxIntervals?: number;
  /** Distinct series (by series tags) per metric in the time series before folding into `__other`; default 50. */
  readonly maxSeriesPerMetric?: number;
  /** Tags that key a time-series series; default SERIES_TAGS. */
  readonly seriesTags?: readonly string[];
}

/** Inputs of `buildSummary`, named as in k6's `handleSummary` data. */
export interface BuildSummaryOptions {
  readonly summaryTrendStats: readonly string[];
  readonly summaryTimeUnit: string | null;
  readonly noColor: boolean;
  /** Test run duration (ms): the denominator of every Counter's `rate`. */
  readonly durationMs: number;
  readonly isStdOutTTY: boolean;
  readonly isStdErrTTY: boolean;
  /** Sub-metrics to show beyond those registered at construction (computed from the run's series). */
  readonly extraSubMetrics?: readonly SubMetricSpec[];
  /** squall: the window http_reqs_sent's rate is computed over (state.requestsSentWindowMs). */
  readonly requestsSentWindowMs?: number;
  /** squall: iterations the arrival-rate scenarios planned (state.plannedIterations), when all are arrival-rate. */
  readonly plannedIterations?: number | undefined;
}

/** Default cap of time-series series per metric. */
export const DEFAULT_MAX_SERIES_PER_METRIC = 50;
const BASE_TREND_STATS = ['avg', 'min', 'med', 'max'];
const DEFAULT_EXTRA_STATS = ['p(90)', 'p(95)'];

interface RunSeries {
  readonly metric: string;
  readonly tags: Tags;
  readonly acc: Accumulator;
  /** Registered sub-metrics this series feeds, found when it is first seen. */
  readonly subs: readonly SubState[];
}

interface SubState {
  readonly spec: SubMetricSpec;
  readonly filterKey: string;
  acc: Accumulator | undefined;
}

/**
 * Main-thread aggregation of worker snapshots for one run: exact run totals per series, per metric
 * and per registered sub-metric; the open interval; and a bounded per-interval time series. Builds
 * k6's summary data (without thresholds, which the thresholds module adds).
 */
export class Aggregator {
  private readonly defsByName = new Map<string, MetricDef>();
  private readonly totals = new Map<string, Accumulator>();
  private readonly series = new Map<string, RunSeries>();
  private readonly subs: SubState[];
  private readonly store: TimeSeriesStore;
  #lastPoint: TimeSeriesPoint | undefined;
  private readonly seriesTags: readonly string[];
  private readonly maxSeriesPerMetric: number;
  /** Per metric: time-series series keys that get their own series (first come, for the whole run). */
  private readonly admitted = new Map<string, Set<string>>();
  private readonly interval = new PointBuilder();
  private intervalFolded = new Map<string, Set<string>>();
  private durationMs = 0;
  /** Per metric: the window (ms) its Counter rate is computed over, when not the test's duration. */
  private readonly rateWindows = new Map<string, number>();

  constructor(options: AggregatorOptions) {
    this.subs = options.subMetrics.map((spec) => ({ spec, filterKey: tagsKey(spec.filter), acc: undefined }));
    this.store = new TimeSeriesStore(options.maxIntervals ?? DEFAULT_MAX_INTERVALS);
    this.seriesTags = options.seriesTags ?? SERIES_TAGS;
    this.maxSeriesPerMetric = options.maxSeriesPerMetric ?? DEFAULT_MAX_SERIES_PER_METRIC;
  }

  /** Merges one worker's snapshot into the run totals and the open interval. Throws SQUALL_CONFIG_INVALID on a metric type clash. */
  ingest(snapshot: MetricsSnapshot): void {
    for (const def of snapshot.defs) this.register(def);
    for (const s of snapshot.series) {
      const def = this.defsByName.get(s.metric);
      if (def === undefined) {
        throw new SquallError(
          'SQUALL_CONFIG_INVALID',
          `snapshot has samples for metric "${s.metric}" but no definition of it; every snapshot must carry its defs`,
        );
      }
      if (def.type !== s.agg.type) {
        throw new SquallError(
          'SQUALL_CONFIG_INVALID',
          `metric "${s.metric}" is a ${def.type}, but a worker sent ${s.agg.type} samples for it; use one type per name`,
        );
      }
      // A worker's aggregate (Trend histogram as counts) adds straight into every accumulator it
      // counts in; an encoded histogram (results files being merged) is decoded once first.
      const from = s.agg.type === 'trend' && 'hdr' in s.agg ? decoded(s.agg) : s.agg;
      const run = this.runSeries(s.metric, s.tags);
      addAggregate(run.acc, from);
      for (const sub of run.subs) if (sub.acc !== undefined) addAggregate(sub.acc, from);
      addAggregate(this.total(def), from);
      this.addToInterval(def, s.tags, from);
    }
  }

  private register(def: MetricDef): void {
    const known = this.defsByName.get(def.name);
    if (known !== undefined) {
      if (known.type !== def.type) {
        throw new SquallError(
          'SQUALL_CONFIG_INVALID',
          `metric "${def.name}" is defined as a ${known.type} and as a ${def.type} by different workers or instances; use one type per name`,
        );
      }
      return;
    }
    this.defsByName.set(def.name, { name: def.name, type: def.type, contains: def.contains });
    for (const sub of this.subs) if (sub.spec.metric === def.name) sub.acc = createAccumulator(def.type);
  }

  private runSeries(metric: string, tags: Tags): RunSeries {
    const key = `${metric}\u0000${tagsKey(tags)}`;
    let found = this.series.get(key);
    if (found === undefined) {
      const subs = this.subs.filter((sub) => sub.spec.metric === metric && tagsMatch(tags, sub.spec.filter));
      const def = this.defsByName.get(metric) as MetricDef;
      found = { metric, tags, acc: createAccumulator(def.type), subs };
      this.series.set(key, found);
    }
    return found;
  }

  private total(def: MetricDef): Accumulator {
    let acc = this.totals.get(def.name);
    if (acc === undefined) {
      acc = createAccumulator(def.type);
      this.totals.set(def.name, acc);
    }
    return acc;
  }

  private addToInterval(def: MetricDef, tags: Tags, from: Accumulator | SnapshotAggregate): void {
    let seriesTags = projectTags(tags, this.seriesTags);
    const key = tagsKey(seriesTags);
    let admitted = this.admitted.get(def.name);
    if (admitted === undefined) {
      admitted = new Set();
      this.admitted.set(def.name, admitted);
    }
    if (!admitted.has(key)) {
      if (admitted.size < this.maxSeriesPerMetric) admitted.add(key);
      else {
        let folded = this.intervalFolded.get(def.name);
        if (folded === undefined) {
          folded = new Set();
          this.intervalFolded.set(def.name, folded);
        }
        folded.add(key);
        seriesTags = OTHER_SERIES_TAGS;
      }
    }
    this.interval.addSeries(def.name, def.type, def.contains, seriesTags, from);
  }

  /** Ends the open interval [startMs, endMs) (epoch ms) and appends it to the time series. */
  closeInterval(startMs: number, endMs: number): void {
    for (const [metric, folded] of this.intervalFolded) this.interval.noteFolded(metric, folded.size);
    this.interval.cover(startMs, endMs, 1);
    this.#lastPoint = this.interval.build();
    this.store.push(this.#lastPoint);
    this.interval.clear();
    this.intervalFolded = new Map();
  }

  /** Sets the test duration (ms) used for Counter rates by `values`. */
  setDurationMs(durationMs: number): void {
    this.durationMs = durationMs;
  }

  /** Computes `metric`'s Counter rate (and its sub-metrics') over `windowMs` instead of the test duration. */
  setRateWindowMs(metric: string, windowMs: number): void {
    this.rateWindows.set(metric, windowMs);
  }

  /** The distinct values of tag `tag` among `metric`'s series, sorted. */
  tagValues(metric: string, tag: string): string[] {
    const out = new Set<string>();
    for (const s of this.series.values()) {
      const v = s.tags[tag];
      if (s.metric === metric && v !== undefined) out.add(v);
    }
    return [...out].sort();
  }

  /**
   * k6 summary values over the whole run for a metric, or for a sub-metric when `filter` has pairs.
   * Undefined for a metric never defined; zeros for one without samples. Trends get avg, min, med,
   * max plus `stats` (default p(90), p(95); e.g. the percentiles thresholds read). Counter rates use
   * `durationMs`, else the last `setDurationMs`.
   */
  values(metric: string, filter: Tags = {}, stats?: readonly string[], durationMs?: number): SummaryValues | undefined {
    const acc = this.accumulatorFor(metric, filter);
    if (acc === undefined) return undefined;
    const parsed = parseTrendStats([...new Set([...BASE_TREND_STATS, ...(stats ?? DEFAULT_EXTRA_STATS)])], 'stats');
    return summaryValues(acc, parsed, durationMs ?? this.rateWindows.get(metric) ?? this.durationMs);
  }

  private accumulatorFor(metric: string, filter: Tags): Accumulator | undefined {
    const def = this.defsByName.get(metric);
    if (def === undefined) return undefined;
    if (Object.keys(filter).length === 0) return this.totals.get(metric) ?? createAccumulator(def.type);
    const filterKey = tagsKey(filter);
    const registered = this.subs.find((sub) => sub.spec.metric === metric && sub.filterKey === filterKey);
    if (registered?.acc !== undefined) return registered.acc;
    const acc = createAccumulator(def.type);
    for (const s of this.series.values()) {
      if (s.metric === metric && tagsMatch(s.tags, filter)) mergeAccumulator(acc, s.acc);
    }
    return acc;
  }

  /** Every metric definition seen, in first-seen order. */
  defs(): MetricDef[] {
    return [...this.defsByName.values()];
  }

  /**
   * k6's `handleSummary` data: every metric with samples and every registered (and extra) sub-metric
   * of a defined metric as `NAME{k:v}`, keys sorted as k6's JSON; `root_group` from the `checks`
   * series. `thresholds` fields are left for the thresholds module.
   */
  buildSummary(options: BuildSummaryOptions): SummaryData {
    const stats = parseTrendStats(options.summaryTrendStats, 'summaryTrendStats');
    const entries: [string, MetricSummary][] = [];
    for (const [name, acc] of this.totals) {
      const def = this.defsByName.get(name);
      if (def === undefined || sampleCount(acc) === 0) continue;
      entries.push([name, { type: def.type, contains: def.contains, values: summaryValues(acc, stats, this.rateWindows.get(name) ?? options.durationMs) }]);
    }
    for (const spec of [...this.subs.map((s) => s.spec), ...(options.extraSubMetrics ?? [])]) {
      const def = this.defsByName.get(spec.metric);
      const acc = this.accumulatorFor(spec.metric, spec.filter);
      if (def === undefined || acc === undefined) continue;
      const key = spec.key ?? formatSubMetricKey(spec.metric, spec.filter);
      const windowMs = this.rateWindows.get(spec.metric) ?? options.durationMs;
      entries.push([key, { type: def.type, contains: def.contains, values: summaryValues(acc, stats, windowMs) }]);
    }
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return {
      metrics: Object.fromEntries(entries),
      root_group: buildRootGroup(this.checkTallies()),
      options: {
        summaryTrendStats: [...options.summaryTrendStats],
        summaryTimeUnit: options.summaryTimeUnit,
        noColor: options.noColor,
      },
      state: {
        isStdOutTTY: options.isStdOutTTY,
        isStdErrTTY: options.isStdErrTTY,
        testRunDurationMs: options.durationMs,
        ...(options.requestsSentWindowMs === undefined ? {} : { requestsSentWindowMs: options.requestsSentWindowMs }),
        ...(options.plannedIterations === undefined ? {} : { plannedIterations: options.plannedIterations }),
      },
    };
  }

  private *checkTallies(): Generator<CheckTally> {
    for (const s of this.series.values()) {
      const check = s.tags['check'];
      if (s.metric !== 'checks' || s.acc.type !== 'rate' || check === undefined) continue;
      yield { groupPath: s.tags['group'] ?? '', check, passes: s.acc.passes, fails: s.acc.total - s.acc.passes };
    }
  }

  /** The interval closed last (one 1 s point, before any downsampling of the stored series). */
  lastPoint(): TimeSeriesPoint | undefined {
    return this.#lastPoint;
  }

  /** The time series so far (closed intervals only), oldest first; at most `maxIntervals` points. */
  timeSeries(): TimeSeriesPoint[] {
    return this.store.toArray();
  }
}

/** An encoded Trend aggregate as an accumulator (its histogram decoded once, to add into several). */
function decoded(agg: Extract<SeriesAggregate, { type: 'trend' }>): Accumulator {
  const acc = createAccumulator('trend');
  addAggregate(acc, agg);
  return acc;
}
