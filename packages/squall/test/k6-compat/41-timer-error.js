// An error thrown in a k6/timers callback ends that iteration as an iteration error (counted, and
// logged at this file's line), as k6 reports it; it is never silent.
import http from 'k6/http';
import { setTimeout, setInterval, clearInterval } from 'k6/timers';

export const options = { scenarios: { t: { executor: 'per-vu-iterations', vus: 1, iterations: 4 } } };

export default function () {
  http.get(`${__ENV.BASE}/tick`);
  if (__ITER % 2 === 0) {
    setTimeout(() => {
      throw new Error(`timer boom in iteration ${__ITER}`);
    }, 5);
    // Cancelled by the failure above: it never sends.
    setTimeout(() => http.get(`${__ENV.BASE}/never`), 500);
  } else {
    let n = 0;
    const id = setInterval(() => {
      n++;
      if (n === 2) clearInterval(id);
      http.get(`${__ENV.BASE}/interval`);
    }, 5);
  }
}
