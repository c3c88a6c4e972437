import http from 'k6/http';
import { check } from 'k6';

export const options = { iterations: 1 };

export default function () {
  const res = http.get(`${__ENV.BASE}/json`);
  check(res, {
    json: (r) => r.json().name === 'squall',
    selector: (r) => r.json('items.1.id') === 2 && r.json('items.#') === 3 && r.json('nested.ok') === true,
    headers: (r) => r.headers['Content-Type'] === 'application/json',
    timings: (r) => r.timings.duration >= 0 && r.timings.waiting >= 0 && typeof r.timings.blocked === 'number',
    'status_text': (r) => r.status_text === '200 OK',
    proto: (r) => r.proto === 'HTTP/1.1',
    'remote_ip': (r) => r.remote_ip === '127.0.0.1' && r.remote_port > 0,
    request: (r) => r.request.method === 'GET' && r.request.url === `${__ENV.BASE}/json`,
    'no error': (r) => r.error === '' && r.error_code === 0,
  });
  const bin = http.get(`${__ENV.BASE}/json`, { responseType: 'binary' });
  check(bin, { binary: (r) => r.body instanceof ArrayBuffer && r.body.byteLength > 10 });
  const none = http.get(`${__ENV.BASE}/json`, { responseType: 'none' });
  check(none, { discarded: (r) => r.body === null });
  const refused = http.get('http://127.0.0.1:1/', { timeout: '2s' });
  check(refused, { 'connection error': (r) => r.status === 0 && r.error_code !== 0 && r.error !== '' });
}
