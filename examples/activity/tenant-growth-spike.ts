// Seed 000, scenario 2 (tenant growth spike): ingestion grows from 50 to 200 control planes x 100
// events/s over 15 minutes (5,000 -> 20,000 events/s), then holds; 100 query users throughout; 30 min.
// Expected: no dropped events during the growth, query latency stable. Events come from all 200
// tenants from the start (the growth is in volume); `-e SCALE=0.1` runs it ten times shorter.
//   npx squall run examples/activity/tenant-growth-spike.ts -e TOKEN=... [-e SCALE=0.1]
import { makeTraffic, observeTarget, requestsFor, scaled } from './lib/activity-traffic.js';

const traffic = makeTraffic({ planes: 200 });
export const ingest = traffic.ingest;
export const query = traffic.query;

export const options = {
  scenarios: {
    ingest: {
      executor: 'ramping-arrival-rate', exec: 'ingest', startRate: requestsFor(5000), timeUnit: '1s', preAllocatedVUs: 50, maxVUs: 1000,
      stages: [{ duration: scaled(15 * 60), target: requestsFor(20000) }, { duration: scaled(15 * 60), target: requestsFor(20000) }],
    },
    queries: { executor: 'constant-vus', exec: 'query', vus: 100, duration: scaled(30 * 60) },
  },
  observe: observeTarget,
  thresholds: {
    'http_req_failed{scenario:ingest}': ['rate<0.001'],
    dropped_iterations: ['count==0'],
    events_missing: ['count==0'],
    'http_req_duration{group:::tenant}': ['p(95)<2000'],
    ingest_lag: ['p(95)<10000'],
  },
};
