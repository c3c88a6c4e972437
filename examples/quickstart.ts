// A first squall test: 5 virtual users request the service for 10 seconds.
// Run against the bundled hello server:
//   node examples/hello-server.mjs &                      # listens on 127.0.0.1:8080
//   npx squall run examples/quickstart.ts
import { http, check, sleep } from 'squall';

export const options = {
  vus: 5,
  duration: '10s',
  thresholds: {
    http_req_failed: ['rate<0.01'], // fewer than 1% of requests fail
    http_req_duration: ['p(95)<200'], // 95% of requests answer within 200 ms
  },
};

const BASE_URL = __ENV.BASE_URL ?? 'http://127.0.0.1:8080';

export default async function () {
  const res = await http.get(`${BASE_URL}/hello`);
  check(res, {
    'status is 200': (r) => r.status === 200,
    'says hello': (r) => String(r.body).includes('hello'),
  });
  await sleep(0.1);
}
