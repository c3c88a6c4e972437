import http from 'k6/http';
import { check, sleep } from 'k6';

// Two scenarios with their own exec functions and tags; the second starts later.
export const options = {
  scenarios: {
    browse: { executor: 'constant-vus', vus: 1, duration: '1s', exec: 'browse', tags: { kind: 'browse' } },
    api: { executor: 'per-vu-iterations', vus: 2, iterations: 2, exec: 'api', startTime: '500ms' },
  },
  thresholds: { 'http_reqs{kind:browse}': ['count>=2'], 'http_reqs{scenario:api}': ['count==4'] },
};

export function browse() {
  http.get(`${__ENV.BASE}/html`);
  sleep(0.4);
}

export function api() {
  check(http.get(`${__ENV.BASE}/json`), { 'api ok': (r) => r.status === 200 });
}
