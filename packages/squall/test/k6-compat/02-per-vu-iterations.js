import http from 'k6/http';
import { check } from 'k6';

export const options = { scenarios: { each: { executor: 'per-vu-iterations', vus: 3, iterations: 4, maxDuration: '10s' } } };

export default function () {
  check(http.get(`${__ENV.BASE}/json`), { ok: (r) => r.status === 200 });
}
