import http from 'k6/http';
import { check } from 'k6';

const blob = open('./data/blob.bin', 'b');

export const options = { iterations: 2 };

export default function () {
  const res = http.post(`${__ENV.BASE}/form`, { title: 'upload', file: http.file(blob, 'blob.bin', 'application/octet-stream') });
  check(res, {
    multipart: (r) => r.json('headers.content-type').startsWith('multipart/form-data; boundary='),
    'has file': (r) => r.json('body').includes('filename="blob.bin"') && r.json('body').includes('binary'),
    'binary size': () => blob.byteLength === 9,
  });
}
