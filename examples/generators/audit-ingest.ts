// Seed 000 (Activity): tenant control planes send Kubernetes audit events as NDJSON batches.
// Every VU has its own deterministic stream; auditIDs never repeat across VUs, workers or
// execution segments, so the pipeline's "no loss, no duplicates" check can trust them.
//   node examples/hello-server.mjs &
//   npx squall run examples/generators/audit-ingest.ts
//   npx squall run examples/generators/audit-ingest.ts -e TENANTS=200 -e BATCH=500 --vus 20 --duration 1m
import { http, check, Counter } from 'squall';
import { audit } from 'squall/generators';

export const options = {
  vus: 4,
  duration: '10s',
  thresholds: { http_req_failed: ['rate<0.01'] },
};

const BASE_URL = __ENV.BASE_URL ?? 'http://127.0.0.1:8080';
const BATCH = Number(__ENV.BATCH ?? 50);
const events = audit({
  seed: __ENV.SEED ?? 'activity-demo',
  tenants: Number(__ENV.TENANTS ?? 50),
  skew: 'zipf', // a few noisy tenants, as real fleets have
  errors5xx: 0.001,
});
const sent = new Counter('audit_events_sent');

export default async function () {
  const res = await http.post(`${BASE_URL}/apis/audit.k8s.io/v1/events`, events.ndjson(BATCH), {
    headers: { 'content-type': 'application/x-ndjson' },
    tags: { name: 'ingest' },
  });
  if (check(res, { 'accepted': (r) => r.status >= 200 && r.status < 300 })) sent.add(BATCH);
}
