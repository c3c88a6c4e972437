import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Collector } from '../metrics/collector.js';
import { createHttpClient, type HttpClient } from './client.js';

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!hasOpenssl())('createHttpClient over TLS', () => {
  let dir = '';
  let server: Server;
  let url = '';
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'squall-tls-'));
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
        '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
      { stdio: 'ignore' },
    );
    server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (_req, res) =>
      res.end('secure'),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  function client(insecureSkipTLSVerify: boolean): HttpClient {
    return createHttpClient({
      sink: new Collector(),
      options: {
        userAgent: 'squall-test/1',
        maxRedirects: 10,
        httpTimeoutMs: 10_000,
        expectedStatuses: [{ min: 200, max: 399 }],
        discardResponseBodies: false,
        noConnectionReuse: false,
        insecureSkipTLSVerify,
        batch: 20,
        batchPerHost: 6,
        tags: {},
      },
      context: () => ({ tags: {}, startDelayMs: 0 }),
    });
  }

  it('splits connecting and tls_handshaking on the first request only', async () => {
    const http = client(true);
    try {
      const first = await http.get(url);
      expect(first.status).toBe(200);
      expect(first.body).toBe('secure');
      expect(first.timings.connecting).toBeGreaterThan(0);
      expect(first.timings.tls_handshaking).toBeGreaterThan(0);
      const second = await http.get(url);
      expect(second.timings.connecting).toBe(0);
      expect(second.timings.tls_handshaking).toBe(0);
    } finally {
      await http.close();
    }
  });

  it('rejects a self-signed certificate unless insecureSkipTLSVerify, with k6 code 1310', async () => {
    const http = client(false);
    try {
      const res = await http.get(url);
      expect(res.status).toBe(0);
      expect(res.error_code).toBe(1310);
      expect(res.error).toMatch(/self.signed/i);
    } finally {
      await http.close();
    }
  });
});
