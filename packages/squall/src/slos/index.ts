/**
 * Service level objectives of seed 000's Activity pipeline, declared once. Each number lives here
 * and nowhere else: the squall threshold a test script judges (`sloThresholds()`), the Prometheus
 * alert rule (`src/dashboards`, `squall dashboards`), the threshold line on the Grafana panel and
 * the PASS / WARN / FAIL line of the Markdown report all read it from this table.
 */

/** Alert severity label, as Alertmanager routes usually match it. */
export type SloSeverity = 'critical' | 'warning';

/** Which way the objective points: `max` = the figure must stay below `limit`, `min` = above. */
export type SloDirection = 'max' | 'min';

/** One objective: what is measured on each side (squall and Prometheus) and the one limit. */
export interface Slo {
  /** Stable id, kebab-case (`ingest-lag-p95`). */
  readonly id: string;
  /** Human label: `Ingest lag p95`. */
  readonly title: string;
  readonly direction: SloDirection;
  /** The limit in `unit`. */
  readonly limit: number;
  /** Unit of `limit`: `s`, `ratio` (0..1), `events` or `cores`. */
  readonly unit: 's' | 'ratio' | 'events' | 'cores';
  /**
   * The squall threshold judging it in a run: metric (with sub-metric selector), the aggregation,
   * and how the limit maps onto the metric: `scale` (1000: seconds to squall's ms) or `complement`
   * (a success-rate objective judged on a failure Rate: `rate < 1 - limit`). See sloThresholdExpr.
   */
  readonly threshold: { readonly metric: string; readonly agg: string; readonly scale?: number; readonly complement?: boolean };
  /** Prometheus alert rule: name, the figure as PromQL (compared with `limit`), `for:` window, severity. */
  readonly alert: { readonly name: string; readonly figure: string; readonly for: string; readonly severity: SloSeverity };
  /** Grafana unit of the figure (`s`, `percentunit`, `short`). */
  readonly grafanaUnit: string;
  /** What to look at first when it breaks (Markdown report, alert description). */
  readonly recommendation: string;
}

/** Formats the limit for a human: `10 s`, `99.9%`, `1,000 events`, `85% of a core`. */
export function formatSloLimit(slo: Slo): string {
  switch (slo.unit) {
    case 's':
      return `${slo.limit} s`;
    case 'ratio':
      return `${+(slo.limit * 100).toPrecision(4)}%`;
    case 'events':
      return `${slo.limit.toLocaleString('en-US')} events`;
    case 'cores':
      return `${+(slo.limit * 100).toPrecision(3)}% of a core`;
  }
}

/** The PromQL that is true (returns series) while the objective is broken: `figure > limit` or `< limit`. */
export function sloBreachExpr(slo: Slo): string {
  return `${slo.alert.figure} ${slo.direction === 'max' ? '>' : '<'} ${slo.limit}`;
}

const RATE_WINDOW = '5m';

/** Seed 000's SLOs (Activity: ingestion, query, resources). */
export const ACTIVITY_SLOS: readonly Slo[] = [
  {
    id: 'ingest-lag-p95',
    title: 'Ingest lag p95',
    direction: 'max',
    limit: 10,
    unit: 's',
    threshold: { metric: 'ingest_lag', agg: 'p(95)', scale: 1000 },
    alert: {
      name: 'ActivityIngestLagHigh',
      figure: `histogram_quantile(0.95, sum by (le) (rate(activity_ingest_to_stored_seconds_bucket[${RATE_WINDOW}])))`,
      for: '5m',
      severity: 'critical',
    },
    grafanaUnit: 's',
    recommendation: 'Ingest lag is over the SLO: check insert duration and batch size of the batch writer, then the store (CPU, parts); scale the writer or the store.',
  },
  {
    id: 'ingestion-success',
    title: 'Ingestion success rate',
    direction: 'min',
    limit: 0.999,
    unit: 'ratio',
    threshold: { metric: 'http_req_failed{scenario:ingest}', agg: 'rate', complement: true },
    alert: {
      name: 'ActivityIngestionSuccessLow',
      figure: `(sum(rate(activity_events_accepted_total[${RATE_WINDOW}])) / sum(rate(activity_events_received_total[${RATE_WINDOW}])))`,
      for: '5m',
      severity: 'critical',
    },
    grafanaUnit: 'percentunit',
    recommendation: 'Events are being refused: look at the rejection reasons (queue_full means the queue is the bottleneck, invalid means the senders are wrong).',
  },
  {
    id: 'query-latency-p95',
    title: 'Query latency p95',
    direction: 'max',
    limit: 2,
    unit: 's',
    threshold: { metric: 'http_req_duration{scenario:queries}', agg: 'p(95)', scale: 1000 },
    alert: {
      name: 'ActivityQueryLatencyHigh',
      figure: `histogram_quantile(0.95, sum by (le) (rate(activity_query_duration_seconds_bucket[${RATE_WINDOW}])))`,
      for: '10m',
      severity: 'warning',
    },
    grafanaUnit: 's',
    recommendation: 'Queries are slow: find the slowest names in the per-name latency table; platform and complex queries need the projection and a narrower time range.',
  },
  {
    id: 'stream-depth',
    title: 'Stream depth',
    direction: 'max',
    limit: 1000,
    unit: 'events',
    threshold: { metric: 'queue_depth', agg: 'value' },
    alert: {
      // Growing and already deep: a queue that grows from 3 to 5 is no incident.
      name: 'ActivityStreamDepthGrowing',
      figure: `(activity_queue_depth_events and deriv(activity_queue_depth_events[${RATE_WINDOW}]) > 0)`,
      for: '10m',
      severity: 'warning',
    },
    grafanaUnit: 'short',
    recommendation: 'The stream (queue) keeps growing: consumers do not keep up with ingestion; add writer capacity or lower the ingest rate.',
  },
  {
    id: 'store-cpu',
    title: 'Store CPU',
    direction: 'max',
    limit: 0.85,
    unit: 'cores',
    threshold: { metric: 'target_cpu', agg: 'max' },
    alert: {
      name: 'ActivityStoreCpuHigh',
      figure: `rate(activity_process_cpu_seconds_total[${RATE_WINDOW}])`,
      for: '10m',
      severity: 'warning',
    },
    grafanaUnit: 'percentunit',
    recommendation: 'The store process is over 85% CPU: add a node (seed 000: a 4th ClickHouse node) or move the heaviest queries to a projection.',
  },
];

/**
 * The squall threshold expression of an SLO: `p(95)<10000` for a 10 s max, `rate<0.001` for a
 * 99.9% success objective judged on a failure Rate. Rounded to 12 significant digits so
 * `1 - 0.999` reads 0.001.
 */
export function sloThresholdExpr(slo: Slo): string {
  const t = slo.threshold;
  const value = t.complement === true ? 1 - slo.limit : slo.limit * (t.scale ?? 1);
  const op = (slo.direction === 'max') !== (t.complement === true) ? '<' : '>';
  return `${t.agg}${op}${+value.toPrecision(12)}`;
}

/** The squall `thresholds` option for `slos` (merge it into a script's options). */
export function sloThresholds(slos: readonly Slo[] = ACTIVITY_SLOS): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const s of slos) (out[s.threshold.metric] ??= []).push(sloThresholdExpr(s));
  return out;
}
