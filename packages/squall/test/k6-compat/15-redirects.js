import http from 'k6/http';
import { check } from 'k6';

export const options = { iterations: 1, maxRedirects: 5 };

export default function () {
  const base = __ENV.BASE;
  const followed = http.get(`${base}/redirect/3`);
  check(followed, { 'followed to /json': (r) => r.status === 200 && r.url === `${base}/json` });
  const stopped = http.get(`${base}/redirect/3`, { redirects: 0 });
  check(stopped, { 'not followed': (r) => r.status === 302 && r.headers.Location === '/redirect/2' });
  const login = http.get(`${base}/set-cookie?sid=42&redirect=/cookies`);
  check(login, { 'cookie kept across redirect': (r) => r.json('cookies.sid') === '42' });
  const posted = http.post(`${base}/redirect/1`, 'data');
  check(posted, { '302 turns POST into GET': (r) => r.status === 200 && r.url === `${base}/json` });
}
