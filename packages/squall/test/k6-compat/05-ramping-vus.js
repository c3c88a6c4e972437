import http from 'k6/http';
import { check, sleep } from 'k6';

export const options = {
  scenarios: {
    ramp: { executor: 'ramping-vus', startVUs: 0, stages: [{ duration: '1s', target: 2 }, { duration: '1s', target: 2 }], gracefulRampDown: '0s' },
  },
};

export default function () {
  check(http.get(`${__ENV.BASE}/`), { ok: (r) => r.status === 200 });
  sleep(0.5);
}
