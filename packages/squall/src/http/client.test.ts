import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Collector } from '../metrics/collector.js';
import type { SeriesSnapshot, SnapshotAggregate, Tags } from '../metrics/types.js';
import { createHttpClient, type HttpClient, type HttpClientDeps } from './client.js';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

interface TestServer {
  readonly url: string;
  /** Sockets accepted so far. */
  readonly sockets: Socket[];
  /** Most requests the server had in flight at once. */
  readonly maxInFlight: () => number;
  /** Most sockets open at once. */
  readonly maxOpenSockets: () => number;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function serve(handler: Handler): Promise<TestServer> {
  const sockets: Socket[] = [];
  let open = 0;
  let maxOpen = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const server: Server = createServer((req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => inFlight--);
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => handler(req, res, Buffer.concat(parts).toString('utf8')));
  });
  server.on('connection', (s: Socket) => {
    sockets.push(s);
    open++;
    maxOpen = Math.max(maxOpen, open);
    s.on('close', () => open--);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, sockets, maxInFlight: () => maxInFlight, maxOpenSockets: () => maxOpen };
}

const context = { tags: { scenario: 'default' } as Tags, startDelayMs: 0 };

function client(overrides: Partial<HttpClientDeps['options']> = {}, extra: Partial<HttpClientDeps> = {}) {
  const sink = new Collector();
  const http: HttpClient = createHttpClient({
    sink,
    options: {
      userAgent: 'squall-test/1',
      maxRedirects: 10,
      httpTimeoutMs: 10_000,
      expectedStatuses: [{ min: 200, max: 399 }],
      discardResponseBodies: false,
      noConnectionReuse: false,
      insecureSkipTLSVerify: false,
      batch: 20,
      batchPerHost: 6,
      tags: {},
      ...overrides,
    },
    context: () => context,
    ...extra,
  });
  cleanups.push(() => http.close());
  // Snapshots reset the collector's interval, so fold each one into a running total per series.
  const totals = new Map<string, SeriesSnapshot>();
  const all = (): SeriesSnapshot[] => {
    for (const s of sink.snapshot(Date.now()).series) {
      const key = `${s.metric} ${JSON.stringify(Object.entries(s.tags).sort())}`;
      const prior = totals.get(key);
      totals.set(key, prior === undefined ? s : { ...s, agg: mergeAgg(prior.agg, s.agg) });
    }
    return [...totals.values()];
  };
  const find = (metric: string, tags: Tags = {}): SeriesSnapshot[] =>
    all().filter((s) => s.metric === metric && Object.entries(tags).every(([k, v]) => s.tags[k] === v));
  const count = (metric: string, tags: Tags = {}): number =>
    find(metric, tags).reduce((n, s) => n + (s.agg.type === 'counter' ? s.agg.sum : s.agg.type === 'trend' ? s.agg.count : 0), 0);
  const failedRate = (tags: Tags = {}): { passes: number; total: number } =>
    find('http_req_failed', tags).reduce(
      (acc, s) => (s.agg.type === 'rate' ? { passes: acc.passes + s.agg.passes, total: acc.total + s.agg.total } : acc),
      { passes: 0, total: 0 },
    );
  return { http, find, count, failedRate };
}

function mergeAgg(a: SnapshotAggregate, b: SnapshotAggregate): SnapshotAggregate {
  if (a.type === 'counter' && b.type === 'counter') return { type: 'counter', sum: a.sum + b.sum, samples: a.samples + b.samples };
  if (a.type === 'rate' && b.type === 'rate') return { type: 'rate', passes: a.passes + b.passes, total: a.total + b.total };
  if (a.type === 'trend' && b.type === 'trend') {
    return { ...b, count: a.count + b.count, sum: a.sum + b.sum, min: Math.min(a.min, b.min), max: Math.max(a.max, b.max) };
  }
  return b;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('createHttpClient: responses', () => {
  it('returns status, canonical headers, body, url and the request as sent', async () => {
    const srv = await serve((req, res) => {
      res.setHeader('x-echo-agent', req.headers['user-agent'] ?? '');
      res.setHeader('content-type', 'text/plain');
      res.end('hello');
    });
    const { http } = client();
    const res = await http.get(`${srv.url}/greet`);
    expect(res.status).toBe(200);
    expect(res.statusText).toBe('OK');
    expect(res.proto).toBe('HTTP/1.1');
    expect(res.body).toBe('hello');
    expect(res.headers['Content-Type']).toBe('text/plain');
    expect(res.headers['X-Echo-Agent']).toBe('squall-test/1');
    expect(res.url).toBe(`${srv.url}/greet`);
    expect(res.error).toBe('');
    expect(res.error_code).toBe(0);
    expect(res.request.method).toBe('GET');
    expect(res.request.headers['User-Agent']).toEqual(['squall-test/1']);
  });

  it('sends an object body as JSON, appends query, keeps a caller content-type and user-agent', async () => {
    const srv = await serve((req, res, body) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ url: req.url, type: req.headers['content-type'], agent: req.headers['user-agent'], body }));
    });
    const { http } = client();
    const res = await http.post(`${srv.url}/e?x=1`, { a: [1, 2] }, { query: { q: 'a b', n: 2 } });
    expect(res.json()).toEqual({ url: '/e?x=1&q=a%20b&n=2', type: 'application/json', agent: 'squall-test/1', body: '{"a":[1,2]}' });
    expect(res.json('body')).toBe('{"a":[1,2]}');
    const raw = await http.put(`${srv.url}/e`, 'plain', { headers: { 'Content-Type': 'text/csv', 'User-Agent': 'mine' } });
    expect(raw.json('type')).toBe('text/csv');
    expect(raw.json('agent')).toBe('mine');
    expect(raw.json('body')).toBe('plain');
  });

  it('json() selects paths and throws a clear TypeError on invalid JSON', async () => {
    const srv = await serve((req, res) => res.end(req.url === '/ok' ? '{"items":[{"id":7},{"id":8}]}' : '<html>'));
    const { http } = client();
    const ok = await http.get(`${srv.url}/ok`);
    expect(ok.json('items.1.id')).toBe(8);
    expect(ok.json('items.#')).toBe(2);
    expect(ok.json('items.5.id')).toBeUndefined();
    const bad = await http.get(`${srv.url}/bad`);
    expect(() => bad.json()).toThrow(TypeError);
    expect(() => bad.json()).toThrow(/not valid JSON.*<html>/);
  });

  it('discards bodies when options.discardResponseBodies, unless responseType overrides; binary gives ArrayBuffer', async () => {
    const srv = await serve((_req, res) => res.end(Buffer.from([0, 1, 2, 250])));
    const discarding = client({ discardResponseBodies: true });
    const discarded = await discarding.http.get(srv.url);
    expect(discarded.body).toBeNull();
    expect(discarding.count('data_received')).toBeGreaterThan(4);
    const asText = await discarding.http.get(srv.url, { responseType: 'text' });
    expect(typeof asText.body).toBe('string');
    const { http } = client();
    const bin = await http.get(srv.url, { responseType: 'binary' });
    expect(bin.body).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(bin.body as ArrayBuffer)]).toEqual([0, 1, 2, 250]);
    expect((await http.get(srv.url, { responseType: 'none' })).body).toBeNull();
  });

  it('throws TypeError for programmer errors', async () => {
    const { http } = client();
    await expect(http.get(42 as unknown as string)).rejects.toThrow(/URL must be a string, but is number 42/);
    await expect(http.get('/relative')).rejects.toThrow(TypeError);
    await expect(http.get('ftp://x/')).rejects.toThrow(/only http/);
    await expect(http.request('FETCH', 'http://127.0.0.1:1/')).rejects.toThrow(/method must be one of/);
    await expect(http.post('http://127.0.0.1:1/', new Date() as unknown as string)).rejects.toThrow(/body must be/);
    await expect(http.get('http://127.0.0.1:1/', { timeout: 'soon' })).rejects.toThrow(/timeout must be/);
    await expect(http.get('http://127.0.0.1:1/', { responseType: 'blob' as 'text' })).rejects.toThrow(/responseType must be/);
    await expect(http.get('http://127.0.0.1:1/', { redirects: -1 })).rejects.toThrow(/redirects must be/);
    const srv = await serve((_req, res) => res.end());
    await expect(http.get(srv.url, { headers: { 'x-bad': 'a\r\nb' } })).rejects.toThrow(/http GET .*invalid .*header/i);
  });
});

describe('createHttpClient: timings and connections', () => {
  it('waiting covers the header delay and receiving the gap between body chunks', async () => {
    const srv = await serve((req, res) => {
      if (req.url === '/slow-headers') {
        setTimeout(() => res.end('x'), 200);
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first');
      setTimeout(() => res.end('second'), 200);
    });
    const { http } = client();
    const a = await http.get(`${srv.url}/slow-headers`);
    expect(a.timings.waiting).toBeGreaterThanOrEqual(150);
    expect(a.timings.duration).toBeCloseTo(a.timings.sending + a.timings.waiting + a.timings.receiving, 6);
    const b = await http.get(`${srv.url}/slow-body`);
    expect(b.body).toBe('firstsecond');
    expect(b.timings.receiving).toBeGreaterThanOrEqual(150);
    expect(b.timings.waiting).toBeLessThan(b.timings.receiving);
  });

  it('reuses one keep-alive connection; only its first request has connecting > 0', async () => {
    const srv = await serve((_req, res) => res.end('ok'));
    const { http, count } = client();
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await http.get(srv.url));
    expect(srv.sockets.length).toBe(1);
    expect(results[0]?.timings.connecting).toBeGreaterThan(0);
    for (const r of results.slice(1)) expect(r.timings.connecting).toBe(0);
    expect(count('http_reqs')).toBe(5);
    expect(count('http_req_connecting')).toBe(5);
  });

  it('opens a new connection per request with noConnectionReuse', async () => {
    const srv = await serve((_req, res) => res.end('ok'));
    const { http } = client({ noConnectionReuse: true });
    for (let i = 0; i < 3; i++) expect((await http.get(srv.url)).timings.connecting).toBeGreaterThan(0);
    expect(srv.sockets.length).toBe(3);
  });

  it('requests started together on open connections are all written (send batches), duration from the write', async () => {
    let served = 0;
    const srv = await serve((_req, res) => {
      served++;
      setTimeout(() => res.end('ok'), 40);
    });
    const { http } = client({}, { connectionsPerOrigin: 40 });
    // Open 40 connections, then start 40 requests in one turn: more than one batch of 16.
    await Promise.all(Array.from({ length: 40 }, () => http.get(srv.url)));
    served = 0;
    const all = await Promise.all(Array.from({ length: 40 }, () => http.get(srv.url)));
    expect(served).toBe(40);
    expect(all.every((r) => r.status === 200 && r.body === 'ok')).toBe(true);
    expect(all.every((r) => r.timings.connecting === 0)).toBe(true);
    for (const r of all) {
      // The server holds each response 40 ms; the batch wait is blocked time, not duration.
      expect(r.timings.waiting).toBeGreaterThanOrEqual(39);
      expect(r.timings.duration).toBeLessThan(40 + 200);
      expect(r.timings.blocked).toBeLessThan(100);
    }
  });

  it('connectionsPerOrigin bounds sockets; queued requests report blocked time', async () => {
    const srv = await serve((_req, res) => setTimeout(() => res.end('ok'), 100));
    const { http } = client({}, { connectionsPerOrigin: 2 });
    const all = await Promise.all(Array.from({ length: 10 }, () => http.get(srv.url)));
    expect(all.every((r) => r.status === 200)).toBe(true);
    expect(srv.maxOpenSockets()).toBeLessThanOrEqual(2);
    expect(srv.sockets.length).toBe(2);
    expect(all.filter((r) => r.timings.connecting > 0)).toHaveLength(2);
    // 10 requests over 2 connections of 100 ms each: 8 wait at least one full turn.
    expect(all.filter((r) => r.timings.blocked >= 80).length).toBeGreaterThanOrEqual(8);
  });

  it('http_req_latency adds blocked, connecting and the iteration start delay to duration', async () => {
    const srv = await serve((_req, res) => res.end('ok'));
    const late = { tags: { scenario: 'late' } as Tags, startDelayMs: 1000 };
    const { http, find } = client({}, { context: () => late });
    const res = await http.get(srv.url);
    const [latency] = find('http_req_latency');
    expect(latency?.agg.type).toBe('trend');
    if (latency?.agg.type !== 'trend') return;
    const t = res.timings;
    expect(latency.agg.min).toBeGreaterThanOrEqual(1000);
    expect(latency.agg.max).toBeCloseTo(1000 + t.blocked + t.connecting + t.tls_handshaking + t.duration, 1);
  });
});

describe('createHttpClient: failures are responses', () => {
  it('times out with error_code 1050 (params.timeout as a duration string)', async () => {
    const srv = await serve(() => undefined);
    const { http, find, failedRate } = client();
    const res = await http.get(srv.url, { timeout: '200ms' });
    expect(res.status).toBe(0);
    expect(res.error_code).toBe(1050);
    expect(res.error).toMatch(/timeout/);
    expect(res.timings.waiting).toBeGreaterThanOrEqual(150);
    expect(find('http_reqs', { error_code: '1050', status: '0', expected_response: 'false' })).toHaveLength(1);
    expect(failedRate()).toEqual({ passes: 1, total: 1 });
  });

  it('reports a refused connection as status 0 with k6 code 1212', async () => {
    const srv = await serve((_req, res) => res.end());
    const port = Number(new URL(srv.url).port);
    await cleanups.pop()?.();
    const { http, find } = client();
    const res = await http.get(`http://127.0.0.1:${port}/`);
    expect(res.status).toBe(0);
    expect(res.error_code).toBe(1212);
    expect(res.error).toMatch(/ECONNREFUSED/);
    expect(find('http_reqs', { error_code: '1212' })).toHaveLength(1);
  });

  it('times out a request still queued for a connection without spending that connection', async () => {
    const srv = await serve((req, res) => setTimeout(() => res.end('ok'), req.url === '/slow' ? 400 : 0));
    const { http } = client({}, { connectionsPerOrigin: 1 });
    const slow = http.get(`${srv.url}/slow`);
    const queued = await http.get(`${srv.url}/fast`, { timeout: 200 });
    expect(queued.status).toBe(0);
    expect(queued.error_code).toBe(1050);
    expect(queued.timings.blocked).toBeGreaterThanOrEqual(150);
    expect(queued.timings.duration).toBe(0);
    expect((await slow).status).toBe(200);
    expect((await http.get(`${srv.url}/fast`)).status).toBe(200);
    expect(srv.sockets).toHaveLength(1);
  });

  it('fails every queued request on a refused origin instead of leaving it waiting', async () => {
    const srv = await serve((_req, res) => res.end());
    const port = Number(new URL(srv.url).port);
    await cleanups.pop()?.();
    const { http, count } = client({}, { connectionsPerOrigin: 2 });
    const all = await Promise.all(Array.from({ length: 5 }, () => http.get(`http://127.0.0.1:${port}/`, { timeout: '5s' })));
    expect(all.map((r) => r.error_code)).toEqual([1212, 1212, 1212, 1212, 1212]);
    expect(count('http_reqs', { error_code: '1212' })).toBe(5);
  });

  it('reports a connection reset mid-response as 1220', async () => {
    const srv = await serve((req) => req.socket.resetAndDestroy());
    const { http } = client();
    const res = await http.get(srv.url);
    expect(res.status).toBe(0);
    expect([1220, 1200]).toContain(res.error_code);
  });

  it('judges expected statuses globally and per request; 4xx get error_code 1000+status', async () => {
    const srv = await serve((req, res) => {
      res.statusCode = req.url === '/missing' ? 404 : 200;
      res.end();
    });
    const { http, find, failedRate } = client({ expectedStatuses: [200] });
    const missing = await http.get(`${srv.url}/missing`);
    expect(missing.status).toBe(404);
    expect(missing.error_code).toBe(1404);
    expect(find('http_reqs', { status: '404', expected_response: 'false', error_code: '1404' })).toHaveLength(1);
    await http.get(`${srv.url}/missing`, { expectedStatuses: [{ min: 400, max: 404 }] });
    expect(find('http_reqs', { status: '404', expected_response: 'true' })).toHaveLength(1);
    expect(failedRate()).toEqual({ passes: 1, total: 2 });
  });
});

describe('createHttpClient: redirects', () => {
  it('follows redirects up to the maximum, each hop a sample', async () => {
    const srv = await serve((req, res, body) => {
      const hops: Record<string, [number, string]> = { '/a': [302, '/b'], '/b': [307, '/c'], '/p': [303, '/c'] };
      const hop = req.url === undefined ? undefined : hops[req.url];
      if (hop !== undefined) {
        res.writeHead(hop[0], { location: hop[1] });
        res.end();
        return;
      }
      res.end(`${req.method} ${body}`);
    });
    const { http, find } = client();
    const res = await http.get(`${srv.url}/a`);
    expect(res.status).toBe(200);
    expect(res.url).toBe(`${srv.url}/c`);
    expect(find('http_reqs').map((s) => s.tags.status).sort()).toEqual(['200', '302', '307']);
    expect(find('http_reqs', { url: `${srv.url}/b`, status: '307' })).toHaveLength(1);

    const posted = await http.post(`${srv.url}/p`, 'data');
    expect(posted.body).toBe('GET ');

    const { http: strict, count } = client();
    const stopped = await strict.get(`${srv.url}/a`, { redirects: 1 });
    expect(stopped.status).toBe(307);
    expect(count('http_reqs')).toBe(2);
    const none = await client({ maxRedirects: 0 }).http.get(`${srv.url}/a`);
    expect(none.status).toBe(302);
  });
});

describe('createHttpClient: tags and data', () => {
  it('tags samples with system, context, option and param tags; name replaces url', async () => {
    const srv = await serve((_req, res) => res.end('ok'));
    const { http, find, count } = client({ tags: { env: 'ci' } });
    await http.get(`${srv.url}/items/1`, { tags: { name: 'item', kind: 'read' } });
    await http.get(`${srv.url}/items/2`, { tags: { name: 'item', kind: 'read' } });
    const [series, ...rest] = find('http_req_duration');
    expect(rest).toHaveLength(0);
    expect(series?.tags).toEqual({
      env: 'ci',
      scenario: 'default',
      method: 'GET',
      status: '200',
      expected_response: 'true',
      proto: 'HTTP/1.1',
      kind: 'read',
      name: 'item',
      url: 'item',
    });
    expect(count('data_sent', { scenario: 'default' })).toBeGreaterThan(60);
    expect(count('data_received')).toBeGreaterThan(40);
    expect(find('data_sent')[0]?.tags).toEqual({ env: 'ci', scenario: 'default' });
  });
});

describe('createHttpClient: shared read buffer', () => {
  it('keeps every body and header intact while many connections read into one buffer', async () => {
    const srv = await serve((req, res) => {
      const n = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('n'));
      res.setHeader('x-n', String(n));
      const body = `${n}:`.repeat(1 + (n % 7) * 4000);
      // Every third response chunked, split across writes, so heads and bodies straddle reads.
      if (n % 3 === 0) {
        res.write(body.slice(0, 100));
        setTimeout(() => res.end(body.slice(100)), 1);
      } else res.end(body);
    });
    const { http } = client();
    const responses = await Promise.all(Array.from({ length: 60 }, (_, n) => http.get(`${srv.url}/?n=${n}`)));
    responses.forEach((res, n) => {
      expect(res.status).toBe(200);
      expect(res.headers['X-N']).toBe(String(n));
      expect(res.body).toBe(`${n}:`.repeat(1 + (n % 7) * 4000));
    });
  });

  it('counts data_received as the bytes of the status line, headers and body', async () => {
    const srv = await serve((_req, res) => {
      res.setHeader('content-length', '5');
      res.end('hello');
    });
    const { http, count } = client();
    const res = await http.get(srv.url);
    const head = `HTTP/1.1 200 OK\r\n${Object.entries(res.headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
    expect(count('data_received')).toBe(head.length + 5);
  });
});

describe('createHttpClient: batch', () => {
  it('runs requests in parallel and returns the same shape', async () => {
    const srv = await serve((req, res, body) => setTimeout(() => res.end(`${req.method} ${req.url} ${body}`), 150));
    const { http, count } = client();
    const list = await http.batch([`${srv.url}/a`, ['POST', `${srv.url}/b`, 'x'], { method: 'PUT', url: `${srv.url}/c`, body: 'y' }]);
    expect(list.map((r) => r.body)).toEqual(['GET /a ', 'POST /b x', 'PUT /c y']);
    expect(srv.maxInFlight()).toBe(3);
    const named = await http.batch({ one: `${srv.url}/1`, two: { url: `${srv.url}/2`, params: { tags: { name: 'two' } } } });
    expect(Object.keys(named)).toEqual(['one', 'two']);
    expect(named.two?.body).toBe('GET /2 ');
    expect(count('http_reqs', { name: 'two' })).toBe(1);
  });

  it('limits parallelism by options.batch and batchPerHost', async () => {
    const srv = await serve((_req, res) => setTimeout(() => res.end('ok'), 50));
    const { http } = client({ batch: 2 });
    await http.batch(Array.from({ length: 6 }, (_v, i) => `${srv.url}/${i}`));
    expect(srv.maxInFlight()).toBe(2);
    const other = await serve((_req, res) => setTimeout(() => res.end('ok'), 50));
    const perHost = client({ batch: 10, batchPerHost: 3 });
    const out = await perHost.http.batch(Array.from({ length: 7 }, (_v, i) => `${other.url}/${i}`));
    expect(out).toHaveLength(7);
    expect(other.maxInFlight()).toBe(3);
  });

  it('rejects malformed entries before sending anything', async () => {
    const srv = await serve((_req, res) => res.end('ok'));
    const { http } = client();
    await expect(http.batch([srv.url, 7 as unknown as string])).rejects.toThrow(/request 1 must be/);
    await sleep(20);
    expect(srv.sockets).toHaveLength(0);
  });
});

describe('createHttpClient: connections the server closes', () => {
  it('reconnects after the server closed an idle keep-alive connection, without failing the request', async () => {
    const srv = await serve((_req, res) => res.end('ok'));
    const { http, failedRate } = client();
    const first = await http.get(`${srv.url}/a`);
    // Close the idle connection from the server side, as a keep-alive timeout would.
    for (const s of srv.sockets) s.destroy();
    await sleep(50);
    const second = await http.get(`${srv.url}/b`);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.error).toBe('');
    expect(srv.sockets).toHaveLength(2);
    expect(second.timings.connecting).toBeGreaterThan(0);
    expect(failedRate()).toEqual({ passes: 0, total: 2 });
  });
});
