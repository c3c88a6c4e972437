/** The `observe.prometheus` option: PromQL queries to a Prometheus server over the run's window. */
import type { ConfigProblem } from '../errors.js';
import type { MetricType } from '../metrics/types.js';
import { childPath, describeValue, isRecord } from '../config/describe-value.js';
import { FieldReader } from '../config/field-reader.js';

/** One query: the Gauge it is recorded as and the PromQL expression. */
export interface PrometheusQuery {
  readonly name: string;
  readonly promql: string;
}

/** Resolved `observe.prometheus`. */
export interface PrometheusQueryOptions {
  /** Server base URL without a trailing slash (may carry a path prefix, e.g. behind a proxy). */
  readonly url: string;
  /** `query_range` resolution in ms. */
  readonly stepMs: number;
  /** Live instant queries every this many ms during the load; undefined: only after the load. */
  readonly intervalMs: number | undefined;
  /** Per-request timeout in ms. */
  readonly timeoutMs: number;
  /** Wait after the load ends before querying its window, in ms (lets Prometheus scrape the last moments). */
  readonly delayMs: number;
  readonly queries: readonly PrometheusQuery[];
  /**
   * Request headers (auth). Non-enumerable on purpose: resolved options are written to meta.json
   * and cloned to workers, and neither should carry a bearer token; only the main thread uses them.
   */
  readonly headers: Readonly<Record<string, string>>;
}

/** Counter of failed Prometheus queries (tagged `query`), defined when `observe.prometheus` is set. */
export const QUERY_ERRORS_METRIC = 'observe_query_errors';

const METRIC_NAME = /^[a-zA-Z_][a-zA-Z0-9_]{0,127}$/;
const KEYS = ['url', 'queries', 'step', 'interval', 'timeout', 'delay', 'headers'];
const EXAMPLE = "{ url: 'http://127.0.0.1:9090', queries: { target_cpu: 'rate(process_cpu_seconds_total[15s])' } }";

/**
 * Reads `observe.prometheus: { url, queries: { gaugeName: promql }, step, interval, timeout, delay,
 * headers }`. Query names become Gauge metrics: each must be a metric name not already in `names`
 * (built-in, script-defined, or observed series), and is added to it so thresholds may name it.
 */
export function readPrometheusQueries(value: unknown, names: Map<string, MetricType>, problems: ConfigProblem[]): PrometheusQueryOptions | undefined {
  const base = 'observe.prometheus';
  if (!isRecord(value)) {
    problems.push({ path: base, message: `must be an object such as ${EXAMPLE}, but is ${describeValue(value)}` });
    return undefined;
  }
  for (const k of Object.keys(value)) if (!KEYS.includes(k)) problems.push({ path: childPath(base, k), message: `is not allowed; observe.prometheus has ${KEYS.join(', ')}` });
  const r = new FieldReader(value, (key) => childPath(base, key), problems);
  const rawUrl = r.string('url', undefined, { re: /^https?:\/\/[^\s?#]+$/, rule: 'the http(s) URL of a Prometheus server, such as http://127.0.0.1:9090 (no query string)' });
  if (!r.has('url')) r.problem('url', 'is required: the Prometheus server to query, e.g. http://127.0.0.1:9090');
  const stepMs = r.duration('step', { ms: 100, text: '100ms' }, '1s');
  const intervalMs = r.has('interval') ? r.duration('interval', { ms: 100, text: '100ms' }) : null;
  const timeoutMs = r.duration('timeout', { ms: 1, text: '1ms' }, '10s');
  const delayMs = r.duration('delay', { ms: 0, text: '0s' }, '0s');
  if (delayMs !== undefined && delayMs > 60_000) r.problem('delay', `must be at most 1m (a scrape interval or two is enough), but is ${describeValue(value.delay)}`);
  const headers = r.stringRecord('headers');

  const queries: PrometheusQuery[] = [];
  const rawQueries = value.queries;
  if (!isRecord(rawQueries) || Object.keys(rawQueries).length === 0) {
    problems.push({
      path: `${base}.queries`,
      message: `must map gauge names to PromQL queries, e.g. { target_cpu: 'rate(process_cpu_seconds_total[15s])' }, but is ${describeValue(rawQueries)}`,
    });
  } else {
    for (const [name, promql] of Object.entries(rawQueries)) {
      const path = childPath(`${base}.queries`, name);
      let ok = true;
      if (!METRIC_NAME.test(name)) {
        problems.push({ path, message: 'the name must be letters, digits and _, not starting with a digit, at most 128 characters' });
        ok = false;
      } else if (names.has(name)) {
        problems.push({ path, message: `the name ${name} is already a metric (built-in, defined by the script, or observed elsewhere); choose another` });
        ok = false;
      }
      if (typeof promql !== 'string' || promql.trim() === '') {
        problems.push({ path, message: `must be a PromQL query such as 'sum(rate(http_requests_total[30s]))', but is ${describeValue(promql)}` });
        ok = false;
      }
      if (!ok) continue;
      names.set(name, 'gauge');
      queries.push({ name, promql: (promql as string).trim() });
    }
  }
  if (!names.has(QUERY_ERRORS_METRIC)) names.set(QUERY_ERRORS_METRIC, 'counter');
  if (rawUrl === undefined || stepMs === undefined || intervalMs === undefined || timeoutMs === undefined || delayMs === undefined || headers === undefined) return undefined;
  const resolved: Omit<PrometheusQueryOptions, 'headers'> = { url: rawUrl.replace(/\/+$/, ''), stepMs, intervalMs: intervalMs ?? undefined, timeoutMs, delayMs, queries };
  return Object.defineProperty(resolved, 'headers', { value: Object.freeze({ ...headers }), enumerable: false }) as PrometheusQueryOptions;
}
