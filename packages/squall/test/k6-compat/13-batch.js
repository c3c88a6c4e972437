import http from 'k6/http';
import { check } from 'k6';

export const options = { iterations: 2 };

export default function () {
  const list = http.batch([
    `${__ENV.BASE}/a`,
    ['GET', `${__ENV.BASE}/b`, null, { tags: { name: 'b' } }],
    { method: 'POST', url: `${__ENV.BASE}/form`, body: { x: '1' } },
  ]);
  check(list, {
    'three responses': (r) => r.length === 3,
    'all ok': (r) => r.every((x) => x.status === 200),
    'form body': (r) => r[2].json('body') === 'x=1',
  });
  const named = http.batch({ home: `${__ENV.BASE}/c`, data: { method: 'GET', url: `${__ENV.BASE}/json` } });
  check(named, { 'named': (r) => r.home.status === 200 && r.data.json('name') === 'squall' });
}
