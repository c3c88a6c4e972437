// Seed 001 (event orchestrator): bulk NDJSON order events with customer tiers and order values.
//   node examples/hello-server.mjs &
//   npx squall run examples/generators/orders-bulk.ts
import { http, check, Counter } from 'squall';
import { orders } from 'squall/generators';

export const options = {
  vus: 5,
  duration: '10s',
  thresholds: { http_req_failed: ['rate<0.01'], http_req_duration: ['p(95)<500'] },
};

const BASE_URL = __ENV.BASE_URL ?? 'http://127.0.0.1:8080';
const BATCH = Number(__ENV.BATCH ?? 100);
const stream = orders({ seed: __ENV.SEED ?? 'orders-demo', tiers: { free: 40, standard: 35, premium: 20, enterprise: 5 } });
const posted = new Counter('orders_events_posted');

export default async function () {
  const res = await http.post(`${BASE_URL}/api/orchestrator/events/bulk-ndjson`, stream.ndjson(BATCH), {
    headers: { 'content-type': 'application/x-ndjson' },
    tags: { name: 'bulk-ndjson' },
  });
  if (check(res, { 'bulk accepted': (r) => r.status === 200 || r.status === 202 })) posted.add(BATCH);
}
