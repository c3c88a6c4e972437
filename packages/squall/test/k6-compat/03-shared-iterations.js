import http from 'k6/http';
import { check } from 'k6';

export const options = { scenarios: { shared: { executor: 'shared-iterations', vus: 4, iterations: 10, maxDuration: '10s' } } };

export default function () {
  check(http.get(`${__ENV.BASE}/`), { ok: (r) => r.status === 200 });
}
