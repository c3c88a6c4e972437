import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityLookup } from './activity-lookup.js';

// A stand-in for the activity query API: answers every auditID named in the filter, and records
// each filter's length and the Authorization header.
const filterLengths: number[] = [];
const auths: string[] = [];
let url = '';
const server = createServer((req, res) => {
  const params = new URL(req.url ?? '/', 'http://x').searchParams;
  const filter = params.get('filter') ?? '';
  filterLengths.push(filter.length);
  auths.push(String(req.headers.authorization));
  const ids = [...filter.matchAll(/'([^']+)'/g)].map((m) => m[1]);
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ items: ids.map((auditID) => ({ auditID })), continue: null }));
});
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('activityLookup', () => {
  it('splits many ids into filters under the API limit and finds them all', async () => {
    const ids = Array.from({ length: 300 }, (_, i) => `0f3c2a1e-${String(i).padStart(4, '0')}-4a5b-9c8d-0123456789ab`);
    const found = await activityLookup({ url, token: 'secret-token' })(ids);
    expect(found.size).toBe(300);
    expect([...found.values()].every((n) => n === 1)).toBe(true);
    expect(filterLengths.length).toBeGreaterThan(1);
    expect(Math.max(...filterLengths)).toBeLessThanOrEqual(4096);
    expect(new Set(auths)).toEqual(new Set(['Bearer secret-token']));
  });
});
