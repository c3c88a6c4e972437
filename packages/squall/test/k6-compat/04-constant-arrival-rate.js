import http from 'k6/http';
import { check } from 'k6';

export const options = {
  scenarios: { open: { executor: 'constant-arrival-rate', rate: 10, timeUnit: '1s', duration: '2s', preAllocatedVUs: 4, maxVUs: 8 } },
};

export default function () {
  check(http.get(`${__ENV.BASE}/`), { ok: (r) => r.status === 200 });
}
