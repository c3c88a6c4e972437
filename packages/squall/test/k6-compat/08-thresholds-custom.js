import http from 'k6/http';
import { Counter, Gauge, Rate, Trend } from 'k6/metrics';

const waiting = new Trend('waiting_time', true);
const calls = new Counter('my_calls');
const good = new Rate('good_responses');
const size = new Gauge('body_size');

export const options = {
  iterations: 6,
  thresholds: {
    my_calls: ['count==6'],
    'my_calls{kind:a}': ['count==3'],
    good_responses: ['rate==1'],
    waiting_time: ['p(95)<2000'],
    body_size: ['value>0'],
    'http_req_duration{name:home}': ['max<2000'],
  },
};

export default function () {
  const res = http.get(`${__ENV.BASE}/json`, { tags: { name: 'home' } });
  waiting.add(res.timings.waiting);
  calls.add(1, { kind: __ITER % 2 === 0 ? 'a' : 'b' });
  good.add(res.status === 200);
  size.add(res.body.length);
}
