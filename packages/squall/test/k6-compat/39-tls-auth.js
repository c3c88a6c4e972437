// k6's tlsAuth: a client certificate per domain, against a server that requires one.
import http from 'k6/http';
import { check } from 'k6';

export const options = {
  insecureSkipTLSVerify: true,
  tlsAuth: [{ domains: ['localhost'], cert: open(`${__ENV.CERTS}/client.crt`), key: open(`${__ENV.CERTS}/client.key`) }],
  iterations: 3,
};

export default function () {
  // localhost is listed: the certificate is presented and the server knows who we are.
  const r = http.get(`${__ENV.MTLS}/whoami`);
  check(r, {
    'with cert: 200': (res) => res.status === 200,
    'server saw our CN': (res) => res.json('client') === 'vu-client',
    'h1-only server: HTTP/1.1': (res) => res.proto === 'HTTP/1.1',
  });
  // The same server by IP is not in `domains`: no certificate, so the server refuses the handshake.
  const refused = http.get(`${__ENV.MTLS_IP}/refused`, { timeout: '5s' });
  check(refused, { 'without cert: refused': (res) => res.status === 0 && res.error_code !== 0 });
}
