import http from 'k6/http';

export const options = { iterations: 3, thresholds: { http_req_failed: ['rate<0.1'], 'checks': ['rate==1'] } };

export default function () {
  http.get(`${__ENV.BASE}/status/500`);
}
