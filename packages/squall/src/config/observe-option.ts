/** The `observe` option: Prometheus endpoints of the system under test, scraped during the run. */
import type { ConfigProblem } from '../errors.js';
import type { MetricType } from '../metrics/types.js';
import { readPrometheusQueries, type PrometheusQueryOptions } from '../observe/prometheus-query-option.js';
import { parseSelector, type SeriesSelector } from '../observe/series-selector.js';
import { describeValue, isRecord } from './describe-value.js';
import { FieldReader } from './field-reader.js';

/** One observed series: the Gauge it is recorded as and the Prometheus series it follows. */
export interface ObservedSeries {
  readonly name: string;
  readonly selector: SeriesSelector;
}

/** One scraped endpoint. */
export interface ObserveTarget {
  readonly url: string;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly series: readonly ObservedSeries[];
}

/** Resolved `observe` option (no targets when absent). */
export interface ObserveOptions {
  readonly targets: readonly ObserveTarget[];
  /** Queries to a Prometheus server over the run's window (observe/prometheus-query-option.ts); absent when not set. */
  readonly prometheus?: PrometheusQueryOptions | undefined;
}

/** Counter of failed scrapes (tagged `target`), defined when any target is observed. */
export const SCRAPE_ERRORS_METRIC = 'observe_scrape_errors';

const METRIC_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TARGET_KEYS = ['url', 'interval', 'timeout', 'series'];

/**
 * Reads `observe: { targets: [{ url, interval, timeout, series: { gaugeName: selector } }],
 * prometheus: { url, queries: { gaugeName: promql }, ... } }` (either or both).
 * Series and query names become Gauge metrics, so they must not clash with `known` (built-in and
 * script metrics) or with each other; the returned map adds them to `known` for threshold validation.
 */
export function readObserve(value: unknown, known: ReadonlyMap<string, MetricType>, problems: ConfigProblem[]): { observe: ObserveOptions; known: ReadonlyMap<string, MetricType> } {
  const none = { observe: { targets: [] }, known };
  if (value === undefined || value === null) return none;
  if (!isRecord(value) || (value.targets == null && value.prometheus == null)) {
    problems.push({ path: 'observe', message: `must be { targets: [{ url, interval, series: { name: 'metric' } }] } and/or { prometheus: { url, queries: { name: 'promql' } } }, but is ${describeValue(value)}` });
    return none;
  }
  for (const k of Object.keys(value)) if (k !== 'targets' && k !== 'prometheus') problems.push({ path: `observe.${k}`, message: 'is not allowed; observe has targets and prometheus' });
  if (value.targets != null && !Array.isArray(value.targets)) {
    problems.push({ path: 'observe.targets', message: `must be a list of targets [{ url, interval, series: { name: 'metric' } }], but is ${describeValue(value.targets)}` });
  }
  const names = new Map(known);
  const targets: ObserveTarget[] = [];
  (Array.isArray(value.targets) ? value.targets : []).forEach((t: unknown, i) => {
    const base = `observe.targets[${i}]`;
    if (!isRecord(t)) {
      problems.push({ path: base, message: `must be an object { url, interval, series }, but is ${describeValue(t)}` });
      return;
    }
    for (const k of Object.keys(t)) if (!TARGET_KEYS.includes(k)) problems.push({ path: `${base}.${k}`, message: `is not allowed; a target has ${TARGET_KEYS.join(', ')}` });
    const r = new FieldReader(t, (key) => `${base}.${key}`, problems);
    const url = r.string('url', undefined, { re: /^https?:\/\/\S+$/, rule: 'an http(s) URL such as http://127.0.0.1:8080/metrics' });
    if (!r.has('url')) r.problem('url', 'is required: the Prometheus endpoint to scrape, e.g. http://127.0.0.1:8080/metrics');
    const intervalMs = r.duration('interval', { ms: 100, text: '100ms' }, '1s');
    const timeoutMs = r.duration('timeout', { ms: 1, text: '1ms' }, intervalMs === undefined ? '1s' : `${intervalMs}ms`);
    const series: ObservedSeries[] = [];
    if (!isRecord(t.series) || Object.keys(t.series).length === 0) {
      problems.push({ path: `${base}.series`, message: `must map gauge names to series, e.g. { target_rss_bytes: 'process_resident_memory_bytes' }, but is ${describeValue(t.series)}` });
    } else {
      for (const [name, sel] of Object.entries(t.series)) {
        const path = `${base}.series.${name}`;
        if (!METRIC_NAME.test(name)) problems.push({ path, message: 'the name must be letters, digits and _, not starting with a digit' });
        else if (names.has(name)) problems.push({ path, message: `the name ${name} is already a metric (built-in, defined by the script, or observed twice); choose another` });
        const parsed = typeof sel === 'string' ? parseSelector(sel) : `must be a selector string such as 'rate(process_cpu_seconds_total)', but is ${describeValue(sel)}`;
        if (typeof parsed === 'string') problems.push({ path, message: parsed });
        else {
          names.set(name, 'gauge');
          series.push({ name, selector: parsed });
        }
      }
    }
    if (url !== undefined && intervalMs !== undefined && timeoutMs !== undefined) targets.push({ url, intervalMs, timeoutMs, series });
  });
  if (targets.length > 0 && !names.has(SCRAPE_ERRORS_METRIC)) names.set(SCRAPE_ERRORS_METRIC, 'counter');
  const prometheus = value.prometheus == null ? undefined : readPrometheusQueries(value.prometheus, names, problems);
  return { observe: prometheus === undefined ? { targets } : { targets, prometheus }, known: names };
}
