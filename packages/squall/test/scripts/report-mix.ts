// Two scenarios, checks, groups and thresholds (one meant to fail) for the report tests.
import { http, check, group, sleep } from 'squall';

export const options = {
  scenarios: {
    browse: { executor: 'constant-vus', vus: 3, duration: __ENV.DURATION ?? '3s', exec: 'browse' },
    orders: { executor: 'constant-arrival-rate', rate: 20, timeUnit: '1s', duration: __ENV.DURATION ?? '3s', preAllocatedVUs: 4, exec: 'orders' },
  },
  thresholds: {
    http_req_duration: ['p(95)<2000'],
    'http_req_duration{scenario:browse}': ['p(99)<3000'],
    http_req_failed: ['rate<0.01'],
    checks: ['rate>0.5'],
  },
};

export async function browse() {
  await group('home', async () => {
    const res = await http.get(`${__ENV.BASE_URL}/delay/5`, { tags: { name: 'home' } });
    check(res, { 'home is 200': (r) => r.status === 200 });
  });
  await sleep(0.05);
}

export async function orders() {
  const fail = Math.random() < 0.3;
  const res = await http.get(`${__ENV.BASE_URL}/${fail ? 'status/503' : 'delay/2'}`, { tags: { name: 'orders' } });
  check(res, { 'order accepted': (r) => r.status === 200 });
}
