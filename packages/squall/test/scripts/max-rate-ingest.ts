// One NDJSON batch of 50 audit events per iteration to the activity target at TARGET; the target's
// queue depth is observed so `squall max-rate` can see a growing backlog.
import { http } from 'squall';
import { audit } from 'squall/generators';

const TARGET = __ENV.TARGET ?? 'http://127.0.0.1:8080';
const events = audit({ tenants: 5, seed: 'max-rate' });

export const options = {
  scenarios: { ingest: { executor: 'constant-arrival-rate', rate: 5, timeUnit: '1s', duration: '10s', preAllocatedVUs: 5, maxVUs: 50 } },
  observe: { targets: [{ url: `${TARGET}/metrics`, interval: '500ms', timeout: '3s', series: { queue_depth: 'activity_queue_depth_events' } }] },
  thresholds: { http_req_failed: ['rate<0.01'] },
};

export default async function () {
  const body = `${events.batch(50).map((e) => JSON.stringify(e)).join('\n')}\n`;
  await http.post(`${TARGET}/events/bulk`, body, { headers: { 'content-type': 'application/x-ndjson' } });
}
