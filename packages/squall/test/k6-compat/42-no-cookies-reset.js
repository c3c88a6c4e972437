// options.noCookiesReset: the VU's cookie jar survives from one iteration to the next.
import http from 'k6/http';
import { check } from 'k6';

export const options = { noCookiesReset: true, scenarios: { one: { executor: 'per-vu-iterations', vus: 1, iterations: 3 } } };

export default function () {
  if (__ITER === 0) http.get(`${__ENV.BASE}/set-cookie?sid=abc`);
  const r = http.get(`${__ENV.BASE}/cookies`);
  check(r, { 'cookie kept across iterations': (res) => res.json('cookies.sid') === 'abc' });
}
