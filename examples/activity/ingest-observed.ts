// Seed 000 (Activity): ingest load against the activity target while squall watches the target's
// own metrics (CPU, RSS, queue depth, rejections) and judges thresholds on them (docs/observe.md).
//   npx squall target activity --port 8080 &
//   npx squall run examples/activity/ingest-observed.ts
//   npx squall run examples/activity/ingest-observed.ts -e RATE=20 --report html
import { http, check } from 'squall';
import { audit } from 'squall/generators';
import { BASE, observeTarget } from './lib/activity-traffic.js';

const BASE_URL = BASE;
const BATCH = Number(__ENV.BATCH ?? 500);

export const options = {
  scenarios: {
    ingest: { executor: 'constant-arrival-rate', rate: Number(__ENV.RATE ?? 10), timeUnit: '1s', duration: '20s', preAllocatedVUs: 10 },
  },
  observe: observeTarget,
  thresholds: {
    http_req_failed: ['rate<0.01'],
    queue_depth: ['value<50000'], // the queue is (nearly) drained when the load ends
    target_rss_bytes: ['value<2000000000'],
  },
};

const events = audit({ seed: __ENV.SEED ?? 'observed', tenants: 50, skew: 'zipf' });

export default async function () {
  const res = await http.post(`${BASE_URL}/events/bulk`, events.ndjson(BATCH), {
    headers: { 'content-type': 'application/x-ndjson' },
    tags: { name: 'bulk' },
  });
  check(res, { accepted: (r) => r.status === 202 });
}
