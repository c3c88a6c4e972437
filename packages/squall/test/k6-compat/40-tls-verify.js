// insecureSkipTLSVerify left off (k6's default): a certificate from an unknown CA fails the request.
import http from 'k6/http';
import { check } from 'k6';

export const options = { iterations: 2 };

export default function () {
  const r = http.get(`${__ENV.H2}/unverified`);
  check(r, {
    'status 0': (res) => res.status === 0,
    'x509 unknown authority (1310)': (res) => res.error_code === 1310,
    'error says why': (res) => /certificate/i.test(res.error),
  });
}
