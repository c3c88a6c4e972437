import { ACTIVITY_SLOS, sloThresholdExpr, type Slo } from '../slos/index.js';

/** Names people use for squall's (k6's) metrics. */
const METRIC_LABELS: Readonly<Record<string, string>> = {
  http_req_duration: 'latency',
  http_req_latency: 'latency incl. start delay',
  http_req_waiting: 'time to first byte',
  http_req_failed: 'error rate',
  http_reqs: 'requests',
  iteration_duration: 'iteration duration',
  iterations: 'iterations',
  dropped_iterations: 'dropped iterations',
  checks: 'checks passed',
  vus: 'VUs',
  vus_max: 'VUs allocated',
  ingest_lag: 'ingest lag',
  events_missing: 'events lost',
  events_found: 'events found',
  events_duplicated: 'events duplicated',
  queue_depth: 'queue depth',
  target_cpu: 'target CPU',
  target_rss_bytes: 'target memory (RSS)',
  recovery_time: 'recovery time',
};

const AGG_LABELS: Readonly<Record<string, string>> = { avg: 'average', med: 'median', min: 'minimum', max: 'peak', count: 'count of', value: '', rate: '' };

/**
 * A human label of a threshold's figure: `http_req_duration{scenario:api}` + `p(95)<500` ->
 * `p95 latency (scenario api)`; `http_req_failed` + `rate<0.01` -> `error rate`. Unknown metrics
 * keep their name.
 */
export function humanThresholdLabel(key: string, source: string): string {
  const m = /^([^{]+)(?:\{(.*)\})?$/.exec(key);
  const metric = (m?.[1] ?? key).trim();
  const tags = (m?.[2] ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '').map((p) => p.replace(/^(\w+):/, '$1 ').replace(/^group :::?/, 'group '));
  const agg = /^\s*([a-z]+(?:\([\d.]+\))?)/i.exec(source)?.[1] ?? '';
  const pct = /^p\(([\d.]+)\)$/.exec(agg);
  const aggLabel = pct !== null ? `p${pct[1]}` : (AGG_LABELS[agg] ?? agg);
  const name = METRIC_LABELS[metric] ?? metric;
  const head = aggLabel === '' ? name : aggLabel === 'count of' ? `${name} (count)` : `${aggLabel} ${name}`;
  const text = `${head.charAt(0).toUpperCase()}${head.slice(1)}`;
  return tags.length === 0 ? text : `${text} (${tags.join(', ')})`;
}

/** The SLO a threshold judges, when it is one of `slos` (same metric and the same expression). */
export function sloOfThreshold(key: string, source: string, slos: readonly Slo[] = ACTIVITY_SLOS): Slo | undefined {
  const compact = source.replace(/\s+/g, '');
  return slos.find((s) => s.threshold.metric === key && sloThresholdExpr(s) === compact);
}
