import http from 'k6/http';
import { check } from 'k6';

export const options = { iterations: 4, thresholds: { 'checks{area:api}': ['rate==1'], 'checks{area:web}': ['rate>=0'] } };

export default function () {
  const res = http.get(`${__ENV.BASE}/json`);
  check(res, { 'api answers': (r) => r.status === 200 }, { area: 'api' });
  check(res, { 'web answers': (r) => r.status === 200 }, { area: 'web' });
}
