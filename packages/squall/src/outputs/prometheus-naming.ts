/**
 * k6's Prometheus naming, shared by the exposition endpoint and remote write so one set of Grafana
 * dashboards reads both (as k6's experimental-prometheus-rw output names things):
 *   Counter  k6_<name>_total        the run-so-far sum
 *   Gauge    k6_<name>              the last value
 *   Rate     k6_<name>_rate         passes / total so far
 *   Trend    k6_<name>_<stat>       one gauge per stat: p(99) -> _p99, p(99.9) -> _p999, avg, min,
 *                                    med, max, count, sum; time Trends in seconds (k6 divides by 1000)
 * Tags become labels (names made valid, empty values dropped).
 */
import { SquallError } from '../errors.js';
import { parseTrendStat, type TrendStat } from '../metrics/trend-stats.js';
import type { MetricContains, MetricType } from '../metrics/types.js';

/** Every series name starts with this (k6's namespace). */
export const PROMETHEUS_PREFIX = 'k6_';

/** A Trend stat to publish: `key` as the user wrote it (`p(99)`), `suffix` as the name ends (`p99`). */
export interface PromTrendStat {
  readonly key: string;
  readonly suffix: string;
  /** Undefined for `sum`, which squall's summary stats do not have. */
  readonly stat: TrendStat | undefined;
}

/** The name suffix k6 uses for a Trend stat: `p(95)` -> `p95`, `p(99.9)` -> `p999`, others unchanged. */
export function trendStatSuffix(key: string): string {
  const m = /^p\((.*)\)$/.exec(key);
  return m === null ? key : `p${(m[1] ?? '').replaceAll('.', '')}`;
}

/**
 * Parses a comma-separated list of Trend stats as K6_PROMETHEUS_RW_TREND_STATS takes it: `count`,
 * `sum`, `min`, `max`, `avg`, `med`, `p(N)`. Throws SquallError SQUALL_CONFIG_INVALID naming every
 * bad entry and `source` (the variable it came from).
 */
export function parsePromTrendStats(list: string, source: string): PromTrendStat[] {
  const out: PromTrendStat[] = [];
  const bad: string[] = [];
  const seen = new Set<string>();
  for (const raw of list.split(',')) {
    const key = raw.trim();
    if (key === '' || seen.has(key)) continue;
    seen.add(key);
    if (key === 'sum') {
      out.push({ key, suffix: 'sum', stat: undefined });
      continue;
    }
    const stat = parseTrendStat(key);
    if (stat === undefined) bad.push(JSON.stringify(key));
    else out.push({ key, suffix: trendStatSuffix(key), stat });
  }
  if (bad.length > 0 || out.length === 0) {
    throw new SquallError(
      'SQUALL_CONFIG_INVALID',
      `${source}: each stat must be count, sum, min, max, avg, med or p(N) with 0 <= N <= 100, ` +
        `but found ${bad.length > 0 ? bad.join(', ') : 'an empty list'}; e.g. p(95),p(99),avg,max`,
    );
  }
  return out;
}

/** A valid Prometheus name part: characters outside [a-zA-Z0-9_] become `_`, and it never starts with a digit. */
export function promSafeName(text: string): string {
  const safe = text.replace(/[^a-zA-Z0-9_]/g, '_');
  return /^[0-9]/.test(safe) || safe === '' ? `_${safe}` : safe;
}

/** `k6_<metric>` plus `_<suffix>` when there is one. */
export function promMetricName(metric: string, suffix: string): string {
  const base = `${PROMETHEUS_PREFIX}${promSafeName(metric)}`;
  return suffix === '' ? base : `${base}_${suffix}`;
}

/** The suffix a metric type gets (Trends get one per stat instead). */
export function typeSuffix(type: Exclude<MetricType, 'trend'>): string {
  return type === 'counter' ? 'total' : type === 'rate' ? 'rate' : '';
}

/** A Trend stat value in Prometheus' base unit: time Trends (ms in squall) in seconds, as k6; counts stay counts. */
export function trendStatValue(contains: MetricContains, suffix: string, value: number): number {
  return contains === 'time' && suffix !== 'count' ? value / 1000 : value;
}

/** Label name of the time series' overflow series (`__other`; names starting `__` are Prometheus' own). */
export const OTHER_LABEL = 'squall_other';

/** One label: name and value. */
export type PromLabel = readonly [name: string, value: string];

/**
 * Labels of a series: its tags over the run's constant labels (test-wide tags, static labels), tags
 * winning as in k6. Names made valid, empty values dropped, sorted by name (remote write wants them so).
 */
export function promLabels(tags: Readonly<Record<string, string>>, constant: Readonly<Record<string, string>>): PromLabel[] {
  const byName = new Map<string, string>();
  for (const [k, v] of Object.entries(tags)) {
    const name = k === '__other' ? OTHER_LABEL : promSafeName(k);
    if (v === '' || name === '__name__') continue;
    byName.set(name, v);
  }
  for (const [k, v] of Object.entries(constant)) {
    const name = promSafeName(k);
    if (v === '' || name === '__name__' || byName.has(name)) continue;
    byName.set(name, v);
  }
  return [...byName].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
