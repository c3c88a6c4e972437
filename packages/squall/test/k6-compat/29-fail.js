import http from 'k6/http';
import { check, fail } from 'k6';

export const options = { iterations: 3 };

export default function () {
  const res = http.get(`${__ENV.BASE}/status/404`, { responseCallback: http.expectedStatuses(404) });
  if (!check(res, { 'is 200': (r) => r.status === 200 })) fail('unexpected status');
  http.get(`${__ENV.BASE}/never`);
}
