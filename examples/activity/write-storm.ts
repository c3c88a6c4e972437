// Seed 000, scenario 4 (write storm): 50 control planes ramp from 100 to 1,000 events/s each over
// 10 minutes (5,000 -> 50,000 events/s), then hold for 5; 50 query users. Purpose: find where
// ingestion stops keeping up (watch queue_depth, rejected_queue_full, ingest_lag, dropped_iterations
// in the report). No SLO thresholds but nothing lost.
//   npx squall run examples/activity/write-storm.ts -e TOKEN=... [-e SCALE=0.1] --report html
import { makeTraffic, observeTarget, requestsFor, scaled } from './lib/activity-traffic.js';

const traffic = makeTraffic({ planes: 50, trackShare: 0.02 });
export const ingest = traffic.ingest;
export const query = traffic.query;

export const options = {
  scenarios: {
    ingest: {
      executor: 'ramping-arrival-rate', exec: 'ingest', startRate: requestsFor(5000), timeUnit: '1s', preAllocatedVUs: 100, maxVUs: 2000,
      stages: [{ duration: scaled(10 * 60), target: requestsFor(50000) }, { duration: scaled(5 * 60), target: requestsFor(50000) }],
    },
    queries: { executor: 'constant-vus', exec: 'query', vus: 50, duration: scaled(15 * 60) },
  },
  observe: observeTarget,
  thresholds: { events_missing: ['count==0'] },
};
