import crypto from 'k6/crypto';
import { sha256, hmac } from 'k6/crypto';
import { check } from 'k6';

export const options = { iterations: 1 };

export default function () {
  const h = crypto.createHash('sha1');
  h.update('hello ');
  h.update('world');
  check(null, {
    md5: () => crypto.md5('hello world', 'hex') === '5eb63bbbe01eeed093cb22bb8f5acdc3',
    sha256: () => sha256('hello world', 'hex') === 'b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9',
    'sha512 base64': () => crypto.sha512('x', 'base64').length === 88,
    hmac: () => hmac('sha256', 'key', 'The quick brown fox jumps over the lazy dog', 'hex') === 'f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8',
    createHash: () => h.digest('hex') === '2aae6c35c94fcfb415dbe95f408b9ce91ee846ed',
    randomBytes: () => crypto.randomBytes(16).byteLength === 16,
  });
}
