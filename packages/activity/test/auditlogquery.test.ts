import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../src/cursor.js';
import { startActivity, type ActivityHandle } from '../src/index.js';
import { generateAudit, referenceMatch, tenantOf, type GenEvent } from './audit-data.js';
import { ndjson, tenantHeaders } from './helpers.js';

const PATH = '/apis/activity.miloapis.com/v1alpha1/auditlogqueries';
const TOKEN = 'platform-secret-token';
const NOW = Date.now();
const FROM = NOW - 2 * 86400e3;
const TO = NOW - 3600e3;
const TENANTS = ['control-plane-1', 'control-plane-2', 'control-plane-3'];
const EVENTS = generateAudit(3000, TENANTS.length, FROM, TO, 'auditlogquery');
const PLATFORM = { authorization: `Bearer ${TOKEN}` };
const tenant = (name: string) => tenantHeaders('Tenant', name);

interface Page {
  status: number;
  body: any;
}

async function query(h: ActivityHandle, headers: Record<string, string>, spec: Record<string, unknown>, raw?: string): Promise<Page> {
  const body = raw ?? JSON.stringify({ apiVersion: 'activity.miloapis.com/v1alpha1', kind: 'AuditLogQuery', metadata: { name: 'q' }, spec });
  const r = await fetch(h.url + PATH, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: r.status, body: await r.json() };
}

/** Every page of a query; fails on a non-201 answer. */
async function all(h: ActivityHandle, headers: Record<string, string>, spec: Record<string, unknown>): Promise<any[]> {
  const out: any[] = [];
  let token: string | undefined;
  for (let pages = 0; pages < 1000; pages++) {
    const r = await query(h, headers, token ? { ...spec, continue: token } : spec);
    expect([spec.filter, r.status, r.body.message]).toEqual([spec.filter, 201, undefined]);
    out.push(...(r.body.status.results ?? []));
    token = r.body.status.continue;
    if (!token) return out;
  }
  throw new Error('more than 1000 pages');
}

/** What the reference selects, newest first (ts, then auditID, descending), as auditIDs. */
function expected(filter: string, scope: string | undefined): string[] {
  const sel = EVENTS.filter((e) => (scope === undefined || tenantOf(e) === scope) && referenceMatch(filter, e));
  const key = (e: GenEvent) => e.requestReceivedTimestamp;
  return sel.sort((a, b) => (key(a) === key(b) ? (a.auditID < b.auditID ? 1 : -1) : key(a) < key(b) ? 1 : -1)).map((e) => e.auditID);
}

// Values present in the data, so generated filters select something.
const pick = <T>(f: (e: GenEvent) => T | undefined) => [...new Set(EVENTS.map(f).filter((v): v is T => v !== undefined && v !== ''))].slice(0, 6);
const VOCAB = {
  verb: pick((e) => e.verb),
  'objectRef.resource': pick((e) => e.objectRef.resource),
  'objectRef.namespace': pick((e) => e.objectRef.namespace),
  'objectRef.apiGroup': [...pick((e) => e.objectRef.apiGroup), ''],
  'objectRef.name': pick((e) => e.objectRef.name),
  'user.username': pick((e) => e.user.username),
  'user.uid': pick((e) => e.user.uid),
};
const CODES = [200, 201, 400, 403, 404, 409, 500];
const q = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** Generated CEL filters over every field, operator and function the API documents. */
function filterArb(): fc.Arbitrary<string> {
  const strField = fc.constantFrom(...(Object.keys(VOCAB) as (keyof typeof VOCAB)[]));
  const cmp = strField.chain((f) =>
    fc.oneof(
      fc.tuple(fc.constantFrom('==', '!='), fc.constantFrom(...VOCAB[f])).map(([op, v]) => `${f} ${op} ${q(v)}`),
      fc.subarray(VOCAB[f], { minLength: 1, maxLength: 3 }).map((vs) => `${f} in [${vs.map(q).join(', ')}]`),
      fc.tuple(fc.constantFrom('startsWith', 'endsWith', 'contains'), fc.constantFrom(...VOCAB[f])).map(([m, v]) => `${f}.${m}(${q(v.slice(0, 1 + (v.length >> 1)))})`),
    ),
  );
  const code = fc.tuple(fc.constantFrom('==', '!=', '<', '<=', '>', '>='), fc.constantFrom(...CODES)).map(([op, v]) => `responseStatus.code ${op} ${v}`);
  const time = fc
    .tuple(fc.constantFrom('requestReceivedTimestamp', 'stageTimestamp'), fc.constantFrom('<', '>='), fc.integer({ min: FROM, max: TO }))
    .map(([f, op, ms]) => `${f} ${op} timestamp('${new Date(ms).toISOString()}')`);
  const atom = fc.oneof({ weight: 4, arbitrary: cmp }, { weight: 1, arbitrary: code }, { weight: 1, arbitrary: time });
  const { expr } = fc.letrec<{ expr: string }>((tie) => ({
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      atom,
      fc.tuple(tie('expr'), fc.constantFrom('&&', '||'), tie('expr')).map(([a, op, b]) => `(${a} ${op} ${b})`),
      tie('expr').map((a) => `!(${a})`),
    ),
  }));
  return expr;
}

let h: ActivityHandle;
beforeAll(async () => {
  h = await startActivity({ port: 0, batchSize: 1000, flushIntervalMs: 20, platformToken: TOKEN, log: () => undefined });
  for (let i = 0; i < EVENTS.length; i += 1000) expect((await fetch(`${h.url}/events/bulk`, { method: 'POST', body: ndjson(EVENTS.slice(i, i + 1000)) })).status).toBe(202);
  expect(await h.waitIdle(30_000)).toBe(true);
});
afterAll(async () => {
  await h?.close();
});

const WINDOW = { startTime: 'now-3d', endTime: 'now' };

describe('POST auditlogqueries: results', () => {
  it('answers 201 with the object, audit.k8s.io/v1 Events and the effective window', async () => {
    const r = await query(h, tenant('control-plane-1'), { ...WINDOW, limit: 5 });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ apiVersion: 'activity.miloapis.com/v1alpha1', kind: 'AuditLogQuery', metadata: { name: 'q' }, spec: { ...WINDOW, limit: 5 } });
    expect(r.body.status.results).toHaveLength(5);
    expect(r.body.status.results[0]).toMatchObject({ kind: 'Event', apiVersion: 'audit.k8s.io/v1', stage: 'ResponseComplete' });
    expect(typeof r.body.status.continue).toBe('string');
    const { effectiveStartTime: s, effectiveEndTime: e } = r.body.status;
    expect(s).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Date.parse(e) - Date.parse(s)).toBe(3 * 86400e3);
    // limit 0 or absent means 100.
    expect((await query(h, tenant('control-plane-1'), WINDOW)).body.status.results).toHaveLength(100);
  });

  it.each([
    "verb == 'delete'",
    "objectRef.namespace == 'production'",
    "verb in ['create', 'update', 'delete', 'patch']",
    "!(verb in ['get', 'list', 'watch'])",
    'responseStatus.code >= 400',
    "user.username.startsWith('system:serviceaccount:')",
    "!user.username.startsWith('system:')",
    "user.uid == '550e8400-e29b-41d4-a716-446655440000'",
    `user.uid == ${q(VOCAB['user.uid'][0] as string)}`,
    "objectRef.resource == 'secrets'",
    "verb == 'delete' && objectRef.namespace == 'production'",
    "objectRef.apiGroup == 'apps' && objectRef.resource == 'deployments' && verb in ['update', 'patch']",
    "objectRef.resource == 'secrets' && verb in ['get', 'list']",
  ])('the documented pattern %s selects exactly what the reference selects', async (filter) => {
    for (const [headers, scope] of [[tenant('control-plane-2'), 'control-plane-2'], [PLATFORM, undefined]] as const) {
      const got = (await all(h, headers, { ...WINDOW, filter, limit: 1000 })).map((e) => e.auditID);
      expect(got).toEqual(expected(filter, scope));
    }
  });

  it('generated filters select exactly what an in-memory CEL evaluation selects (property)', async () => {
    let nonEmpty = 0;
    await fc.assert(
      fc.asyncProperty(filterArb(), fc.constantFrom(...TENANTS), async (filter, t) => {
        const r = await query(h, tenant(t), { ...WINDOW, filter, limit: 1000 });
        expect([filter, r.status, r.body.message]).toEqual([filter, 201, undefined]);
        const want = expected(filter, t);
        if (want.length > 0) nonEmpty++;
        expect((r.body.status.results ?? []).map((e: GenEvent) => e.auditID)).toEqual(want.slice(0, 1000));
        expect(r.body.status.continue === undefined).toBe(want.length <= 1000);
      }),
      { numRuns: 60, seed: 14 },
    );
    // Not vacuous: most generated filters select some events.
    expect(nonEmpty).toBeGreaterThan(30);
  });

  it('pages with continue return every event exactly once, newest first', async () => {
    const got = await all(h, tenant('control-plane-3'), { ...WINDOW, limit: 37 });
    expect(got.length).toBeGreaterThan(900);
    expect(got.map((e) => e.auditID)).toEqual(expected('', 'control-plane-3'));
    expect(new Set(got.map((e) => e.auditID)).size).toBe(got.length);
    // The older spelling continueAfter pages the same way.
    const first = await query(h, PLATFORM, { ...WINDOW, limit: 1000 });
    const second = await query(h, PLATFORM, { ...WINDOW, limit: 1000, continueAfter: first.body.status.continue });
    expect(second.status).toBe(201);
    expect(second.body.status.results.map((e: GenEvent) => e.auditID)).toEqual(expected('', undefined).slice(1000, 2000));
  });
});

describe('POST auditlogqueries: errors are Kubernetes Status objects', () => {
  const invalid = async (headers: Record<string, string>, spec: Record<string, unknown>, field: string, message: RegExp) => {
    const r = await query(h, headers, spec);
    expect([JSON.stringify(spec), r.status]).toEqual([JSON.stringify(spec), 422]);
    expect(r.body).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Invalid', code: 422, details: { group: 'activity.miloapis.com', kind: 'AuditLogQuery' } });
    const cause = r.body.details.causes.find((c: { field: string }) => c.field === field);
    expect([field, cause?.message]).toEqual([field, expect.stringMatching(message)]);
  };

  it('a cursor with another parameter, scope, or past its lifetime', async () => {
    const spec = { ...WINDOW, filter: "verb == 'get'", limit: 10 };
    const token = (await query(h, tenant('control-plane-3'), spec)).body.status.continue as string;
    expect(token).toMatch(/^[\w-]+\.[\w-]+$/);
    for (const changed of [{ filter: "verb == 'list'" }, { limit: 11 }, { startTime: 'now-2d' }, { endTime: 'now-1m' }]) {
      await invalid(tenant('control-plane-3'), { ...spec, ...changed, continue: token }, 'spec.continue', /query parameters changed/);
    }
    await invalid(tenant('control-plane-1'), { ...spec, continue: token }, 'spec.continue', /query parameters changed/);
    await invalid(tenant('control-plane-3'), { ...spec, continue: `${token.slice(0, -2)}xx` }, 'spec.continue', /cursor format is invalid/);
    // The same cursor issued two hours ago (tokens are signed by this process, so it is re-encoded here).
    const [, ts, id, s, e, hash] = JSON.parse(Buffer.from(token.split('.')[0] as string, 'base64url').toString());
    const old = encodeCursor({ ts, auditID: id, startUs: s, endUs: e, queryHash: hash, issuedMs: Date.now() - 7200e3 });
    await invalid(tenant('control-plane-3'), { ...spec, continue: old }, 'spec.continue', /cursor expired after 7200s. Cursors are valid for 3600s/);
    await invalid(tenant('control-plane-3'), { ...spec, continueAfter: old }, 'spec.continueAfter', /expired/);
  });

  it('windows over 30 days, bad or future times, limits out of range', async () => {
    const t = tenant('control-plane-3');
    await invalid(t, { startTime: 'now-31d', endTime: 'now' }, 'spec', /time range of 744h0m0s exceeds maximum of 720h0m0s/);
    await invalid(t, { startTime: '2024-01-01T00:00:00Z', endTime: '2024-03-01T00:00:00Z' }, 'spec', /exceeds maximum/);
    await invalid(t, { startTime: 'yesterday', endTime: 'now' }, 'spec.startTime', /invalid time format/);
    await invalid(t, { startTime: 'now-1x', endTime: 'now' }, 'spec.startTime', /invalid relative time/);
    await invalid(t, { startTime: 'now-1d', endTime: 'now+1h' }, 'spec.endTime', /invalid relative time/);
    await invalid(t, { startTime: 'now-1d', endTime: '2999-01-01T00:00:00Z' }, 'spec.endTime', /cannot be in the future/);
    await invalid(t, { startTime: 'now', endTime: 'now-1d' }, 'spec.endTime', /endTime must be after startTime/);
    await invalid(t, { endTime: 'now' }, 'spec.startTime', /Required value/);
    await invalid(t, { ...WINDOW, limit: 1001 }, 'spec.limit', /limit of 1001 exceeds maximum of 1000/);
    await invalid(t, { ...WINDOW, limit: -1 }, 'spec.limit', /non-negative/);
    expect((await query(h, t, { ...WINDOW, limit: 1000 })).status).toBe(201);
  });

  it('bad CEL names the position', async () => {
    const t = tenant('control-plane-3');
    await invalid(t, { ...WINDOW, filter: "verb == 'get' &&& verb == 'list'" }, 'spec.filter', /line 1, column 17 \(offset 16\)/);
    await invalid(t, { ...WINDOW, filter: "verb = 'get'" }, 'spec.filter', /column 6/);
    await invalid(t, { ...WINDOW, filter: "scope_name == 'control-plane-1'" }, 'spec.filter', /column 1 .*Unknown variable: scope_name/);
    await invalid(t, { ...WINDOW, filter: "objectRef.owner == 'x'" }, 'spec.filter', /column 11 .*owner/);
    await invalid(t, { ...WINDOW, filter: 'verb == 1' }, 'spec.filter', /no such overload/);
    await invalid(t, { ...WINDOW, filter: 'verb' }, 'spec.filter', /must be a boolean/);
    await invalid(t, { ...WINDOW, filter: "user.username.matches('.*')" }, 'spec.filter', /unsupported function 'matches'/);
  });

  it('400 for a body that is not an AuditLogQuery, 403 without a scope', async () => {
    const t = tenant('control-plane-3');
    for (const raw of ['not json', '[]', JSON.stringify({ kind: 'Pod', spec: WINDOW }), JSON.stringify({ spec: { ...WINDOW, limit: '10' } })]) {
      const r = await query(h, t, {}, raw);
      expect([raw, r.status, r.body.kind, r.body.reason]).toEqual([raw, 400, 'Status', 'BadRequest']);
    }
    const denied = await query(h, {}, WINDOW);
    expect([denied.status, denied.body.kind, denied.body.reason]).toEqual([403, 'Status', 'Forbidden']);
    expect((await query(h, { authorization: 'Bearer wrong-token-x' }, WINDOW)).status).toBe(403);
  });
});

describe('tenant isolation whatever the filter', () => {
  const widening = fc.oneof(
    filterArb(),
    filterArb().map((f) => `${f} || true`),
    filterArb().map((f) => `(${f}) || auditID != ''`),
    filterArb().map((f) => `!(${f}) || !(${f})`),
    fc.string({ maxLength: 40 }).map((s) => `objectRef.name == ${q(s)} || verb != ${q(`') OR 1=1 --${s}`)}`),
    fc.string({ maxLength: 60 }),
  );

  it('a tenant sees only its own events (fuzzed filters, including ||-widening)', async () => {
    await fc.assert(
      fc.asyncProperty(widening, fc.constantFrom(...TENANTS), async (filter, t) => {
        const r = await query(h, tenant(t), { ...WINDOW, filter, limit: 1000 });
        expect([filter, r.status]).toEqual([filter, r.status === 422 ? 422 : 201]);
        if (r.status !== 201) return;
        const own = new Set(EVENTS.filter((e) => tenantOf(e) === t).map((e) => e.auditID));
        for (const e of r.body.status.results as GenEvent[]) expect([filter, tenantOf(e), own.has(e.auditID)]).toEqual([filter, t, true]);
      }),
      { numRuns: 80, seed: 1414 },
    );
    // The widest filter gives exactly the tenant's own events.
    expect((await all(h, tenant('control-plane-1'), { ...WINDOW, filter: "true || verb == 'x'", limit: 1000 })).length).toBe(expected('', 'control-plane-1').length);
  });
});
