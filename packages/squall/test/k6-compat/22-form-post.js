import http from 'k6/http';
import { check } from 'k6';

export const options = { iterations: 1 };

export default function () {
  const res = http.post(`${__ENV.BASE}/form`, { user: 'ann smith', pass: 'a&b', age: 30 });
  check(res, {
    'form content type': (r) => r.json('headers.content-type') === 'application/x-www-form-urlencoded',
    'form body (keys sorted)': (r) => r.json('body') === 'age=30&pass=a%26b&user=ann+smith',
  });
  const raw = http.post(`${__ENV.BASE}/echo`, JSON.stringify({ a: 1 }), { headers: { 'Content-Type': 'application/json' } });
  check(raw, { 'string body as is': (r) => r.json('body') === '{"a":1}' });
}
