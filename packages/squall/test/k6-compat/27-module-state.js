import http from 'k6/http';

// Module state is per VU in k6: each VU counts its own iterations.
let iterationsOfThisVu = 0;

export const options = { scenarios: { s: { executor: 'per-vu-iterations', vus: 3, iterations: 3 } } };

export default function () {
  iterationsOfThisVu++;
  http.get(`${__ENV.BASE}/count/${iterationsOfThisVu}`, { headers: { 'X-VU': `${__VU}:${iterationsOfThisVu}` } });
}
