// Seed 000, scenario 3 (query storm): 50 control planes x 100 events/s steady while query users
// ramp 0 -> 500 over 5 minutes, 15 minutes in all. Expected: >95% of queries succeed, p95 < 5 s.
//   npx squall run examples/activity/query-storm.ts -e TOKEN=... [-e SCALE=0.1]
import { makeTraffic, observeTarget, requestsFor, scaled } from './lib/activity-traffic.js';

const traffic = makeTraffic({ planes: 50 });
export const ingest = traffic.ingest;
export const query = traffic.query;

export const options = {
  scenarios: {
    ingest: { executor: 'constant-arrival-rate', exec: 'ingest', rate: requestsFor(5000), timeUnit: '1s', duration: scaled(15 * 60), preAllocatedVUs: 20, maxVUs: 500 },
    queries: {
      executor: 'ramping-vus', exec: 'query', startVUs: 0, gracefulRampDown: '10s',
      stages: [{ duration: scaled(5 * 60), target: 500 }, { duration: scaled(10 * 60), target: 500 }],
    },
  },
  observe: observeTarget,
  thresholds: {
    'http_req_failed{scenario:queries}': ['rate<0.05'],
    'http_req_duration{scenario:queries}': ['p(95)<5000'],
    events_missing: ['count==0'],
  },
};
