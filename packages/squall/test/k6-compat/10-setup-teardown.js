import http from 'k6/http';
import { check } from 'k6';

export const options = { vus: 2, iterations: 4 };

export function setup() {
  const res = http.get(`${__ENV.BASE}/json`);
  return { token: res.json('name'), count: res.json('items.#') };
}

export default function (data) {
  const res = http.get(`${__ENV.BASE}/echo`, { headers: { Authorization: `Bearer ${data.token}` } });
  check(res, {
    'token sent': (r) => r.json('headers.authorization') === 'Bearer squall',
    'setup data': () => data.count === 3,
  });
}

export function teardown(data) {
  http.post(`${__ENV.BASE}/teardown`, JSON.stringify(data), { headers: { 'Content-Type': 'application/json' } });
}
