import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startServer, type TestServer } from './server.js';

/** What the k6 corpus's target saw, beyond the per-path counts. */
export interface K6Target extends TestServer {
  /** Distinct `x-vu` header values seen. */
  readonly vus: Set<string>;
  /** Last body and content type per path. */
  readonly bodies: Map<string, { type: string; body: string }>;
}

const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const PAGE = `<html><head><title>Shop</title></head><body>
<h1 id="title">Welcome</h1>
<ul class="items"><li data-id="1">Apple</li><li data-id="2">Banana</li><li data-id="3">Cherry</li></ul>
<form id="login" action="/form" method="post"><input name="csrf" value="tok-123"><input name="user" value=""></form>
<a href="/json">json</a></body></html>`;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let b = '';
    req.on('data', (d: Buffer) => (b += d.toString('latin1')));
    req.on('end', () => resolve(b));
  });
}

/**
 * Routes: / (ok), /json, /html, /echo (method, headers, body as JSON), /status/N, /delay/MS,
 * /set-cookie?name=value (and redirect=PATH), /cookies (the Cookie header as JSON),
 * /redirect/N (N hops to /json), /basic/USER/PASS, /digest/USER/PASS, /form (echo of a form post).
 */
export async function startK6Target(): Promise<K6Target> {
  const vus = new Set<string>();
  const bodies = new Map<string, { type: string; body: string }>();
  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const p = url.pathname;
    const vu = req.headers['x-vu'];
    if (typeof vu === 'string') vus.add(vu);
    const body = await readBody(req);
    bodies.set(p, { type: String(req.headers['content-type'] ?? ''), body });
    const json = (status: number, v: unknown, headers: Record<string, string | string[]> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(v));
    };
    let m: RegExpExecArray | null;
    if (p === '/json') return json(200, { name: 'squall', items: [{ id: 1 }, { id: 2 }, { id: 3 }], nested: { ok: true } });
    if (p === '/html') {
      res.writeHead(200, { 'content-type': 'text/html' });
      return res.end(PAGE);
    }
    if (p === '/echo' || p === '/form') return json(200, { method: req.method, headers: req.headers, body, query: Object.fromEntries(url.searchParams) });
    if ((m = /^\/status\/(\d{3})$/.exec(p))) return json(Number(m[1]), { status: Number(m[1]) });
    if ((m = /^\/delay\/(\d+)$/.exec(p))) {
      await new Promise((r) => setTimeout(r, Number(m![1])));
      return json(200, { delayed: true });
    }
    if (p === '/set-cookie') {
      const cookies = [...url.searchParams].filter(([k]) => k !== 'redirect').map(([k, v]) => `${k}=${v}; Path=/`);
      const to = url.searchParams.get('redirect');
      if (to) {
        res.writeHead(302, { location: to, 'set-cookie': cookies });
        return res.end();
      }
      return json(200, { set: cookies.length }, { 'set-cookie': cookies });
    }
    if (p === '/cookies') {
      const c = Object.fromEntries((req.headers.cookie ?? '').split(';').filter(Boolean).map((s) => s.trim().split('=') as [string, string]));
      return json(200, { cookies: c });
    }
    if ((m = /^\/redirect\/(\d+)$/.exec(p))) {
      const n = Number(m[1]);
      res.writeHead(302, { location: n > 1 ? `/redirect/${n - 1}` : '/json' });
      return res.end();
    }
    if ((m = /^\/basic\/([^/]+)\/([^/]+)$/.exec(p))) {
      const want = `Basic ${Buffer.from(`${m[1]}:${m[2]}`).toString('base64')}`;
      return req.headers.authorization === want ? json(200, { authenticated: true, user: m[1] }) : json(401, { authenticated: false });
    }
    if ((m = /^\/digest\/([^/]+)\/([^/]+)$/.exec(p))) {
      const realm = 'squall';
      const nonce = 'abc123';
      const auth = req.headers.authorization ?? '';
      const f = Object.fromEntries([...auth.matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)].map((x) => [x[1], x[2] ?? x[3]]));
      if (auth.startsWith('Digest ') && f.username === m[1]) {
        const ha1 = md5(`${m[1]}:${realm}:${m[2]}`);
        const ha2 = md5(`${req.method}:${f.uri}`);
        if (f.response === md5(`${ha1}:${nonce}:${f.nc}:${f.cnonce}:${f.qop}:${ha2}`)) return json(200, { authenticated: true, user: m[1] });
      }
      return json(401, { authenticated: false }, { 'www-authenticate': `Digest realm="${realm}", qop="auth", nonce="${nonce}", opaque="xyz", algorithm=MD5` });
    }
    return json(200, { ok: true });
  };
  const server = await startServer(handler);
  return { ...server, vus, bodies };
}
