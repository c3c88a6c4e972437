// Seed 000's write storm as a search: the highest NDJSON ingest rate (50 events per request) at which
// the activity target keeps seed 000's SLOs: under 1% failed requests, p95 accept latency under
// 500 ms, events queryable within 10 s (p95), nothing lost, and a queue that does not grow. Each
// step waits for the queue to drain (recovery) before the next one starts.
//   npx squall target activity --platform-token platform-secret      (in another terminal)
//   npx squall max-rate examples/activity/max-rate.ts --scenario ingest --start 20 -e TOKEN=platform-secret
import { makeTraffic, observeTarget } from './lib/activity-traffic.js';

const traffic = makeTraffic({ planes: 50, trackShare: 0.02 });
export const ingest = traffic.ingest;

export const options = {
  scenarios: {
    // max-rate overrides rate and duration per step and scales the VUs with the rate.
    ingest: { executor: 'constant-arrival-rate', exec: 'ingest', rate: 20, timeUnit: '1s', duration: '30s', preAllocatedVUs: 20, maxVUs: 200 },
  },
  observe: observeTarget,
  recovery: { backlog: 'queue_depth', baseline: '2s', timeout: '2m' },
  thresholds: {
    http_req_failed: ['rate<0.01'],
    'http_req_duration{name:POST /events/bulk}': ['p(95)<500'],
    ingest_lag: ['p(95)<10000'],
    events_missing: ['count==0'],
  },
};
