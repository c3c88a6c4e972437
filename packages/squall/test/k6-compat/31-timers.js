import http from 'k6/http';
import { setTimeout, clearTimeout } from 'k6/timers';

export const options = { scenarios: { t: { executor: 'per-vu-iterations', vus: 1, iterations: 2 } } };

export default function () {
  setTimeout(() => {
    http.get(`${__ENV.BASE}/later`);
  }, 100);
  // A timer cleared before it fires never runs its callback.
  const cancelled = setTimeout(() => {
    http.get(`${__ENV.BASE}/cancelled`);
  }, 50);
  clearTimeout(cancelled);
  http.get(`${__ENV.BASE}/now`);
}
