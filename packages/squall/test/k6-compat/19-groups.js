import http from 'k6/http';
import { check, group } from 'k6';

export const options = { scenarios: { g: { executor: 'per-vu-iterations', vus: 1, iterations: 4 } } };

export default function () {
  const name = group('shop', function () {
    const page = group('home', () => http.get(`${__ENV.BASE}/html`));
    check(page, { 'home ok': (r) => r.status === 200 });
    return group('data', () => http.get(`${__ENV.BASE}/json`).json('name'));
  });
  check(name, { 'group returns its value': (n) => n === 'squall' });
  if (__ITER % 2 === 1) {
    group('broken', () => {
      throw new Error('boom');
    });
  }
  http.get(`${__ENV.BASE}/after`);
}
