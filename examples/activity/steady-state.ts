// Seed 000, scenario 1 (steady state), against the activity target: control planes send audit
// events while query users run the seed's mix (60% tenant-scoped, 30% platform, 10% complex
// cross-tenant) with think time. A share of the ingested events is tracked until queryable
// (ingest lag, nothing lost), the target's own metrics are watched, the time the queue takes to
// drain after the load is measured, and the seed's SLOs are the thresholds. `npm run demo` runs a short version of it; by hand:
//   npx squall target activity --port 8080 --platform-token demo &
//   npx squall run examples/activity/steady-state.ts -e TOKEN=demo --report html,markdown
// Full size (seed 000): -e CONTROL_PLANES=50 -e EVENTS_PER_PLANE=100 -e QUERY_USERS=50 -e DURATION=30m
import { makeTraffic, observeTarget, requestsFor } from './lib/activity-traffic.js';

const PLANES = Number(__ENV.CONTROL_PLANES ?? 50);
const DURATION = __ENV.DURATION ?? '60s';
const traffic = makeTraffic({ planes: PLANES });
export const ingest = traffic.ingest;
export const query = traffic.query;

export const options = {
  scenarios: {
    ingest: { executor: 'constant-arrival-rate', exec: 'ingest', rate: requestsFor(PLANES * Number(__ENV.EVENTS_PER_PLANE ?? 20)), timeUnit: '1s', duration: DURATION, preAllocatedVUs: 10, maxVUs: 100 },
    queries: { executor: 'constant-vus', exec: 'query', vus: Number(__ENV.QUERY_USERS ?? 20), duration: DURATION },
  },
  observe: observeTarget,
  // After the load: how long until the queue is back to its pre-load depth (docs/recovery.md).
  recovery: { backlog: 'queue_depth', baseline: __ENV.RECOVERY_BASELINE ?? '3s', timeout: '5m' },
  // Seed 000's SLOs.
  thresholds: {
    'http_req_failed{scenario:ingest}': ['rate<0.001'], // 99.9% of events ingested
    'http_req_failed{scenario:queries}': ['rate<0.005'], // 99.5% of queries succeed
    'http_req_duration{group:::tenant}': ['p(95)<2000'],
    'http_req_duration{group:::platform}': ['p(95)<3000'],
    'http_req_duration{scenario:queries}': ['med<500', 'p(99)<5000'],
    ingest_lag: ['p(95)<10000'], // end-to-end P95 < 10 s
    events_missing: ['count==0'], // nothing lost
    recovery_time: ['value<300000'], // back to normal within 5 minutes of the load
  },
  summaryTrendStats: ['avg', 'med', 'p(95)', 'p(99)', 'max'],
};
