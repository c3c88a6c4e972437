import http from 'k6/http';
import { check } from 'k6';

export const options = { iterations: 2 };

export default function () {
  const host = __ENV.BASE.replace('http://', '');
  const res = http.get(`http://carol:pa55@${host}/digest/carol/pa55`, { auth: 'digest' });
  check(res, { 'digest ok': (r) => r.status === 200 && r.json('authenticated') === true });
}
