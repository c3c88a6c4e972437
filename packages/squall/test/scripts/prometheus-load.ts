// Mixed load for the Prometheus output tests: two named endpoints (200 and 404), a check, and a
// custom Counter, Gauge, Rate and time Trend, so every metric type and several label sets appear.
import { http, check, sleep, Counter, Gauge, Rate, Trend } from 'squall';

const items = new Counter('items_done');
const depth = new Gauge('queue_depth');
const good = new Rate('good_answers');
const think = new Trend('think_time', true);

export const options = {
  vus: 2,
  duration: __ENV.DURATION ?? '3s',
};

export default async function () {
  const ok = await http.get(`${__ENV.BASE_URL}/ok`, { tags: { name: 'ok' } });
  const missing = await http.get(`${__ENV.BASE_URL}/status/404`, { tags: { name: 'missing' } });
  check(ok, { 'ok is 200': (r) => r.status === 200 });
  items.add(2);
  depth.add(7);
  good.add(missing.status === 404);
  think.add(5);
  await sleep(0.02);
}
