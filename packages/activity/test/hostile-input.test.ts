import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDITLOGQUERIES_PATH } from '../src/auditlogquery.js';
import { startActivity, type ActivityHandle } from '../src/index.js';
import { auditEvent, ndjson, tenantHeaders } from './helpers.js';

// Hostile input to the activity target (issue 17 item 15): times ClickHouse cannot hold, JSON
// nested millions deep, a body trickled byte by byte, and a store that fails with its own text.
const BASE = Date.now() - 3600e3;
const A = tenantHeaders('Organization', 'org-a');
/** What must never reach a client: ClickHouse's exception text, a JS stack, V8's overflow message. */
const INTERNAL = /DB::Exception|Code: \d+|call stack|\n\s+at |node_modules|SECRET/;

const deep = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const auditQuery = (spec: Record<string, unknown>) => JSON.stringify({ apiVersion: 'activity.miloapis.com/v1alpha1', kind: 'AuditLogQuery', metadata: { name: 'q' }, spec });

async function answer(r: Response): Promise<{ status: number; text: string }> {
  return { status: r.status, text: await r.text() };
}

describe('bad times and deep JSON are 400 with a clear message', () => {
  let h: ActivityHandle;
  const logs: string[] = [];
  beforeAll(async () => {
    h = await startActivity({ port: 0, flushIntervalMs: 20, platformToken: 'platform-secret-token', log: (l) => logs.push(l) });
    expect((await fetch(`${h.url}/events/bulk`, { method: 'POST', body: ndjson([auditEvent(1, 'org-a', BASE), auditEvent(2, 'org-a', BASE)]) })).status).toBe(202);
    expect(await h.waitIdle(30_000)).toBe(true);
  });
  afterAll(async () => {
    await h?.close();
  });

  it.each([
    ['start=now-99999999d', 'start'],
    ['start=now-9999999999999999999999d', 'start'],
    ['start=0001-01-01T00:00:00Z', 'start'],
    ['start=1899-12-31T23:59:59Z', 'start'],
    [`end=${encodeURIComponent('now+99999999d')}`, 'end'],
    [`filter=${encodeURIComponent("requestReceivedTimestamp > timestamp('0001-01-01T00:00:00Z')")}`, 'filter'],
  ])('GET /v1/events[/count]?%s: 400 naming %s, no store text', async (query, parameter) => {
    for (const path of ['/v1/events/count', '/v1/events']) {
      const r = await answer(await fetch(`${h.url}${path}?${query}`, { headers: A }));
      expect([path, r.status]).toEqual([path, 400]);
      expect(JSON.parse(r.text)).toMatchObject({ error: { code: 'ACTIVITY_BAD_REQUEST', parameter } });
      expect(r.text).toMatch(/1900-01-01T00:00:00Z/);
      expect(r.text).not.toMatch(INTERNAL);
    }
  });

  it('AuditLogQuery with a one-day window 274,000 years ago: 422 naming the field, not the store', async () => {
    const r = await answer(await fetch(h.url + AUDITLOGQUERIES_PATH, { method: 'POST', headers: A, body: auditQuery({ startTime: 'now-99999999d', endTime: 'now-99999998d' }) }));
    expect(r.status).toBe(422);
    expect(JSON.parse(r.text)).toMatchObject({ kind: 'Status', reason: 'Invalid', details: { causes: [{ field: 'spec.startTime' }, { field: 'spec.endTime' }] } });
    expect(r.text).toMatch(/time out of range: now-99999999d/);
    expect(r.text).not.toMatch(INTERNAL);
  });

  it('an event timestamped in year 1 is refused at ingest (400), not left to fail every insert', async () => {
    const r = await answer(await fetch(`${h.url}/events/bulk`, { method: 'POST', body: ndjson([auditEvent(3, 'org-a', BASE, { requestReceivedTimestamp: '0001-01-01T00:00:00Z' })]) }));
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/requestReceivedTimestamp.*1900-01-01/);
  });

  it.each([
    ['/webhook', deep(2_000_000)],
    ['/events/bulk', `${JSON.stringify(auditEvent(4, 'org-a', BASE))}\n${deep(2_000_000)}\n`],
    ['/webhook', JSON.stringify([auditEvent(5, 'org-a', BASE, { requestObject: JSON.parse(deep(600)) })])],
  ])('POST %s with JSON nested too deep: 400, nothing accepted', async (path, body) => {
    const r = await answer(await fetch(h.url + path, { method: 'POST', body }));
    expect(r.status).toBe(400);
    expect(JSON.parse(r.text)).toMatchObject({ error: { code: 'ACTIVITY_BAD_REQUEST', problems: [{ field: '(json)', message: expect.stringMatching(/nested deeper than 512 levels/) }] } });
    expect(r.text).not.toMatch(INTERNAL);
  });

  it('an AuditLogQuery nested 150,000 deep (0.9 MB): 400 Status', async () => {
    const r = await answer(await fetch(h.url + AUDITLOGQUERIES_PATH, { method: 'POST', headers: A, body: `{"metadata":${'{"a":'.repeat(150_000)}1${'}'.repeat(150_000)}}` }));
    expect(r.status).toBe(400);
    expect(JSON.parse(r.text)).toMatchObject({ kind: 'Status', code: 400, message: expect.stringMatching(/nested deeper than 512 levels/) });
    expect(r.text).not.toMatch(INTERNAL);
  });

  it('still answers afterwards, and stored nothing of the refused requests', async () => {
    const r = await fetch(`${h.url}/v1/events/count?start=now-1d`, { headers: A });
    expect(await r.json()).toEqual({ count: 2 });
    expect(logs.join('\n')).not.toMatch(/call stack/);
  });
});

describe('a store that fails with its own text: 500 with a generic message, details in the log', () => {
  let clickhouse: Server;
  let h: ActivityHandle;
  const logs: string[] = [];
  beforeAll(async () => {
    // Answers the table DDL, then fails every query the way a ClickHouse server does.
    clickhouse = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => {
        const query = (new URL(req.url ?? '/', 'http://x').searchParams.get('query') ?? '') + body;
        if (query.trimStart().startsWith('CREATE')) return void res.writeHead(200).end();
        res.writeHead(500, { 'x-clickhouse-exception-code': '62' }).end('Code: 62. DB::Exception: Syntax error near SECRET_TABLE_internal (version 24.1). (SYNTAX_ERROR)\n');
      });
    });
    await new Promise<void>((r) => clickhouse.listen(0, '127.0.0.1', r));
    const port = (clickhouse.address() as AddressInfo).port;
    h = await startActivity({ port: 0, store: `http://127.0.0.1:${port}`, platformToken: 'platform-secret-token', log: (l) => logs.push(l) });
  });
  afterAll(async () => {
    await h?.close();
    await new Promise<void>((r) => clickhouse.close(() => r()));
  });

  it('GET /v1/events/count and /v1/events: 500 ACTIVITY_INTERNAL without the exception; AuditLogQuery: 503', async () => {
    for (const path of ['/v1/events/count', '/v1/events']) {
      const r = await answer(await fetch(h.url + path, { headers: A }));
      expect([path, r.status]).toEqual([path, 500]);
      expect(JSON.parse(r.text)).toEqual({ error: { code: 'ACTIVITY_INTERNAL', message: 'internal error; the target logged the details' } });
    }
    const q = await answer(await fetch(h.url + AUDITLOGQUERIES_PATH, { method: 'POST', headers: A, body: auditQuery({ startTime: 'now-1d', endTime: 'now' }) }));
    expect(q.status).toBe(503);
    expect(q.text).not.toMatch(INTERNAL);
    expect(logs.filter((l) => l.includes('SECRET_TABLE_internal')).length).toBeGreaterThanOrEqual(3);
  });
});

describe('a trickled request body', () => {
  let h: ActivityHandle;
  beforeAll(async () => {
    h = await startActivity({ port: 0, requestTimeoutMs: 600, log: () => undefined });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('gets 408 and the connection closed once the request timeout passes (a few bytes at a time, never complete)', async () => {
    const { port } = new URL(h.url);
    const socket = connect(Number(port), '127.0.0.1');
    let received = '';
    let written = 0;
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (received += d));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.on('error', () => undefined);
    await new Promise<void>((r) => socket.once('connect', () => r()));
    socket.write('POST /events/bulk HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-ndjson\r\nContent-Length: 100000\r\n\r\n');
    const body = ndjson([auditEvent(1, 'org-a', BASE)]);
    const trickle = setInterval(() => {
      if (socket.destroyed) return;
      socket.write(body.slice(written % body.length, (written % body.length) + 3));
      written += 3;
    }, 50);
    await closed;
    clearInterval(trickle);
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
    expect(written).toBeLessThan(100_000);
    // The target still serves other clients.
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
  });

  it('the timeout is an option, validated', async () => {
    await expect(startActivity({ port: 0, requestTimeoutMs: 5, log: () => undefined })).rejects.toMatchObject({ code: 'ACTIVITY_CONFIG_INVALID', message: expect.stringContaining('requestTimeoutMs must be an integer from 100') });
  });
});
