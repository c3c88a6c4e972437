import http from 'k6/http';
import exec from 'k6/execution';

export const options = { vus: 1, duration: '10s' };

export default function () {
  const res = http.get(`${__ENV.BASE}/status/503`);
  if (res.status === 503) exec.test.abort('service unavailable');
  http.get(`${__ENV.BASE}/never`);
}
