import { createHdr, decodeHdr, hdrPercentiles, mergeHdr } from '../metrics/hdr.js';
import type { TimeSeriesPoint } from '../metrics/time-series-point.js';
import type { Tags } from '../metrics/types.js';
import type { MetaThreshold } from './results-reader.js';

/** Unit of a chart line: each unit gets its own y axis. */
export type ChartUnit = 'ms' | 'per_s' | 'count' | 'bytes' | 'cores' | 'ratio';

/** How a line is drawn: `threshold` dashed red at a threshold's limit; `baseline` dashed grey. */
export type LineStyle = 'line' | 'area' | 'threshold' | 'baseline';

/** A named line of a chart; null where the interval had no data. */
export interface ChartLine {
  readonly name: string;
  readonly unit: ChartUnit;
  readonly values: readonly (number | null)[];
  readonly style?: LineStyle;
}

/** A threshold read from meta.json: metric, sub-metric tags, aggregation, operator and limit. */
export interface ParsedThreshold {
  readonly metric: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly agg: string;
  readonly op: string;
  readonly limit: number;
  /** As written: `p(95)<500`. */
  readonly source: string;
}

const EXPR = /^\s*([a-z]+(?:\(\s*\d+(?:\.\d+)?\s*\))?)\s*(<=|>=|===|==|!=|<|>)\s*(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*$/i;

/** Parses `http_req_duration{scenario:api}` + `p(95)<500`; undefined for an expression it cannot place. */
export function parseThreshold(t: MetaThreshold): ParsedThreshold | undefined {
  const m = EXPR.exec(t.source);
  const k = /^([^{]+)(?:\{(.*)\})?$/.exec(t.key);
  if (m === null || k === null) return undefined;
  const tags: Record<string, string> = {};
  for (const pair of (k[2] ?? '').split(',')) {
    const i = pair.indexOf(':');
    if (i > 0) tags[pair.slice(0, i).trim()] = pair.slice(i + 1).trim();
  }
  return { metric: (k[1] ?? '').trim(), tags, agg: (m[1] ?? '').replace(/\s+/g, ''), op: m[2] ?? '<', limit: Number(m[3]), source: t.source };
}

/** Constant threshold lines for `metric` whose sub-metric tags are exactly `tags` (e.g. {} or {scenario: X}). */
export function thresholdLines(thresholds: readonly ParsedThreshold[], metric: string, tags: Readonly<Record<string, string>>, unit: ChartUnit, length: number, aggs?: RegExp): ChartLine[] {
  const want = JSON.stringify(Object.entries(tags).sort());
  return thresholds
    .filter((t) => t.metric === metric && JSON.stringify(Object.entries(t.tags).sort()) === want && (aggs === undefined || aggs.test(t.agg)))
    .map((t) => ({ name: `threshold ${t.source}`, unit, values: new Array<number>(length).fill(t.limit), style: 'threshold' as const }));
}

/** Percentiles `pcts` of a Trend over `points`, merging the series that `keep` accepts (all: the total). */
export function percentilesOf(points: readonly TimeSeriesPoint[], metric: string, pcts: readonly number[], keep?: (tags: Tags) => boolean): number[] | undefined {
  const h = createHdr();
  let min = Infinity;
  let max = -Infinity;
  let count = 0;
  for (const p of points) {
    const m = p.metrics[metric];
    if (m === undefined) continue;
    const parts = keep === undefined ? [m.total] : m.series.filter((s) => keep(s.tags));
    for (const s of parts) {
      if (s.agg.type !== 'trend' || s.agg.count === 0) continue;
      mergeHdr(h, decodeHdr(s.agg.hdr));
      count += s.agg.count;
      min = Math.min(min, s.agg.min);
      max = Math.max(max, s.agg.max);
    }
  }
  return count === 0 ? undefined : hdrPercentiles(h, pcts, min, max);
}

/** Sum of a Counter over `points`, for the series `keep` accepts (all when absent). */
export function counterSum(points: readonly TimeSeriesPoint[], metric: string, keep?: (tags: Tags) => boolean): number {
  let sum = 0;
  for (const p of points) {
    const m = p.metrics[metric];
    if (m === undefined) continue;
    for (const s of keep === undefined ? [m.total] : m.series.filter((x) => keep(x.tags))) if (s.agg.type === 'counter') sum += s.agg.sum;
  }
  return sum;
}

/** The last value of a Gauge within `points` (null when it was not sampled there). */
export function gaugeLast(points: readonly TimeSeriesPoint[], metric: string): number | null {
  for (let i = points.length - 1; i >= 0; i--) {
    const a = points[i]?.metrics[metric]?.total.agg;
    if (a?.type === 'gauge' && Number.isFinite(a.value)) return a.value;
  }
  return null;
}

/** The unit a Gauge is drawn in, from its name and what it contains. */
export function gaugeUnit(name: string, contains: string): ChartUnit {
  if (contains === 'data' || /_bytes$/.test(name)) return 'bytes';
  if (/cpu/i.test(name)) return 'cores';
  if (contains === 'time') return 'ms';
  if (/_per_s$|_rate$/.test(name)) return 'per_s';
  return 'count';
}

/**
 * Whole intervals only: a point much shorter than the usual span (the stub after the run's end)
 * would turn a few requests into a false spike (or dip) of the per-second rate.
 */
export function wholePoints(points: readonly TimeSeriesPoint[]): TimeSeriesPoint[] {
  const spans = points.map((p) => p.endMs - p.startMs).sort((a, b) => a - b);
  const median = spans[Math.floor(spans.length / 2)] ?? 0;
  return points.filter((p) => p.endMs - p.startMs >= median / 2);
}
