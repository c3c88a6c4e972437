import http from 'k6/http';
import { check } from 'k6';

export const options = { iterations: 1 };

export default async function () {
  const id = 7;
  const tagged = http.get(http.url`${__ENV.BASE}/posts/${id}`);
  const put = http.put(`${__ENV.BASE}/echo`, 'p');
  const patch = http.patch(`${__ENV.BASE}/echo`, 'q');
  const del = http.del(`${__ENV.BASE}/echo`);
  const head = http.head(`${__ENV.BASE}/`);
  const opts = http.options(`${__ENV.BASE}/echo`);
  const req = http.request('GET', `${__ENV.BASE}/echo?x=1`);
  const later = await http.asyncRequest('POST', `${__ENV.BASE}/echo`, 'async');
  check(null, {
    'url tag': () => tagged.status === 200,
    methods: () => put.json('method') === 'PUT' && patch.json('method') === 'PATCH' && del.json('method') === 'DELETE' && opts.json('method') === 'OPTIONS',
    head: () => head.status === 200 && head.body === '',
    request: () => req.json('query.x') === '1',
    asyncRequest: () => later.json('body') === 'async',
  });
}
