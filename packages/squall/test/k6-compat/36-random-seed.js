import http from 'k6/http';
import { randomSeed } from 'k6';

randomSeed(42);

export const options = { scenarios: { s: { executor: 'per-vu-iterations', vus: 2, iterations: 1 } } };

export default function () {
  http.get(`${__ENV.BASE}/seeded/${Math.floor(Math.random() * 1e9)}`);
}
