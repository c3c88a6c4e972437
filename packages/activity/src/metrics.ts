import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Every Prometheus series the target exposes on `/metrics`, in its own registry (not prom-client's
 * global one) so that several targets, or a target inside a test runner, never collide.
 */
export class ActivityMetrics {
  readonly registry = new Registry();
  readonly received: Counter<'endpoint'>;
  readonly accepted: Counter<'endpoint'>;
  readonly rejected: Counter<'endpoint' | 'reason'>;
  readonly filtered: Counter;
  readonly faultDropped: Counter;
  readonly batchSize: Histogram;
  readonly insertSeconds: Histogram;
  readonly insertErrors: Counter;
  readonly abandoned: Counter;
  readonly rowsStored: Counter;
  readonly lagSeconds: Histogram;
  readonly queries: Counter<'scope' | 'endpoint' | 'code'>;
  readonly querySeconds: Histogram<'scope' | 'endpoint'>;
  readonly httpRequests: Counter<'route' | 'code'>;

  /** @param queueDepth read on every scrape (memory queue depth, or JetStream pending + unacked). */
  constructor(queueDepth: () => Promise<number>) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'activity_' });
    this.received = new Counter({ name: 'activity_events_received_total', help: 'Audit events in ingest requests, valid or not', labelNames: ['endpoint'], registers });
    this.accepted = new Counter({ name: 'activity_events_accepted_total', help: 'Audit events answered with 202', labelNames: ['endpoint'], registers });
    this.rejected = new Counter({ name: 'activity_events_rejected_total', help: 'Audit events refused (invalid, queue_full, fault)', labelNames: ['endpoint', 'reason'], registers });
    this.filtered = new Counter({ name: 'activity_events_filtered_total', help: 'Accepted events of a stage other than ResponseComplete, not stored by design', registers });
    this.faultDropped = new Counter({ name: 'activity_fault_events_dropped_total', help: 'Events discarded after the 202 by the drop fault', registers });
    this.batchSize = new Histogram({ name: 'activity_batch_size_events', help: 'Events per insert batch', buckets: [1, 10, 100, 500, 1000, 2500, 5000, 10000, 20000, 50000], registers });
    this.insertSeconds = new Histogram({ name: 'activity_insert_duration_seconds', help: 'Time of one batch insert', buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers });
    this.insertErrors = new Counter({ name: 'activity_insert_errors_total', help: 'Batch inserts that failed (the batch is retried)', registers });
    this.abandoned = new Counter({ name: 'activity_writer_abandoned_events_total', help: 'Events in flight when the writer was killed (redelivered: JetStream after the ack wait, memory queue at once)', registers });
    this.rowsStored = new Counter({ name: 'activity_rows_stored_total', help: 'Rows inserted (a redelivered event counts again; reads de-duplicate)', registers });
    this.lagSeconds = new Histogram({ name: 'activity_ingest_to_stored_seconds', help: 'From receipt of an event to its insert completing', buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60], registers });
    this.queries = new Counter({ name: 'activity_queries_total', help: 'Query API requests by scope (tenant, platform, denied)', labelNames: ['scope', 'endpoint', 'code'], registers });
    this.querySeconds = new Histogram({ name: 'activity_query_duration_seconds', help: 'Query API latency', labelNames: ['scope', 'endpoint'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10], registers });
    this.httpRequests = new Counter({ name: 'activity_http_requests_total', help: 'HTTP requests by route and status code', labelNames: ['route', 'code'], registers });
    new Gauge({
      name: 'activity_queue_depth_events',
      help: 'Events accepted and not yet stored (memory queue) or pending + unacknowledged (JetStream)',
      registers,
      async collect() {
        this.set(await queueDepth());
      },
    });
  }
}
