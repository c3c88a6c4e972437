/**
 * TLS targets for the k6 corpus: certificates made at test time with openssl (a throwaway CA, a
 * server certificate for localhost/127.0.0.1 and a client certificate), an HTTP/2 server (ALPN h2
 * only) and an HTTP/1.1-only server that requires a client certificate signed by the CA.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createSecureServer, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { tmpDir } from './helpers/cli.js';

export interface Certs {
  readonly dir: string;
  readonly ca: string;
  readonly key: string;
  readonly cert: string;
}

function openssl(dir: string, args: string[]): void {
  const r = spawnSync('/usr/bin/openssl', args, { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.stderr}`);
}

/** A CA, server.{key,crt} for localhost and 127.0.0.1, client.{key,crt} (CN vu-client), in a temp dir. */
export function makeCerts(): Certs {
  const dir = tmpDir();
  const subj = (cn: string) => ['-subj', `/CN=${cn}`];
  openssl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', ...subj('squall-test-ca')]);
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  for (const [name, cn, ext] of [['server', 'localhost', ['-extfile', 'san.ext']], ['client', 'vu-client', []]] as const) {
    openssl(dir, ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, ...subj(cn)]);
    openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '2', ...ext]);
  }
  const read = (f: string) => readFileSync(join(dir, f), 'utf8');
  return { dir, ca: read('ca.crt'), key: read('server.key'), cert: read('server.crt') };
}

export interface TlsTarget {
  /** https://127.0.0.1:PORT */
  readonly url: string;
  readonly port: number;
  /** Requests seen, by path. */
  readonly counts: Map<string, number>;
  /** TLS handshakes the server completed. */
  handshakes: number;
  close(): Promise<void>;
}

type Req = { url?: string; httpVersion: string; method?: string; socket: unknown; on(e: string, f: (d?: Buffer) => void): unknown };
type Res = { writeHead(s: number, h: Record<string, string>): unknown; end(b: string): unknown };

function handler(counts: Map<string, number>) {
  return (req: Req, res: Res) => {
    const path = new URL(req.url ?? '/', 'https://x').pathname;
    counts.set(path, (counts.get(path) ?? 0) + 1);
    let body = '';
    req.on('data', (d) => (body += d?.toString() ?? ''));
    req.on('end', () => {
      const peer = (req.socket as TLSSocket).getPeerCertificate?.();
      const client = peer && typeof peer === 'object' && 'subject' in peer ? (peer.subject?.CN ?? null) : null;
      res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': 'h=1; Path=/' });
      res.end(JSON.stringify({ httpVersion: req.httpVersion, method: req.method, body, client }));
    });
  };
}

async function listen(server: import('node:net').Server, counts: Map<string, number>, target: { handshakes: number }): Promise<TlsTarget> {
  server.on('secureConnection', () => target.handshakes++);
  await new Promise<void>((resolve) => server.listen(0, resolve));
  const { port } = server.address() as AddressInfo;
  const t = target as TlsTarget & { handshakes: number };
  Object.assign(t, {
    url: `https://127.0.0.1:${port}`,
    port,
    counts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
  return t;
}

/** HTTP/2 only (ALPN h2, no HTTP/1.1 fallback), on every interface. */
export function startH2Server(certs: Certs): Promise<TlsTarget> {
  const counts = new Map<string, number>();
  const server = createSecureServer({ key: certs.key, cert: certs.cert, allowHTTP1: false });
  server.on('request', handler(counts) as unknown as (req: Http2ServerRequest, res: Http2ServerResponse) => void);
  server.on('session', (s) => s.on('error', () => undefined));
  return listen(server as unknown as import('node:net').Server, counts, { handshakes: 0 });
}

/** HTTP/1.1 only; the handshake fails without a client certificate signed by the test CA. */
export function startMtlsServer(certs: Certs): Promise<TlsTarget> {
  const counts = new Map<string, number>();
  const server = createHttpsServer({ key: certs.key, cert: certs.cert, ca: certs.ca, requestCert: true, rejectUnauthorized: true, ALPNProtocols: ['http/1.1'] }, handler(counts) as never);
  server.on('tlsClientError', () => undefined);
  return listen(server, counts, { handshakes: 0 });
}
