import { Aggregator } from '../../src/metrics/aggregator.js';
import { Collector } from '../../src/metrics/collector.js';
import type { TimeSeriesPoint } from '../../src/metrics/time-series-point.js';

/** Metric and tag-set ids `pointsOf` defines: http_reqs, a time Trend, a data Trend, checks, vus; tag sets ok, bad, base. */
export interface PointIds {
  readonly reqs: number;
  readonly dur: number;
  readonly size: number;
  readonly checks: number;
  readonly vus: number;
  readonly ok: number;
  readonly bad: number;
  readonly base: number;
}

/** Builds 1 s points the way the run loop does: worker samples -> aggregator -> closed interval, one per callback. */
export function pointsOf(intervals: ((c: Collector, ids: PointIds) => void)[]): TimeSeriesPoint[] {
  const agg = new Aggregator({ subMetrics: [] });
  const points: TimeSeriesPoint[] = [];
  let clock = 1_700_000_000_000;
  const collector = new Collector({ nowMs: () => clock });
  const ids: PointIds = {
    reqs: collector.define({ name: 'http_reqs', type: 'counter', contains: 'default' }),
    dur: collector.define({ name: 'http_req_duration', type: 'trend', contains: 'time' }),
    size: collector.define({ name: 'body_size', type: 'trend', contains: 'data' }),
    checks: collector.define({ name: 'checks', type: 'rate', contains: 'default' }),
    vus: collector.define({ name: 'vus', type: 'gauge', contains: 'default' }),
    ok: collector.tagSet({ name: 'ok', status: '200', url: 'http://x/ok?id=1' }),
    bad: collector.tagSet({ name: 'bad', status: '500' }),
    base: collector.tagSet({}),
  };
  for (const fill of intervals) {
    fill(collector, ids);
    clock += 1000;
    agg.ingest(collector.snapshot(clock));
    agg.closeInterval(clock - 1000, clock);
    points.push(agg.lastPoint() as TimeSeriesPoint);
  }
  return points;
}
