// Seed 000, scenario 5 (peak load): 100 control planes x 500 events/s (50,000 events/s) with 300
// query users on a complex-heavy mix, 30 minutes. Expected: operational, graceful degradation,
// no data loss, and recovery after the load (watch queue_depth drain at the end of the report).
//   npx squall run examples/activity/peak-load.ts -e TOKEN=... [-e SCALE=0.1]
import { makeTraffic, observeTarget, requestsFor, scaled } from './lib/activity-traffic.js';

const traffic = makeTraffic({ planes: 100, mix: { tenant: 0.3, platform: 0.3 }, trackShare: 0.02 });
export const ingest = traffic.ingest;
export const query = traffic.query;

export const options = {
  scenarios: {
    ingest: { executor: 'constant-arrival-rate', exec: 'ingest', rate: requestsFor(50000), timeUnit: '1s', duration: scaled(30 * 60), preAllocatedVUs: 200, maxVUs: 2000 },
    queries: { executor: 'constant-vus', exec: 'query', vus: 300, duration: scaled(30 * 60) },
  },
  observe: observeTarget,
  thresholds: { events_missing: ['count==0'], 'http_req_failed{scenario:queries}': ['rate<0.05'] },
};
