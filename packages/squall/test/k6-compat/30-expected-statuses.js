import http from 'k6/http';

http.setResponseCallback(http.expectedStatuses(200, { min: 400, max: 404 }));

export const options = { iterations: 2, thresholds: { http_req_failed: ['rate==0.25'] } };

export default function () {
  http.get(`${__ENV.BASE}/status/404`);
  http.get(`${__ENV.BASE}/status/200`);
  http.get(`${__ENV.BASE}/status/500`, { expectedStatuses: http.expectedStatuses(500) });
  http.get(`${__ENV.BASE}/status/418`, { expectedStatuses: [200] });
}
