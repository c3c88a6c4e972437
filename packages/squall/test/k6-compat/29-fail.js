import http from 'k6/http';
import { check, fail } from 'k6';

export const options = { iterations: 3 };

export default function () {
  const res = http.get(`${__ENV.BASE}/status/404`, { responseCallback: http.expectedStatuses(404) });
  check(res, { 'is 404': (r) => r.status === 404 });
  if (res.status !== 200) fail('unexpected status');
  http.get(`${__ENV.BASE}/never`);
}
