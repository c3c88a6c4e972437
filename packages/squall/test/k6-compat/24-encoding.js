import { check } from 'k6';
import encoding from 'k6/encoding';
import { b64decode } from 'k6/encoding';

export const options = { iterations: 1 };

export default function () {
  const s = 'hello?world>>';
  check(null, {
    std: () => encoding.b64encode(s) === 'aGVsbG8/d29ybGQ+Pg==',
    rawstd: () => encoding.b64encode(s, 'rawstd') === 'aGVsbG8/d29ybGQ+Pg',
    url: () => encoding.b64encode(s, 'url') === 'aGVsbG8_d29ybGQ-Pg==',
    rawurl: () => encoding.b64encode(s, 'rawurl') === 'aGVsbG8_d29ybGQ-Pg',
    'decode to string': () => b64decode('aGVsbG8_d29ybGQ-Pg', 'rawurl', 's') === s,
    'decode to bytes': () => new Uint8Array(b64decode('AAEC')).join(',') === '0,1,2',
  });
}
