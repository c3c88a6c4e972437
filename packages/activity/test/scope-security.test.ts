import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDITLOGQUERIES_PATH } from '../src/auditlogquery.js';
import { startActivity, type ActivityHandle } from '../src/index.js';
import { PARENT_NAME_HEADER, PARENT_TYPE_HEADER } from '../src/scope.js';
import { auditEvent, ndjson } from './helpers.js';

// Tenant headers that must not reach platform data (issue 17 item 1), on both query APIs, against a
// real target on the embedded store with two tenants and platform-only events seeded.
const BASE = Date.now() - 3600e3;
const TOKEN = 'platform-secret-token';
const NBSP = '\u00a0';
/** A header value whose bytes are `text` encoded as UTF-8 (node:http writes header strings as latin1). */
const utf8 = (text: string) => Buffer.from(text, 'utf8').toString('latin1');

interface Answer {
  readonly status: number;
  readonly text: string;
}

/** One request with the header values as given, byte for byte (node:http, not fetch, which would normalise them). */
function send(h: ActivityHandle, method: 'GET' | 'POST', path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(h.url + path, { method, headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    // A Buffer body: with a string body node:http writes the head in the body's encoding (UTF-8), not latin1.
    req.end(body === undefined ? undefined : Buffer.from(body));
  });
}

const scope = (type: string, name: string) => ({ [PARENT_TYPE_HEADER]: type, [PARENT_NAME_HEADER]: name });
const auditQuery = JSON.stringify({ apiVersion: 'activity.miloapis.com/v1alpha1', kind: 'AuditLogQuery', metadata: { name: 'q' }, spec: { startTime: 'now-1d', endTime: 'now', limit: 1000 } });

/** The three query endpoints, each returning its status and the auditIDs it revealed. */
const ENDPOINTS = {
  count: async (h: ActivityHandle, headers: Record<string, string>) => {
    const r = await send(h, 'GET', '/v1/events/count?start=now-1d', headers);
    return { ...r, ids: [] as string[], count: r.status === 200 ? (JSON.parse(r.text) as { count: number }).count : undefined };
  },
  list: async (h: ActivityHandle, headers: Record<string, string>) => {
    const r = await send(h, 'GET', '/v1/events?start=now-1d&limit=1000', headers);
    const ids = r.status === 200 ? (JSON.parse(r.text) as { items: { auditID: string }[] }).items.map((e) => e.auditID) : [];
    return { ...r, ids, count: r.status === 200 ? ids.length : undefined };
  },
  auditlogquery: async (h: ActivityHandle, headers: Record<string, string>) => {
    const r = await send(h, 'POST', AUDITLOGQUERIES_PATH, headers, auditQuery);
    const ids = r.status === 201 ? (JSON.parse(r.text) as { status: { results: { auditID: string }[] } }).status.results.map((e) => e.auditID) : [];
    return { ...r, ids, count: r.status === 201 ? ids.length : undefined };
  },
} as const;

describe('tenant scope headers cannot reach platform data', () => {
  let h: ActivityHandle;
  beforeAll(async () => {
    h = await startActivity({ port: 0, flushIntervalMs: 20, platformToken: TOKEN, log: () => undefined });
    const events = [
      ...Array.from({ length: 5 }, (_, i) => auditEvent(i, 'org-a', BASE)),
      ...Array.from({ length: 3 }, (_, i) => auditEvent(i, 'org-b', BASE)),
      // Platform-only: no scope annotations.
      ...Array.from({ length: 2 }, (_, i) => auditEvent(i, 'plat', BASE, { annotations: {} })),
    ];
    const r = await fetch(`${h.url}/events/bulk`, { method: 'POST', body: ndjson(events) });
    expect(r.status).toBe(202);
    expect(await h.waitIdle(30_000)).toBe(true);
  });
  afterAll(async () => {
    await h?.close();
  });

  // [case, headers, expected status]: every denied case must reveal nothing, on every API.
  const denied: [string, Record<string, string>][] = [
    ['type platform, name of NBSPs (latin1 bytes A0)', scope('platform', NBSP.repeat(3))],
    ['type PLATFORM, name of NBSPs (UTF-8 bytes C2 A0)', scope('PLATFORM', utf8(NBSP.repeat(2)))],
    ['type pLaTfOrM, a real tenant name', scope('pLaTfOrM', 'org-a')],
    ['type platform, name plat', scope('platform', 'plat')],
    ['type platform with NBSPs beside the platform token', { ...scope('platform', NBSP), authorization: `Bearer ${TOKEN}` }],
    ['a name of only an ideographic space (UTF-8)', scope('Organization', utf8('\u3000'))],
    ['a name with a leading NBSP', scope('Organization', `${NBSP}org-a`)],
    ['a name with a trailing NBSP (UTF-8)', scope('Organization', utf8(`org-a${NBSP}`))],
    ['a name with a trailing BOM (UTF-8)', scope('Organization', utf8('org-a\ufeff'))],
    ['a type of only NBSPs', scope(NBSP, 'org-a')],
    ['a name that is not UTF-8 (lone byte E9)', scope('Organization', 'org-\u00e9')],
    ['an empty name', scope('Organization', '')],
    ['no headers, no token', {}],
    ['a wrong token', { authorization: 'Bearer not-the-token' }],
  ];
  describe.each(Object.keys(ENDPOINTS) as (keyof typeof ENDPOINTS)[])('%s', (endpoint) => {
    it.each(denied)('%s: 403, no event revealed', async (_case, headers) => {
      const r = await ENDPOINTS[endpoint](h, headers);
      expect(r.status).toBe(403);
      expect(r.text).not.toMatch(/auditID|org-a-|plat-/);
    });

    it('a tenant sees exactly its events; ASCII spaces around a name are HTTP whitespace (stripped by the parser) and match that tenant only', async () => {
      const a = await ENDPOINTS[endpoint](h, scope('Organization', 'org-a'));
      expect(a.count).toBe(5);
      const spaced = await ENDPOINTS[endpoint](h, scope(' organization\t', '  org-b '));
      expect(spaced.count).toBe(3);
      if (endpoint !== 'count') expect(spaced.ids.every((id) => id.startsWith('org-b-'))).toBe(true);
      const unknown = await ENDPOINTS[endpoint](h, scope('Organization', 'org'));
      expect(unknown.count).toBe(0);
    });

    it('the platform token sees all events, platform-only included', async () => {
      const r = await ENDPOINTS[endpoint](h, { authorization: `Bearer ${TOKEN}` });
      expect(r.count).toBe(10);
      if (endpoint !== 'count') expect(r.ids.filter((id) => id.startsWith('plat-'))).toHaveLength(2);
    });
  });
});
