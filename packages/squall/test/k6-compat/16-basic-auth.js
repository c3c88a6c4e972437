import http from 'k6/http';
import { check } from 'k6';
import encoding from 'k6/encoding';

export const options = { iterations: 1 };

export default function () {
  const host = __ENV.BASE.replace('http://', '');
  const viaUrl = http.get(`http://alice:s3cret@${host}/basic/alice/s3cret`);
  check(viaUrl, { 'URL credentials': (r) => r.status === 200 && r.json('user') === 'alice' });
  const viaParam = http.get(`http://alice:s3cret@${host}/basic/alice/s3cret`, { auth: 'basic' });
  check(viaParam, { "auth: 'basic'": (r) => r.status === 200 });
  const header = http.get(`${__ENV.BASE}/basic/bob/pw`, { headers: { Authorization: `Basic ${encoding.b64encode('bob:pw')}` } });
  check(header, { 'header by hand': (r) => r.status === 200 });
  const wrong = http.get(`http://alice:nope@${host}/basic/alice/s3cret`, { responseCallback: null });
  check(wrong, { 'wrong password is 401': (r) => r.status === 401 });
}
