import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startActivity, type ActivityHandle } from '../src/index.js';
import { PARENT_NAME_HEADER, PARENT_TYPE_HEADER } from '../src/scope.js';
import { auditEvent, ndjson, tenantHeaders } from './helpers.js';

// chdb allows one data directory per process: each describe starts its target after the previous closed.
const BASE = Date.now() - 2 * 86400e3;
const A = tenantHeaders('Organization', 'org-a');
const B = tenantHeaders('Organization', 'org-b');

async function post(h: ActivityHandle, path: string, body: string): Promise<Response> {
  return fetch(h.url + path, { method: 'POST', body });
}
async function count(h: ActivityHandle, headers: Record<string, string>, query = ''): Promise<{ status: number; body: any }> {
  const r = await fetch(`${h.url}/v1/events/count?${query}`, { headers });
  return { status: r.status, body: await r.json() };
}
/** GET with raw header pairs (fetch would merge a repeated header). */
function rawGet(url: string, headers: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}
const q = (filter: string) => `filter=${encodeURIComponent(filter)}`;

describe('round trip on the embedded store', () => {
  let h: ActivityHandle;
  const orgA = Array.from({ length: 1200 }, (_, i) => auditEvent(i, 'org-a', BASE));
  const orgB = Array.from({ length: 700 }, (_, i) => auditEvent(i, 'org-b', BASE));

  beforeAll(async () => {
    h = await startActivity({ port: 0, batchSize: 500, flushIntervalMs: 20, platformToken: 'platform-secret-token', log: () => undefined });
    for (let i = 0; i < 3; i++) expect((await post(h, '/events/bulk', ndjson(orgA.slice(i * 400, (i + 1) * 400)))).status).toBe(202);
    for (let i = 0; i < 7; i++) expect((await post(h, '/webhook', JSON.stringify(orgB.slice(i * 100, (i + 1) * 100)))).status).toBe(202);
    expect((await post(h, '/webhook', JSON.stringify(auditEvent(0, 'org-c', BASE)))).status).toBe(202);
    const other = await post(h, '/events/bulk', ndjson([auditEvent(9000, 'org-a', BASE, { stage: 'RequestReceived' }), auditEvent(9001, 'org-a', BASE, { stage: 'ResponseStarted' })]));
    expect(await other.json()).toEqual({ accepted: 2, filtered: 2 });
    // Events with no scope annotations belong to the platform only.
    expect((await post(h, '/webhook', JSON.stringify([0, 1, 2].map((i) => auditEvent(i, 'plat', BASE, { annotations: {} }))))).status).toBe(202);
    // A client retry of a whole request: stored once.
    expect((await post(h, '/events/bulk', ndjson(orgA.slice(0, 400)))).status).toBe(202);
    expect(await h.waitIdle(30_000)).toBe(true);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('counts every tenant exactly, and the platform sees all', async () => {
    expect((await count(h, A)).body).toEqual({ count: 1200 });
    expect((await count(h, B)).body).toEqual({ count: 700 });
    expect((await count(h, tenantHeaders('organization', 'org-c'))).body).toEqual({ count: 1 });
    expect((await count(h, { authorization: 'Bearer platform-secret-token' })).body).toEqual({ count: 1904 });
  });

  it('lists newest first and pages through every event exactly once', async () => {
    const seen: string[] = [];
    let token: string | null = null;
    let prevTs = Infinity;
    do {
      const r: Response = await fetch(`${h.url}/v1/events?limit=137${token ? `&continue=${token}` : ''}`, { headers: B });
      expect(r.status).toBe(200);
      const page = (await r.json()) as { items: Array<{ auditID: string; requestReceivedTimestamp: string }>; continue: string | null };
      for (const e of page.items) {
        const ts = Date.parse(e.requestReceivedTimestamp.replace(/\.\d+Z$/, 'Z'));
        expect(ts).toBeLessThanOrEqual(prevTs);
        prevTs = ts;
        seen.push(e.auditID);
      }
      token = page.continue;
    } while (token);
    expect(seen).toHaveLength(700);
    expect(new Set(seen).size).toBe(700);
    expect(seen.every((id) => id.startsWith('org-b-'))).toBe(true);
  });

  it('filters within the tenant and answers 400 with the position of a bad filter', async () => {
    expect((await count(h, A, q("verb == 'get'"))).body).toEqual({ count: 240 });
    expect((await count(h, A, q("objectRef.resource == 'secrets' && verb in ['get', 'list']"))).body).toEqual({ count: 120 });
    expect((await count(h, A, q('responseStatus.code >= 400'))).body).toEqual({ count: 120 });
    expect((await count(h, A, q("user.username.startsWith('system:serviceaccount:default:app-1') && !(objectRef.namespace == 'ns-0')"))).body.count).toBeGreaterThan(0);
    const bad = await count(h, A, q("verb == 'get' &&& verb == 'list'"));
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'ACTIVITY_BAD_REQUEST', parameter: 'filter', position: 16 });
  });

  it('never shows a tenant another tenant’s events, whatever the filter or headers', async () => {
    for (const filter of [
      "auditID.startsWith('org-b')",
      "auditID == 'org-b-1' || verb != 'nothing'",
      "verb == 'x' || 1 == 1",
      "verb == '' OR scope_name = 'org-b'",
      "verb == 'a') OR (scope_name == 'org-b'",
      "objectRef.name == 'x\\') OR 1=1 --'",
    ]) {
      const r = await count(h, A, q(filter));
      expect([200, 400]).toContain(r.status);
      if (r.status === 200) expect(r.body.count).toBeLessThanOrEqual(1200);
      const list = await fetch(`${h.url}/v1/events?limit=1000&${q(filter)}`, { headers: A });
      if (list.status === 200) for (const e of ((await list.json()) as { items: Array<{ auditID: string }> }).items) expect(e.auditID).toMatch(/^org-a-/);
    }
    expect((await count(h, A, q("auditID.startsWith('org-b')"))).body).toEqual({ count: 0 });
    expect((await count(h, tenantHeaders('Organization', "org-a' OR 1=1 --"))).body).toEqual({ count: 0 });
    expect((await count(h, tenantHeaders('Organization', 'ORG-A'))).body).toEqual({ count: 0 });
    // Tenant headers narrow even a platform token.
    expect((await count(h, { ...A, authorization: 'Bearer platform-secret-token' })).body).toEqual({ count: 1200 });
    // A cursor is bound to its scope.
    const page = (await (await fetch(`${h.url}/v1/events?limit=5`, { headers: A })).json()) as { continue: string };
    const stolen = await fetch(`${h.url}/v1/events?limit=5&continue=${page.continue}`, { headers: B });
    expect(stolen.status).toBe(400);
  });

  it('answers 403 without a valid scope', async () => {
    expect((await count(h, {})).status).toBe(403);
    expect((await count(h, { authorization: 'Bearer wrong-token-value' })).status).toBe(403);
    expect((await count(h, { [PARENT_TYPE_HEADER]: 'Organization' })).status).toBe(403);
    expect((await count(h, { [PARENT_TYPE_HEADER]: 'Organization', [PARENT_NAME_HEADER]: '' })).status).toBe(403);
    const repeated = ['host', '127.0.0.1', PARENT_TYPE_HEADER, 'Organization', PARENT_NAME_HEADER, 'org-a', PARENT_NAME_HEADER, 'org-b'];
    expect(await rawGet(`${h.url}/v1/events/count`, repeated)).toBe(403);
  });

  it('validates parameters and ingest bodies', async () => {
    expect((await count(h, A, 'limit=0')).status).toBe(400);
    for (const query of ['limit=1001', 'start=yesterday', 'start=now-1d&end=now-2d', 'continue=garbage']) {
      const r = await fetch(`${h.url}/v1/events?${query}`, { headers: A });
      expect([query, r.status]).toEqual([query, 400]);
    }
    const bad = await post(h, '/events/bulk', ndjson([auditEvent(1, 'org-z', BASE), { auditID: 'q', stage: 'ResponseComplete', verb: 'get' }, 'x']));
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: { problems: Array<{ line: number; field: string }> } };
    expect(body.error.problems.map((p) => [p.line, p.field])).toEqual([
      [2, 'requestReceivedTimestamp'],
      [3, '(event)'],
    ]);
    expect((await count(h, tenantHeaders('Organization', 'org-z'))).body).toEqual({ count: 0 });
    expect((await fetch(`${h.url}/webhook`)).status).toBe(405);
    expect((await fetch(`${h.url}/nope`)).status).toBe(404);
  });

  it('serves /metrics, /healthz and /readyz', async () => {
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${h.url}/readyz`)).status).toBe(200);
    const text = await (await fetch(`${h.url}/metrics`)).text();
    expect(text).toMatch(/activity_events_accepted_total\{endpoint="bulk"\} 1602/);
    expect(text).toMatch(/activity_events_filtered_total 2/);
    expect(text).toMatch(/activity_queue_depth_events 0/);
    expect(text).toMatch(/activity_ingest_to_stored_seconds_count \d+/);
    expect(text).toMatch(/activity_queries_total\{scope="denied"/);
    expect(text).toMatch(/activity_process_cpu_seconds_total/);
  });
});

describe('back-pressure and faults, with known counts', () => {
  let h: ActivityHandle;
  afterAll(async () => {
    await h?.close();
  });

  it('answers 429 with Retry-After when the queue is full, and never drops silently', async () => {
    h = await startActivity({ port: 0, queueCapacity: 100, faults: ['slow-insert=1500ms', 'drop=7', 'error=0.5'], batchSize: 1000, flushIntervalMs: 10, platformToken: 'platform-secret-token', log: () => undefined });
    const statuses: number[] = [];
    let accepted = 0;
    for (let i = 0; i < 8; i++) {
      const r = await post(h, '/events/bulk', ndjson(Array.from({ length: 40 }, (_, j) => auditEvent(i * 40 + j, 'org-f', BASE))));
      statuses.push(r.status);
      if (r.status === 202) accepted += 40;
      if (r.status === 429) expect(r.headers.get('retry-after')).toBe('1');
    }
    // error=0.5 fails exactly every second request; the rest fill the queue of 100 until it is full.
    expect(statuses.filter((s) => s === 500)).toHaveLength(4);
    expect(statuses).toContain(429);
    expect(await h.waitIdle(30_000)).toBe(true);
    const stored = await count(h, { authorization: 'Bearer platform-secret-token' });
    // drop=7: exactly 7 acknowledged events are not stored.
    expect(stored.body.count).toBe(accepted - 7);
    expect(await h.metricsText()).toMatch(/activity_fault_events_dropped_total 7/);
  });
});
