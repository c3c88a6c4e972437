import { http, check, group, Counter, Trend, exec } from 'squall';

const hits = new Counter('custom_hits');
const sizes = new Trend('custom_size');

export const options = {
  thresholds: {
    checks: ['rate==1'],
    'http_req_duration{name:hello}': ['p(95)<5000'],
  },
};

export function setup() {
  return { token: 'abc', base: __ENV.BASE_URL };
}

export default async function (data: { token: string; base: string }) {
  await group('api', async () => {
    const res = await http.get(`${data.base}/hello?vu=${exec.vu.idInTest}`, { tags: { name: 'hello' } });
    check(res, { 'status 200': (r) => r.status === 200, 'token passed': () => data.token === 'abc' });
    hits.add(1);
    sizes.add(String(res.body).length);
  });
}

export function teardown(data: { token: string }) {
  if (data.token !== 'abc') throw new Error('teardown got the wrong data');
}
