import http from 'k6/http';
import { check, sleep } from 'k6';

export const options = { vus: 2, duration: '2s' };

export default function () {
  const res = http.get(`${__ENV.BASE}/`);
  check(res, { 'status is 200': (r) => r.status === 200 });
  sleep(1);
}
