import http from 'k6/http';
import { check } from 'k6';
import { textSummary, jUnit } from 'https://jslib.k6.io/k6-summary/0.0.2/index.js';

export const options = { iterations: 3, thresholds: { http_req_duration: ['p(95)<5000'] } };

export default function () {
  check(http.get(`${__ENV.BASE}/`), { ok: (r) => r.status === 200 });
}

export function handleSummary(data) {
  return {
    stdout: textSummary(data, { indent: '  ', enableColors: false }),
    'junit.xml': jUnit(data),
    'summary-copy.json': JSON.stringify(data),
  };
}
