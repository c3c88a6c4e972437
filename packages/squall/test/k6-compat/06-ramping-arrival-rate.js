import http from 'k6/http';
import { check } from 'k6';

export const options = {
  scenarios: {
    rar: {
      executor: 'ramping-arrival-rate', startRate: 10, timeUnit: '1s', preAllocatedVUs: 4, maxVUs: 8,
      stages: [{ target: 10, duration: '1s' }, { target: 0, duration: '1s' }],
    },
  },
};

export default function () {
  check(http.get(`${__ENV.BASE}/`), { ok: (r) => r.status === 200 });
}
