import { addAggregate, createAccumulator } from '../metrics/accumulator.js';
import { SERIES_TAGS, projectTags } from '../metrics/tags.js';
import { PointBuilder, type TimeSeriesPoint } from '../metrics/time-series-point.js';
import type { MetricContains, Tags } from '../metrics/types.js';

/** One Gauge sample with its own timestamp (a Prometheus evaluation), to be placed in the time series. */
export interface TimedGaugeSample {
  readonly metric: string;
  readonly contains: MetricContains;
  readonly tags: Tags;
  /** Epoch ms. */
  readonly timeMs: number;
  readonly value: number;
}

/**
 * Returns the time series with each sample added to the point whose [startMs, endMs) holds its
 * timestamp (samples before the first point go to the first, at or after the last point's end to
 * the last), as Gauge samples keyed by their series tags. Points without samples are returned as
 * they were; touched ones are rebuilt exactly (histograms of other metrics decode and re-encode
 * losslessly). Works at any resolution the store has reached. Pure: `points` is not modified.
 *
 * Why afterwards: the time-series store only appends closed intervals, and a range query's answer
 * arrives after the last interval is closed.
 */
export function placeInTimeSeries(points: readonly TimeSeriesPoint[], samples: readonly TimedGaugeSample[], seriesTags: readonly string[] = SERIES_TAGS): TimeSeriesPoint[] {
  if (points.length === 0 || samples.length === 0) return [...points];
  const byPoint = new Map<number, TimedGaugeSample[]>();
  for (const s of samples) {
    if (!Number.isFinite(s.value)) continue;
    const i = pointIndex(points, s.timeMs);
    let list = byPoint.get(i);
    if (list === undefined) {
      list = [];
      byPoint.set(i, list);
    }
    list.push(s);
  }
  return points.map((point, i) => {
    const list = byPoint.get(i);
    if (list === undefined) return point;
    const builder = new PointBuilder();
    builder.addPoint(point);
    for (const s of list) {
      const acc = createAccumulator('gauge');
      addAggregate(acc, { type: 'gauge', value: s.value, timeMs: s.timeMs, min: s.value, max: s.value, samples: 1 });
      builder.addSeries(s.metric, 'gauge', s.contains, projectTags(s.tags, seriesTags), acc);
    }
    return builder.build();
  });
}

/** Index of the point holding `timeMs` (binary search over points in time order), clamped to the ends. */
function pointIndex(points: readonly TimeSeriesPoint[], timeMs: number): number {
  let lo = 0;
  let hi = points.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((points[mid] as TimeSeriesPoint).startMs <= timeMs) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
