import http from 'k6/http';
import { setTimeout } from 'k6/timers';

export const options = { scenarios: { t: { executor: 'per-vu-iterations', vus: 1, iterations: 2 } } };

export default function () {
  setTimeout(() => {
    http.get(`${__ENV.BASE}/later`);
  }, 100);
  http.get(`${__ENV.BASE}/now`);
}
