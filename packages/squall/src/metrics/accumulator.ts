import { SquallError } from '../errors.js';
import { addEncodedHdr, addHdrCounts, createHdr, encodeHdr, hdrPercentiles, mergeHdr, resetHdr } from './hdr.js';
import type { Hdr } from './hdr.js';
import type { TrendStat } from './trend-stats.js';
import type { MetricType, SeriesAggregate, SnapshotAggregate, SummaryValues } from './types.js';

/**
 * Main-thread running aggregate of one series (or of several merged): like SeriesAggregate but
 * with the histogram decoded, so merging is cheap. Mutable; merges are exact (sums add, Gauge keeps
 * the latest value by time, histograms add). Empty min/max are +/-Infinity.
 */
export type Accumulator =
  | { readonly type: 'counter'; sum: number; samples: number }
  | { readonly type: 'gauge'; value: number; timeMs: number; min: number; max: number; samples: number }
  | { readonly type: 'rate'; passes: number; total: number }
  | { readonly type: 'trend'; count: number; sum: number; min: number; max: number; readonly hdr: Hdr };

/** A new, empty accumulator for a metric type. */
export function createAccumulator(type: MetricType): Accumulator {
  switch (type) {
    case 'counter':
      return { type, sum: 0, samples: 0 };
    case 'gauge':
      return { type, value: 0, timeMs: -Infinity, min: Infinity, max: -Infinity, samples: 0 };
    case 'rate':
      return { type, passes: 0, total: 0 };
    case 'trend':
      return { type, count: 0, sum: 0, min: Infinity, max: -Infinity, hdr: createHdr() };
  }
}

/** Empties a Trend accumulator for reuse, keeping its histogram's arrays (no allocation next time it fills). */
export function resetTrendAccumulator(acc: Extract<Accumulator, { type: 'trend' }>): void {
  acc.count = 0;
  acc.sum = 0;
  acc.min = Infinity;
  acc.max = -Infinity;
  resetHdr(acc.hdr);
}

function typeClash(into: MetricType, from: MetricType): SquallError {
  return new SquallError(
    'SQUALL_CONFIG_INVALID',
    `cannot merge a ${from} series into a ${into} metric; a metric name must keep one type across all workers and instances`,
  );
}

/**
 * Adds a plain aggregate (a snapshot's, whose Trend histogram comes as counts, or a time-series
 * point's, encoded), or another accumulator, into `acc`. Histograms add without decoding into a
 * histogram of their own. Throws SQUALL_CONFIG_INVALID when the types differ.
 */
export function addAggregate(acc: Accumulator, from: SnapshotAggregate | Accumulator): void {
  if (from.type !== 'trend') {
    mergeScalar(acc, from);
    return;
  }
  if (acc.type !== 'trend') throw typeClash(acc.type, from.type);
  if (from.count === 0) return;
  // The histogram first: unreadable text throws before anything else has changed.
  if ('counts' in from) addHdrCounts(acc.hdr, from.counts);
  else if (typeof from.hdr !== 'string') mergeHdr(acc.hdr, from.hdr);
  else if (from.hdr !== '') addEncodedHdr(acc.hdr, from.hdr);
  acc.count += from.count;
  acc.sum += from.sum;
  if (from.min < acc.min) acc.min = from.min;
  if (from.max > acc.max) acc.max = from.max;
}

/** Adds one accumulator into another of the same type. */
export function mergeAccumulator(into: Accumulator, from: Accumulator): void {
  addAggregate(into, from);
}

type ScalarAggregate = Exclude<SeriesAggregate, { type: 'trend' }> | Exclude<Accumulator, { type: 'trend' }>;

function mergeScalar(into: Accumulator, from: ScalarAggregate): void {
  if (into.type !== from.type) throw typeClash(into.type, from.type);
  switch (from.type) {
    case 'counter': {
      const acc = into as Extract<Accumulator, { type: 'counter' }>;
      acc.sum += from.sum;
      acc.samples += from.samples;
      return;
    }
    case 'gauge': {
      const acc = into as Extract<Accumulator, { type: 'gauge' }>;
      if (from.samples === 0) return;
      // Ties keep the later-merged value, so a single source's order is preserved.
      if (from.timeMs >= acc.timeMs) {
        acc.value = from.value;
        acc.timeMs = from.timeMs;
      }
      if (from.min < acc.min) acc.min = from.min;
      if (from.max > acc.max) acc.max = from.max;
      acc.samples += from.samples;
      return;
    }
    case 'rate': {
      const acc = into as Extract<Accumulator, { type: 'rate' }>;
      acc.passes += from.passes;
      acc.total += from.total;
      return;
    }
  }
}

/** Number of samples an accumulator holds (0 means "no samples": omit it from summaries). */
export function sampleCount(acc: Accumulator): number {
  switch (acc.type) {
    case 'counter':
    case 'gauge':
      return acc.samples;
    case 'rate':
      return acc.total;
    case 'trend':
      return acc.count;
  }
}

/** Plain-data form (histogram encoded), for time-series points and results files. */
export function toAggregate(acc: Accumulator): SeriesAggregate {
  switch (acc.type) {
    case 'counter':
      return { type: 'counter', sum: acc.sum, samples: acc.samples };
    case 'gauge':
      return {
        type: 'gauge',
        value: acc.value,
        timeMs: acc.samples === 0 ? 0 : acc.timeMs,
        min: acc.samples === 0 ? 0 : acc.min,
        max: acc.samples === 0 ? 0 : acc.max,
        samples: acc.samples,
      };
    case 'rate':
      return { type: 'rate', passes: acc.passes, total: acc.total };
    case 'trend':
      return {
        type: 'trend',
        count: acc.count,
        sum: acc.sum,
        min: acc.count === 0 ? 0 : acc.min,
        max: acc.count === 0 ? 0 : acc.max,
        hdr: encodeHdr(acc.hdr),
      };
  }
}

/**
 * k6 summary values of an accumulator. Counter {count, rate} (rate per second over `durationMs`,
 * 0 when the duration is 0); Gauge {value, min, max}; Rate {rate, passes, fails}; Trend: one key per
 * requested stat (percentiles clamped to the exact min/max; all 0 when empty).
 */
export function summaryValues(acc: Accumulator, trendStats: readonly TrendStat[], durationMs: number): SummaryValues {
  switch (acc.type) {
    case 'counter':
      return { count: acc.sum, rate: durationMs > 0 ? acc.sum / (durationMs / 1000) : 0 };
    case 'gauge':
      return acc.samples === 0
        ? { value: 0, min: 0, max: 0 }
        : { value: acc.value, min: acc.min, max: acc.max };
    case 'rate':
      return { rate: acc.total === 0 ? 0 : acc.passes / acc.total, passes: acc.passes, fails: acc.total - acc.passes };
    case 'trend':
      return trendValues(acc, trendStats);
  }
}

function trendValues(acc: Extract<Accumulator, { type: 'trend' }>, stats: readonly TrendStat[]): SummaryValues {
  const values: SummaryValues = {};
  const empty = acc.count === 0;
  const percentileKeys: string[] = [];
  const percentiles: number[] = [];
  for (const stat of stats) {
    if (stat.kind === 'p') {
      percentileKeys.push(stat.key);
      percentiles.push(stat.percentile);
    } else if (stat.kind === 'med') {
      percentileKeys.push(stat.key);
      percentiles.push(50);
    }
    // Fixed key order: as requested.
    values[stat.key] = empty
      ? 0
      : stat.kind === 'avg'
        ? acc.sum / acc.count
        : stat.kind === 'min'
          ? acc.min
          : stat.kind === 'max'
            ? acc.max
            : stat.kind === 'count'
              ? acc.count
              : 0;
  }
  if (!empty && percentiles.length > 0) {
    const found = hdrPercentiles(acc.hdr, percentiles, acc.min, acc.max);
    percentileKeys.forEach((key, i) => (values[key] = found[i] as number));
  }
  return values;
}
