// HTTP/2 where the server offers it (ALPN), HTTP/1.1 where it does not; k6's `r.proto` checks.
import http from 'k6/http';
import { check } from 'k6';

export const options = {
  insecureSkipTLSVerify: true, // the test server's certificate is signed by a throwaway CA
  scenarios: { h2: { executor: 'per-vu-iterations', vus: 2, iterations: 2 } },
  thresholds: {
    'http_reqs{proto:HTTP/2.0}': ['count==16'],
    'http_req_duration{proto:HTTP/2.0}': ['max<5000'],
    'http_reqs{proto:HTTP/1.1}': ['count==4'],
  },
};

export default function () {
  const r = http.get(`${__ENV.H2}/h2`);
  check(r, {
    'h2 status 200': (res) => res.status === 200,
    'h2 proto': (res) => res.proto === 'HTTP/2.0',
    'server saw 2.0': (res) => res.json('httpVersion') === '2.0',
    'h2 timed': (res) => res.timings.duration > 0 && res.timings.waiting >= 0,
  });
  const posted = http.post(`${__ENV.H2}/h2-post`, JSON.stringify({ a: 1 }), { headers: { 'Content-Type': 'application/json' } });
  check(posted, { 'h2 body sent': (res) => res.json('body') === '{"a":1}' && res.json('method') === 'POST' });
  const many = http.batch([`${__ENV.H2}/h2-batch`, `${__ENV.H2}/h2-batch`]);
  check(many, { 'batch over h2': (rs) => rs.every((x) => x.proto === 'HTTP/2.0' && x.status === 200) });
  const plain = http.get(`${__ENV.BASE}/`);
  check(plain, { 'plain http is 1.1': (res) => res.proto === 'HTTP/1.1' });
}
