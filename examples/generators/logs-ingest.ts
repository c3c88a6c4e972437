// Seed 002 (SLO-Scout): 100k log lines per minute as batches of 100 at 17 batches/s (102k/min).
//   node examples/hello-server.mjs &
//   npx squall run examples/generators/logs-ingest.ts
import { http, check, Counter } from 'squall';
import { logs } from 'squall/generators';

const BATCH = 100;
export const options = {
  scenarios: {
    ingest: {
      executor: 'constant-arrival-rate',
      rate: Number(__ENV.BATCHES_PER_SEC ?? 17),
      timeUnit: '1s',
      duration: __ENV.DURATION ?? '10s',
      preAllocatedVUs: 10,
      maxVUs: 50,
    },
  },
  thresholds: { http_req_failed: ['rate<0.01'], dropped_iterations: ['count<10'] },
};

const BASE_URL = __ENV.BASE_URL ?? 'http://127.0.0.1:8080';
const lines = logs({ seed: __ENV.SEED ?? 'logs-demo', services: 12, severities: { DEBUG: 5, INFO: 75, WARN: 12, ERROR: 7, FATAL: 1 } });
const ingested = new Counter('log_lines_sent');

export default async function () {
  const res = await http.post(`${BASE_URL}/api/v1/logs`, lines.ndjson(BATCH), { headers: { 'content-type': 'application/x-ndjson' }, tags: { name: 'ingest' } });
  if (check(res, { 'ingested': (r) => r.status < 300 })) ingested.add(BATCH);
}
