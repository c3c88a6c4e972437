import { DashboardBuilder, RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { ACTIVITY_SLOS, formatSloLimit, type Slo } from '../slos/index.js';
import { statPanel, tablePanel, timeSeriesPanel, type PanelQuery } from './panels.js';
import { BASELINE_SELECTOR, RUN_SELECTOR, sloSquallFigure, squallName } from './squall-series.js';
import { baselineVariables, datasourceVariable, scenarioVariable, tenantVariable, testIdVariable } from './variables.js';

/** Options shared by the boards. */
export interface BoardOptions {
  /** testid preset as the `$baseline` overlay (none: the overlay stays empty until one is picked). */
  readonly baselineTestId?: string;
  readonly slos?: readonly Slo[];
}

const SEL = `{${RUN_SELECTOR}}`;
const rate = (series: string, sel: string, by: string) => `sum by (${by}) (rate(${series}${sel}[$__rate_interval]))`;

function sloById(slos: readonly Slo[], id: string): Slo | undefined {
  return slos.find((s) => s.id === id);
}

/** Percentile lines of a squall Trend by `by`, with the baseline's final values as a dashed overlay. */
function percentileQueries(metric: string, by: string, extraSel = ''): PanelQuery[] {
  const sel = `{${[RUN_SELECTOR, extraSel].filter((s) => s !== '').join(', ')}}`;
  const base = `{${[BASELINE_SELECTOR, extraSel].filter((s) => s !== '').join(', ')}}`;
  const stat = (s: string) => squallName(metric, { stat: s });
  return [
    { expr: `max by (${by}) (${stat('med')}${sel})`, legend: `{{${by}}} p50` },
    { expr: `max by (${by}) (${stat('p(95)')}${sel})`, legend: `{{${by}}} p95` },
    { expr: `max by (${by}) (${stat('p(99)')}${sel})`, legend: `{{${by}}} p99` },
    { expr: `max by (${by}) (last_over_time(${stat('p(95)')}${base}[$baseline_window]))`, legend: `baseline {{${by}}} p95`, baseline: true },
  ];
}

/**
 * The "load test" board: squall's own metrics while a run goes (rate, VUs, latency percentiles per
 * scenario and name, errors by code, checks, thresholds/SLO figures, dropped iterations, ingest
 * lag and loss), with a baseline run overlaid. Reads what `squall run --out prometheus` serves.
 */
export function loadTestBoard(opts: BoardOptions = {}): DashboardBuilder {
  const slos = opts.slos ?? ACTIVITY_SLOS;
  const b = new DashboardBuilder('squall / load test')
    .uid('squall-load-test')
    .description("squall's own metrics during a run (squall run --out prometheus), a baseline run overlaid dashed")
    .tags(['squall', 'load-test'])
    .refresh('5s')
    .time({ from: 'now-15m', to: 'now' })
    .timezone('browser')
    .withVariable(datasourceVariable())
    .withVariable(testIdVariable())
    .withVariable(scenarioVariable())
    .withVariable(tenantVariable());
  for (const v of baselineVariables(opts.baselineTestId)) b.withVariable(v);

  b.withRow(new RowBuilder('SLOs (thresholds)'));
  for (const slo of slos) {
    b.withPanel(statPanel({ title: `${slo.title} (SLO ${slo.direction === 'max' ? '<' : '>'} ${formatSloLimit(slo)})`, description: `squall's figure of the ${slo.title} SLO during the run; red past the limit`, unit: slo.grafanaUnit, queries: [{ expr: sloSquallFigure(slo), legend: slo.title }], slo, span: Math.max(4, Math.floor(24 / slos.length)) }));
  }

  b.withRow(new RowBuilder('Load'));
  b.withPanel(timeSeriesPanel({ title: 'Request rate by scenario', description: 'HTTP requests per second sent by squall', unit: 'reqps', queries: [{ expr: rate(squallName('http_reqs', 'counter'), SEL, 'scenario'), legend: '{{scenario}}' }] }));
  b.withPanel(timeSeriesPanel({ title: 'Virtual users', description: 'Active VUs and the most allocated', unit: 'short', queries: [
    { expr: `sum(${squallName('vus', 'gauge')}{testid=~"$testid"})`, legend: 'VUs' },
    { expr: `sum(${squallName('vus_max', 'gauge')}{testid=~"$testid"})`, legend: 'VUs max' },
  ] }));
  b.withPanel(timeSeriesPanel({ title: 'Iterations and dropped iterations', description: 'Iterations per second; dropped: an arrival-rate executor had no free VU (the load asked for was not sent)', unit: 'short', queries: [
    { expr: rate(squallName('iterations', 'counter'), SEL, 'scenario'), legend: '{{scenario}} iterations/s' },
    { expr: rate(squallName('dropped_iterations', 'counter'), SEL, 'scenario'), legend: '{{scenario}} dropped/s' },
  ] }));
  b.withPanel(timeSeriesPanel({ title: 'Errors by status and error code', description: 'Failed requests per second (expected_response="false")', unit: 'reqps', queries: [
    { expr: rate(squallName('http_reqs', 'counter'), `{${RUN_SELECTOR}, expected_response="false"}`, 'status, error_code'), legend: 'status {{status}} {{error_code}}' },
  ] }));

  b.withRow(new RowBuilder('Latency'));
  const queriesSlo = sloById(slos, 'query-latency-p95');
  b.withPanel(timeSeriesPanel({ title: 'Request duration by scenario (run so far)', description: 'http_req_duration p50/p95/p99 of the run so far; dashed: the baseline run\'s final p95', unit: 's', queries: percentileQueries('http_req_duration', 'scenario'), slo: queriesSlo }));
  b.withPanel(timeSeriesPanel({ title: 'Request duration p95 by name', description: 'http_req_duration p95 per name tag (endpoint); dashed: baseline', unit: 's', queries: [
    { expr: `max by (name) (${squallName('http_req_duration', { stat: 'p(95)' })}${SEL})`, legend: '{{name}}' },
    { expr: `max by (name) (last_over_time(${squallName('http_req_duration', { stat: 'p(95)' })}{${BASELINE_SELECTOR}}[$baseline_window]))`, legend: 'baseline {{name}}', baseline: true },
  ], slo: queriesSlo }));
  b.withPanel(tablePanel({ title: 'Slowest names (max, run so far)', description: 'The ten names with the slowest single request', unit: 's', queries: [
    { expr: `topk(10, max by (scenario, name) (${squallName('http_req_duration', { stat: 'max' })}${SEL}))`, legend: '{{name}}' },
  ] }));
  b.withPanel(timeSeriesPanel({ title: 'Checks pass rate', description: 'Share of checks passed, per check; dashed: baseline', unit: 'percentunit', queries: [
    { expr: `min by (check) (${squallName('checks', 'rate')}${SEL})`, legend: '{{check}}' },
    { expr: `min by (check) (last_over_time(${squallName('checks', 'rate')}{${BASELINE_SELECTOR}}[$baseline_window]))`, legend: 'baseline {{check}}', baseline: true },
  ] }));

  b.withRow(new RowBuilder('Pipeline (ingest lag, loss, queue depth)'));
  b.withPanel(timeSeriesPanel({ title: 'Ingest lag (sent to queryable)', description: 'squall DeliveryTracker: from the 202 to the event being found by a query', unit: 's', queries: percentileQueries('ingest_lag', 'scenario'), slo: sloById(slos, 'ingest-lag-p95') }));
  b.withPanel(timeSeriesPanel({ title: 'Tracked events: accepted, found, not found yet', description: 'Events squall tracks; accepted minus found is in flight, or lost when the run ends', unit: 'short', queries: [
    { expr: `sum(${squallName('events_accepted', 'counter')}${SEL})`, legend: 'accepted' },
    { expr: `sum(${squallName('events_found', 'counter')}${SEL})`, legend: 'found' },
    { expr: `sum(${squallName('events_accepted', 'counter')}${SEL}) - sum(${squallName('events_found', 'counter')}${SEL})`, legend: 'not found yet' },
  ] }));
  b.withPanel(timeSeriesPanel({ title: 'Observed target figures', description: 'Target series squall scrapes during the run (options.observe), e.g. queue_depth, target_cpu', unit: 'short', queries: [
    { expr: `${squallName('queue_depth', 'gauge')}{testid=~"$testid"}`, legend: 'queue depth' },
    { expr: `${squallName('target_cpu', 'gauge')}{testid=~"$testid"}`, legend: 'target CPU (cores)' },
  ], slo: sloById(slos, 'stream-depth') }));
  return b;
}
