// Smoke gate of the activity demo suite: the target answers health, ingest and count.
import { http, check } from 'squall';

export const options = { vus: 1, iterations: 3, thresholds: { checks: ['rate==1'], http_req_failed: ['rate==0'] } };

export default async function () {
  const health = await http.get(`${__ENV.BASE_URL}/healthz`);
  const count = await http.get(`${__ENV.BASE_URL}/v1/events/count`, { headers: { authorization: `Bearer ${__ENV.TOKEN}` } });
  check(health, { 'healthz 200': (r) => r.status === 200 });
  check(count, { 'count 200': (r) => r.status === 200 });
}
