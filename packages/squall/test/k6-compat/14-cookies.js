import http from 'k6/http';
import { check } from 'k6';

export const options = { iterations: 2 };

export default function () {
  const base = __ENV.BASE;
  const jar = http.cookieJar();
  const first = http.get(`${base}/cookies`);
  check(first, { 'jar reset each iteration': (r) => Object.keys(r.json('cookies')).length === 0 });
  const set = http.get(`${base}/set-cookie?session=abc&theme=dark`);
  check(set, { 'response cookies': (r) => r.cookies.session[0].value === 'abc' });
  jar.set(base, 'manual', 'yes');
  const seen = http.get(`${base}/cookies`, { cookies: { extra: 'one', theme: { value: 'light', replace: true } } });
  check(seen, {
    'jar cookie sent': (r) => r.json('cookies.session') === 'abc',
    'jar.set cookie sent': (r) => r.json('cookies.manual') === 'yes',
    'request cookie sent': (r) => r.json('cookies.extra') === 'one',
    'replace wins': (r) => r.json('cookies.theme') === 'light',
  });
  check(jar.cookiesForURL(base), { 'cookiesForURL': (c) => c.session[0] === 'abc' });
  jar.delete(base, 'session');
  const after = http.get(`${base}/cookies`);
  check(after, { 'deleted': (r) => r.json('cookies.session') === undefined && r.json('cookies.theme') === 'dark' });
  const own = new http.CookieJar();
  own.set(base, 'private', '1');
  check(http.get(`${base}/cookies`, { jar: own }), { 'own jar': (r) => r.json('cookies.private') === '1' && r.json('cookies.theme') === undefined });
}
