import { DashboardBuilder, RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { ACTIVITY_SLOS, type Slo } from '../slos/index.js';
import type { BoardOptions } from './load-test-board.js';
import { quantile, statPanel, tablePanel, timeSeriesPanel } from './panels.js';
import { RUN_SELECTOR, squallName } from './squall-series.js';
import { datasourceVariable, instanceVariable, scopeVariable, tenantVariable, testIdVariable } from './variables.js';

/**
 * Seed 000's three boards over the metrics the `activity` target serves on /metrics
 * (packages/activity/src/metrics.ts; process and Node.js metrics by prom-client with the
 * `activity_` prefix), with squall's outside view beside them where it adds something.
 */

const INST = '{instance=~"$instance"}';
const inst = (extra: string) => `{instance=~"$instance", ${extra}}`;
const rate = (series: string, sel: string) => `rate(${series}${sel}[$__rate_interval])`;

function slo(slos: readonly Slo[] | undefined, id: string): Slo | undefined {
  return (slos ?? ACTIVITY_SLOS).find((s) => s.id === id);
}

function board(title: string, uid: string, description: string): DashboardBuilder {
  return new DashboardBuilder(title).uid(uid).description(description).tags(['squall', 'activity']).refresh('10s').time({ from: 'now-30m', to: 'now' }).timezone('browser').withVariable(datasourceVariable()).withVariable(instanceVariable());
}

/** `ingestion-pipeline.json`: events/s, end-to-end latency, stream depth, batch writer, errors by component. */
export function ingestionPipelineBoard(opts: BoardOptions = {}): DashboardBuilder {
  const b = board('Activity / ingestion pipeline', 'activity-ingestion-pipeline', 'Webhook -> queue (NATS JetStream or memory) -> batch writer -> ClickHouse').withVariable(testIdVariable());
  b.withRow(new RowBuilder('Throughput'));
  b.withPanel(timeSeriesPanel({ title: 'Events per second', description: 'Events received, accepted (202) and stored, by ingest endpoint', unit: 'short', queries: [
    { expr: `sum by (endpoint) (${rate('activity_events_received_total', INST)})`, legend: 'received {{endpoint}}' },
    { expr: `sum by (endpoint) (${rate('activity_events_accepted_total', INST)})`, legend: 'accepted {{endpoint}}' },
    { expr: `sum(${rate('activity_rows_stored_total', INST)})`, legend: 'stored' },
  ] }));
  const success = slo(opts.slos, 'ingestion-success');
  b.withPanel(timeSeriesPanel({ title: 'Ingestion success rate', description: 'Accepted / received events (SLO: the dashed line)', unit: 'percentunit', slo: success, queries: [
    { expr: `sum(${rate('activity_events_accepted_total', INST)}) / sum(${rate('activity_events_received_total', INST)})`, legend: 'success' },
  ] }));
  b.withRow(new RowBuilder('Latency and depth'));
  b.withPanel(timeSeriesPanel({ title: 'End-to-end latency (receipt to stored)', description: 'activity_ingest_to_stored_seconds quantiles; squall: from its send to queryable', unit: 's', slo: slo(opts.slos, 'ingest-lag-p95'), queries: [
    { expr: quantile(0.5, 'activity_ingest_to_stored_seconds', INST), legend: 'p50' },
    { expr: quantile(0.95, 'activity_ingest_to_stored_seconds', INST), legend: 'p95' },
    { expr: quantile(0.99, 'activity_ingest_to_stored_seconds', INST), legend: 'p99' },
    { expr: `max(${squallName('ingest_lag', { stat: 'p(95)' })}{testid=~"$testid"})`, legend: 'squall ingest lag p95 (run so far)' },
  ] }));
  b.withPanel(timeSeriesPanel({ title: 'Stream depth', description: 'Events accepted and not yet stored (memory queue) or JetStream pending + unacknowledged', unit: 'short', slo: slo(opts.slos, 'stream-depth'), queries: [
    { expr: `sum(activity_queue_depth_events${INST})`, legend: 'depth' },
  ] }));
  b.withRow(new RowBuilder('Batch writer (buffer)'));
  b.withPanel(timeSeriesPanel({ title: 'Batch size', description: 'Events per insert batch', unit: 'short', span: 8, queries: [
    { expr: quantile(0.5, 'activity_batch_size_events', INST), legend: 'p50' },
    { expr: quantile(0.95, 'activity_batch_size_events', INST), legend: 'p95' },
  ] }));
  b.withPanel(timeSeriesPanel({ title: 'Insert duration', description: 'Time of one batch insert into the store', unit: 's', span: 8, queries: [
    { expr: quantile(0.95, 'activity_insert_duration_seconds', INST), legend: 'p95' },
    { expr: quantile(0.99, 'activity_insert_duration_seconds', INST), legend: 'p99' },
  ] }));
  b.withPanel(timeSeriesPanel({ title: 'Batches per second', description: 'Insert batches written', unit: 'short', span: 8, queries: [
    { expr: `sum(${rate('activity_batch_size_events_count', INST)})`, legend: 'batches/s' },
  ] }));
  b.withRow(new RowBuilder('Errors by component'));
  b.withPanel(timeSeriesPanel({ title: 'Errors by component', description: 'ingest: refused events by reason; writer: failed inserts and abandoned events; query API: non-2xx; fault: events dropped after the 202', unit: 'short', span: 24, queries: [
    { expr: `sum by (reason) (${rate('activity_events_rejected_total', INST)})`, legend: 'ingest: {{reason}}' },
    { expr: `sum(${rate('activity_insert_errors_total', INST)})`, legend: 'writer: insert errors' },
    { expr: `sum(${rate('activity_writer_abandoned_events_total', INST)})`, legend: 'writer: abandoned events' },
    { expr: `sum(${rate('activity_queries_total', inst('code!~"2.."'))})`, legend: 'query API: errors' },
    { expr: `sum(${rate('activity_fault_events_dropped_total', INST)})`, legend: 'fault: dropped after ack' },
  ] }));
  return b;
}

/** `query-performance.json`: QPS by scope, p50/p95/p99 by complexity, success rate, slow queries. */
export function queryPerformanceBoard(opts: BoardOptions = {}): DashboardBuilder {
  const b = board('Activity / query performance', 'activity-query-performance', 'Audit log query API: load, latency by scope and complexity, errors').withVariable(scopeVariable()).withVariable(testIdVariable()).withVariable(tenantVariable());
  const SCOPE = inst('scope=~"$scope"');
  const p95 = slo(opts.slos, 'query-latency-p95');
  b.withPanel(timeSeriesPanel({ title: 'Queries per second by scope', description: 'Query API requests by scope type (tenant, platform, denied)', unit: 'reqps', queries: [
    { expr: `sum by (scope) (${rate('activity_queries_total', SCOPE)})`, legend: '{{scope}}' },
  ] }));
  b.withPanel(timeSeriesPanel({ title: 'Query success rate', description: 'Share of query requests answered 2xx', unit: 'percentunit', queries: [
    { expr: `sum(${rate('activity_queries_total', inst('scope=~"$scope", code=~"2.."'))}) / sum(${rate('activity_queries_total', SCOPE)})`, legend: 'success' },
  ] }));
  b.withPanel(timeSeriesPanel({ title: 'Query latency by scope (server side)', description: 'activity_query_duration_seconds p50/p95/p99 by scope', unit: 's', slo: p95, queries: [
    { expr: quantile(0.5, 'activity_query_duration_seconds', SCOPE, ['scope']), legend: '{{scope}} p50' },
    { expr: quantile(0.95, 'activity_query_duration_seconds', SCOPE, ['scope']), legend: '{{scope}} p95' },
    { expr: quantile(0.99, 'activity_query_duration_seconds', SCOPE, ['scope']), legend: '{{scope}} p99' },
  ] }));
  const stat = (s: string) => squallName('http_req_duration', { stat: s });
  const cx = `{${RUN_SELECTOR}, group=~"::.+"}`;
  b.withPanel(timeSeriesPanel({ title: 'Query latency by complexity (squall, run so far)', description: 'http_req_duration by group (tenant / platform / complex), as squall\'s users see it', unit: 's', slo: p95, queries: [
    { expr: `max by (group) (${stat('med')}${cx})`, legend: '{{group}} p50' },
    { expr: `max by (group) (${stat('p(95)')}${cx})`, legend: '{{group}} p95' },
    { expr: `max by (group) (${stat('p(99)')}${cx})`, legend: '{{group}} p99' },
  ] }));
  b.withPanel(timeSeriesPanel({ title: 'Slow queries', description: 'Share of queries slower than the SLO limit, by scope', unit: 'percentunit', queries: [
    { expr: `1 - sum by (scope) (${rate('activity_query_duration_seconds_bucket', inst(`scope=~"$scope", le="${p95?.limit ?? 2}"`))}) / sum by (scope) (${rate('activity_query_duration_seconds_count', SCOPE)})`, legend: '{{scope}} slower than the limit' },
  ] }));
  b.withPanel(tablePanel({ title: 'Slowest query names (squall)', description: 'The ten query names with the slowest p99 in the run so far', unit: 's', queries: [
    { expr: `topk(10, max by (group, name) (${stat('p(99)')}${cx}))`, legend: '{{name}}' },
  ] }));
  b.withPanel(timeSeriesPanel({ title: 'Query errors by scope and code', description: 'Non-2xx answers of the query API', unit: 'reqps', span: 24, queries: [
    { expr: `sum by (scope, code) (${rate('activity_queries_total', inst('scope=~"$scope", code!~"2.."'))})`, legend: '{{scope}} {{code}}' },
  ] }));
  return b;
}

/** `system-resources.json`: CPU and memory by process, network, disk (stored rows) use and growth. */
export function systemResourcesBoard(opts: BoardOptions = {}): DashboardBuilder {
  const b = board('Activity / system resources', 'activity-system-resources', 'CPU, memory, network and storage of the target and the load generator').withVariable(testIdVariable());
  const cpu = slo(opts.slos, 'store-cpu');
  b.withPanel(timeSeriesPanel({ title: 'CPU by process', description: 'CPU cores used by each scraped target process (1 = one core); squall\'s observed target_cpu beside it', unit: 'percentunit', slo: cpu, queries: [
    { expr: `sum by (job, instance) (${rate('activity_process_cpu_seconds_total', INST)})`, legend: '{{job}} {{instance}}' },
    { expr: `${squallName('target_cpu', 'gauge')}{testid=~"$testid"}`, legend: 'observed by squall {{target}}' },
  ] }));
  b.withPanel(timeSeriesPanel({ title: 'Memory by process', description: 'Resident set size and V8 heap used', unit: 'bytes', queries: [
    { expr: `sum by (job, instance) (activity_process_resident_memory_bytes${INST})`, legend: 'RSS {{job}} {{instance}}' },
    { expr: `sum by (job, instance) (activity_nodejs_heap_size_used_bytes${INST})`, legend: 'heap used {{job}} {{instance}}' },
  ] }));
  b.withPanel(timeSeriesPanel({ title: 'Event loop lag p99', description: 'Node.js event loop delay of the target: a saturated process shows it first', unit: 's', queries: [
    { expr: `max by (job, instance) (activity_nodejs_eventloop_lag_p99_seconds${INST})`, legend: '{{job}} {{instance}}' },
  ] }));
  b.withPanel(timeSeriesPanel({ title: 'Network I/O (load generator)', description: 'Bytes per second squall sent and received (its side of the target\'s network)', unit: 'Bps', queries: [
    { expr: `sum(rate(${squallName('data_sent', 'counter')}{testid=~"$testid"}[$__rate_interval]))`, legend: 'sent' },
    { expr: `sum(rate(${squallName('data_received', 'counter')}{testid=~"$testid"}[$__rate_interval]))`, legend: 'received' },
  ] }));
  b.withPanel(timeSeriesPanel({ title: 'Stored rows (disk use)', description: 'Rows inserted into the store so far (a redelivered event counts again)', unit: 'short', queries: [
    { expr: `sum(activity_rows_stored_total${INST})`, legend: 'rows' },
  ] }));
  b.withPanel(timeSeriesPanel({ title: 'Storage growth', description: 'Rows stored per second', unit: 'short', queries: [
    { expr: `sum(${rate('activity_rows_stored_total', INST)})`, legend: 'rows/s' },
  ] }));
  b.withPanel(statPanel({ title: 'Targets up', description: 'Scrape health of the target processes', unit: 'short', span: 12, queries: [{ expr: `sum(up${INST})`, legend: 'up' }] }));
  b.withPanel(statPanel({ title: 'Open file descriptors', description: 'Sockets and files the target holds', unit: 'short', span: 12, queries: [{ expr: `sum(activity_process_open_fds${INST})`, legend: 'fds' }] }));
  return b;
}
