/**
 * `squall new TYPE` script templates, one per test type of k6's guidance (grafana.com/docs/k6 →
 * "Test types"): smoke (minimal load, sanity), load (average traffic), stress (above average),
 * spike (sudden surge), soak (average load for hours), breakpoint (ramp until it breaks).
 */
export const TEST_TYPES = ['smoke', 'load', 'stress', 'spike', 'soak', 'breakpoint'] as const;
export type TestType = (typeof TEST_TYPES)[number];

const OPTIONS: Record<TestType, { doc: string; options: string }> = {
  smoke: {
    doc: 'Smoke test: minimal load (1-3 VUs, seconds to a few minutes) to check the script and the\n// system work at all. Run it first; when it fails, nothing heavier should run.',
    options: `{
  vus: 2,
  duration: '30s',
  thresholds: {
    http_req_failed: ['rate<0.01'], // almost no errors
    http_req_duration: ['p(95)<500'],
  },
}`,
  },
  load: {
    doc: 'Average-load test: ramp up to the traffic the system sees on a normal day, hold it, ramp\n// down. Thresholds are the SLOs the system must hold under that load.',
    options: `{
  stages: [
    { duration: '5m', target: 100 }, // ramp up to the average number of users
    { duration: '30m', target: 100 }, // hold
    { duration: '5m', target: 0 }, // ramp down
  ],
  thresholds: {
    http_req_failed: ['rate<0.01'],
    http_req_duration: ['p(95)<500', 'p(99)<1000'],
  },
}`,
  },
  stress: {
    doc: 'Stress test: like the load test but above average traffic (often 1.5-2x), to see how the\n// system behaves and degrades when load is higher than usual.',
    options: `{
  stages: [
    { duration: '10m', target: 200 }, // above the average load
    { duration: '30m', target: 200 },
    { duration: '5m', target: 0 },
  ],
  thresholds: {
    http_req_failed: ['rate<0.05'],
    http_req_duration: ['p(95)<1500'],
  },
}`,
  },
  spike: {
    doc: 'Spike test: a sudden, very large surge with no ramp-up time and no plateau, then back\n// down; does the system survive and recover?',
    options: `{
  stages: [
    { duration: '2m', target: 2000 }, // fast ramp to the spike
    { duration: '1m', target: 0 }, // and straight back down
  ],
  thresholds: {
    http_req_failed: ['rate<0.10'],
  },
}`,
  },
  soak: {
    doc: 'Soak (endurance) test: average load for hours, to find leaks, slow degradation and\n// resource exhaustion. Compare the first and last windows of the run (squall report).',
    options: `{
  stages: [
    { duration: '5m', target: 100 },
    { duration: '8h', target: 100 }, // hold for hours
    { duration: '5m', target: 0 },
  ],
  thresholds: {
    http_req_failed: ['rate<0.01'],
    http_req_duration: ['p(95)<500'],
  },
}`,
  },
  breakpoint: {
    doc: 'Breakpoint test: increase the arrival rate steadily until the system breaks; the\n// threshold with abortOnFail stops the test at the breaking point.',
    options: `{
  scenarios: {
    breakpoint: {
      executor: 'ramping-arrival-rate', // open model: arrivals keep coming even when the system slows
      startRate: 10,
      timeUnit: '1s',
      preAllocatedVUs: 50,
      maxVUs: 2000,
      stages: [{ duration: '2h', target: 20000 }], // slow ramp to an unreachable rate
    },
  },
  thresholds: {
    http_req_failed: [{ threshold: 'rate<0.05', abortOnFail: true }],
    http_req_duration: [{ threshold: 'p(95)<2000', abortOnFail: true }],
  },
}`,
  },
};

/** The commented script for `type` (TypeScript when `ts`). */
export function testTemplate(type: TestType, ts: boolean): string {
  const o = OPTIONS[type];
  return `// ${o.doc}
// Run: squall run THIS_FILE -e BASE_URL=http://localhost:8080
import { http, check, sleep } from 'squall';

export const options = ${o.options};

const BASE_URL${ts ? ': string' : ''} = __ENV.BASE_URL ?? 'http://localhost:8080';

export default async function () {
  const res = await http.get(\`\${BASE_URL}/\`);
  check(res, { 'status is 200': (r) => r.status === 200 });
  sleep(1); // think time between iterations
}
`;
}
