// A short run against the activity target that feeds every panel of the squall dashboards
// (test/dashboards-prometheus.test.ts): tracked NDJSON ingestion with a few invalid events,
// tenant / platform / complex queries tagged by tenant, denied queries, an overloaded
// arrival-rate scenario that drops iterations, and the target's metrics observed.
import { ACTIVITY_SLOS, DeliveryTracker, activityLookup, check, group, http, sleep, sloThresholds } from 'squall';
import { audit } from 'squall/generators';

const BASE = __ENV.TARGET ?? '';
const TOKEN = __ENV.TOKEN ?? '';
const DURATION = __ENV.DURATION ?? '8s';
const events = audit({ tenants: 5, seed: 'dashboards' });
const tracker = new DeliveryTracker('ingest', { lookup: activityLookup({ url: BASE, token: TOKEN }), sample: 0.2, pollInterval: '200ms', drainTimeout: '10s' });

export const options = {
  scenarios: {
    ingest: { executor: 'constant-arrival-rate', exec: 'ingest', rate: 10, timeUnit: '1s', duration: DURATION, preAllocatedVUs: 4, maxVUs: 10 },
    queries: { executor: 'constant-vus', exec: 'query', vus: 3, duration: DURATION },
    overload: { executor: 'constant-arrival-rate', exec: 'overload', rate: 20, timeUnit: '1s', duration: DURATION, preAllocatedVUs: 1, maxVUs: 1 },
  },
  // Limits near the figures, so the report draws them (test/report-charts.test.ts); all hold.
  thresholds: {
    vus: ['max<=20'],
    http_req_failed: ['rate<0.9'],
    // Seed 000's ingest-lag SLO from the one SLO table: the Markdown report names it.
    ...sloThresholds(ACTIVITY_SLOS.filter((s) => s.id === 'ingest-lag-p95')),
    'http_req_duration{name:platform: count today}': ['p(95)<5000'],
  },
  observe: {
    targets: [{ url: `${BASE}/metrics`, interval: '1s', series: { target_cpu: 'rate(activity_process_cpu_seconds_total)', target_rss_bytes: 'activity_process_resident_memory_bytes', queue_depth: 'activity_queue_depth_events' } }],
  },
};

export async function ingest(): Promise<void> {
  const batch = events.batch(20);
  const res = await http.post(`${BASE}/events/bulk`, `${batch.map((e) => JSON.stringify(e)).join('\n')}\n`, { headers: { 'content-type': 'application/x-ndjson' }, tags: { name: 'POST /events/bulk' } });
  if (check(res, { 'batch accepted (202)': (r) => r.status === 202 })) for (const e of batch) tracker.accepted(e.auditID);
  // One in five iterations also sends an invalid event: a 400 and a rejected{reason="invalid"}.
  if (Math.random() < 0.2) await http.post(`${BASE}/webhook`, '{"kind":"not an audit event"}', { headers: { 'content-type': 'application/json' }, tags: { name: 'POST /webhook (invalid)' } });
}

export async function query(): Promise<void> {
  const tenant = `control-plane-${1 + Math.floor(Math.random() * 5)}`;
  const headers = { 'X-Remote-Extra-iam.miloapis.com%2Fparent-type': 'tenant', 'X-Remote-Extra-iam.miloapis.com%2Fparent-name': tenant };
  await group('tenant', async () => {
    const res = await http.get(`${BASE}/v1/events?start=now-1h&limit=50`, { headers, tags: { name: 'tenant: recent activity' } });
    check(res, { 'tenant query ok': (r) => r.status === 200 });
  });
  await group('platform', async () => {
    const res = await http.get(`${BASE}/v1/events/count?start=now-24h`, { headers: { authorization: `Bearer ${TOKEN}` }, tags: { name: 'platform: count today' } });
    check(res, { 'platform query ok': (r) => r.status === 200 });
  });
  await group('complex', async () => {
    const filter = encodeURIComponent("verb == 'delete' || verb == 'update'");
    await http.get(`${BASE}/v1/events?start=now-7d&filter=${filter}&limit=100`, { headers: { authorization: `Bearer ${TOKEN}` }, tags: { name: 'complex: changes' } });
  });
  // No scope headers: the target answers 403 (scope="denied").
  await http.get(`${BASE}/v1/events?start=now-1h`, { tags: { name: 'denied query' } });
  await sleep(0.3);
}

export async function overload(): Promise<void> {
  await sleep(0.2);
}
