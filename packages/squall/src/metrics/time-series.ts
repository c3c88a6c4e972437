import { SquallError } from '../errors.js';
import { addAggregate, createAccumulator, summaryValues } from './accumulator.js';
import { mergePoints, TIME_SERIES_TREND_STATS } from './time-series-point.js';
import type { TimeSeriesMetric, TimeSeriesPoint, TimeSeriesSeries } from './time-series-point.js';
import { parseTrendStats } from './trend-stats.js';
import type { TrendStat } from './trend-stats.js';
import type { MetricContains, MetricType, SeriesAggregate, SummaryValues, Tags } from './types.js';

/** Default bound on stored points: one hour at 1 s before the resolution first doubles. */
export const DEFAULT_MAX_INTERVALS = 3600;
/** Extra pair merges per appended point while a halving pass is under way. */
const MERGES_PER_PUSH = 2;

const NO_VALUES: SummaryValues = Object.freeze({});
const DEFAULT_STATS = parseTrendStats(TIME_SERIES_TREND_STATS, 'TIME_SERIES_TREND_STATS');

/** A metric of a stored point: aggregates only (values are computed again when read). */
interface PackedMetric {
  readonly type: MetricType;
  readonly contains: MetricContains;
  readonly foldedSeries: number;
  /** null: the total is the only series' aggregate. */
  readonly total: SeriesAggregate | null;
  /** `tags`: the series' tags as their index in the store's TagTable. */
  readonly series: readonly { readonly tags: number; readonly agg: SeriesAggregate }[];
}

/** Every distinct series tag set of a store, held once (bounded: series are capped per metric). */
class TagTable {
  readonly #all: Tags[] = [];
  readonly #index = new Map<string, number>();

  indexOf(tags: Tags): number {
    const key = JSON.stringify(tags);
    let index = this.#index.get(key);
    if (index === undefined) {
      index = this.#all.length;
      this.#all.push(tags);
      this.#index.set(key, index);
    }
    return index;
  }

  at(index: number): Tags {
    return this.#all[index] as Tags;
  }
}

/**
 * A point as held between its interval and the end of the run: its aggregates as one JSON string.
 * About half the memory of the point's objects (17 KB per point for an HTTP test's 17 metrics, 1 s
 * each, over a long run: one string instead of hundreds of small objects and boxed numbers, no
 * `values`, the one-series total not written twice, tag sets by their index in a TagTable).
 */
interface StoredPoint {
  readonly startMs: number;
  readonly endMs: number;
  readonly intervals: number;
  readonly metrics: string;
}

function pack(point: TimeSeriesPoint, tagTable: TagTable): StoredPoint {
  const metrics: Record<string, PackedMetric> = {};
  for (const [name, m] of Object.entries(point.metrics)) {
    const only = m.series.length === 1 ? m.series[0] : undefined;
    metrics[name] = {
      type: m.type,
      contains: m.contains,
      foldedSeries: m.foldedSeries,
      total: only !== undefined && only.agg === m.total.agg ? null : m.total.agg,
      series: m.series.map((s) => ({ tags: tagTable.indexOf(s.tags), agg: s.agg })),
    };
  }
  return { startMs: point.startMs, endMs: point.endMs, intervals: point.intervals, metrics: JSON.stringify(metrics) };
}

function valuesOf(type: MetricType, agg: SeriesAggregate, stats: readonly TrendStat[], spanMs: number): SummaryValues {
  const acc = createAccumulator(type);
  addAggregate(acc, agg);
  return summaryValues(acc, stats, spanMs);
}

/**
 * The point `pack` stored, with values computed as PointBuilder.build computes them (same figures);
 * `stats` null leaves values empty (for merging, which reads aggregates only).
 */
function unpack(stored: StoredPoint, tagTable: TagTable, stats: readonly TrendStat[] | null): TimeSeriesPoint {
  const packed = JSON.parse(stored.metrics) as Record<string, PackedMetric>;
  const spanMs = stored.endMs - stored.startMs;
  const metrics: Record<string, TimeSeriesMetric> = {};
  for (const [name, m] of Object.entries(packed)) {
    const series: TimeSeriesSeries[] = m.series.map((s) => ({ tags: tagTable.at(s.tags), agg: s.agg, values: stats === null ? NO_VALUES : valuesOf(m.type, s.agg, stats, spanMs) }));
    const only = series[0];
    metrics[name] = {
      type: m.type,
      contains: m.contains,
      total: m.total === null && only !== undefined ? { agg: only.agg, values: only.values } : { agg: m.total as SeriesAggregate, values: stats === null ? NO_VALUES : valuesOf(m.type, m.total as SeriesAggregate, stats, spanMs) },
      series,
      foldedSeries: m.foldedSeries,
    };
  }
  return { startMs: stored.startMs, endMs: stored.endMs, intervals: stored.intervals, metrics };
}

/**
 * Bounded time series of points for a whole run. When more than `maxIntervals` points are held,
 * the resolution doubles (1 s -> 2 s -> 4 s ...): adjacent points of equal span merge pairwise,
 * exactly, so every point spans a power-of-two number of base intervals. The halving pass is spread
 * over the following pushes (a few pair merges each) instead of one long pause of the main thread;
 * the bound itself holds after every push. Points are held packed (see StoredPoint) and rebuilt by
 * `toArray`. Lives for one run.
 */
export class TimeSeriesStore {
  private readonly points: StoredPoint[] = [];
  private readonly tagTable = new TagTable();
  /** Points merge up to 2^level base intervals. */
  private level = 0;
  /** Next pair of a halving pass in progress; -1 when none is. */
  private cursor = -1;
  private mergedInPass = 0;

  constructor(
    private readonly maxIntervals: number = DEFAULT_MAX_INTERVALS,
    private readonly trendStats?: readonly TrendStat[],
  ) {
    if (!Number.isInteger(maxIntervals) || maxIntervals < 2) {
      throw new SquallError(
        'SQUALL_CONFIG_INVALID',
        `maxIntervals must be an integer of at least 2, but is ${maxIntervals}`,
      );
    }
  }

  /** Appends a closed interval's point (points arrive in time order). */
  push(point: TimeSeriesPoint): void {
    this.points.push(pack(point, this.tagTable));
    // Binary-counter carry at the tail: new points join up to the current resolution.
    for (;;) {
      const n = this.points.length;
      if (n < 2 || !this.mergeable(n - 2)) break;
      this.mergeAt(n - 2);
    }
    if (this.cursor >= 0) {
      for (let i = 0; i < MERGES_PER_PUSH; i++) this.mergeNextPair();
    }
    while (this.points.length > this.maxIntervals) {
      if (this.cursor < 0) {
        this.level++;
        this.cursor = 0;
        this.mergedInPass = 0;
      }
      if (!this.mergeNextPair() && this.cursor < 0 && this.mergedInPass === 0 && this.points.length > this.maxIntervals) {
        // Only reachable with a tiny bound: no two neighbours share a span, so merge the two newest.
        this.mergeAt(this.points.length - 2);
      }
    }
  }

  private mergeable(index: number): boolean {
    const a = this.points[index];
    const b = this.points[index + 1];
    return a !== undefined && b !== undefined && a.intervals === b.intervals && a.intervals * 2 <= 2 ** this.level;
  }

  private mergeAt(index: number): void {
    const a = unpack(this.points[index] as StoredPoint, this.tagTable, null);
    const b = unpack(this.points[index + 1] as StoredPoint, this.tagTable, null);
    this.points.splice(index, 2, pack(mergePoints([a, b], this.trendStats), this.tagTable));
  }

  private get stats(): readonly TrendStat[] {
    return this.trendStats ?? DEFAULT_STATS;
  }

  /** Merges the next mergeable pair of the pass; false (and the pass ends) at the tail. */
  private mergeNextPair(): boolean {
    if (this.cursor < 0) return false;
    while (this.cursor + 1 < this.points.length) {
      if (this.mergeable(this.cursor)) {
        this.mergeAt(this.cursor);
        this.cursor++;
        this.mergedInPass++;
        return true;
      }
      this.cursor++;
    }
    this.cursor = -1;
    return false;
  }

  /** Points held, oldest first, rebuilt from their packed form (new objects on every call but the tag sets: treat as read-only). */
  toArray(): TimeSeriesPoint[] {
    return this.points.map((p) => unpack(p, this.tagTable, this.stats));
  }

  /** Number of points held (always <= maxIntervals). */
  get size(): number {
    return this.points.length;
  }

  /** Base intervals per point for points appended now (1, 2, 4, ...). */
  get resolution(): number {
    return 2 ** this.level;
  }
}
