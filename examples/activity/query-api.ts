// Seed 000's query load test, written as the seed shows it (datum-cloud/activity test/load), in
// squall's native async API: POST AuditLogQuery objects, tenant-scoped (60%) and platform (40%),
// plus a pagination loop that follows status.continue and checks every event comes once, newest
// first. The same script in k6 syntax: k6-query.js.
//   npx squall backfill --store chdb:./activity-data --events 1000000 --days 90
//   npx squall target activity --port 8080 --store chdb:./activity-data --platform-token demo-token &
//   npx squall run examples/activity/query-api.ts -e TOKEN=demo-token [-e DURATION=30s]
import { check, group, http, sleep, Trend } from 'squall';

const BASE = __ENV.BASE_URL ?? 'http://127.0.0.1:8080';
const API_PATH = '/apis/activity.miloapis.com/v1alpha1/auditlogqueries';
const TOKEN = __ENV.TOKEN ?? '';
const TENANTS = Number(__ENV.TENANTS ?? 50);
const DURATION = __ENV.DURATION ?? '30s';

const queryDuration = new Trend('query_duration', true);

export const options = {
  scenarios: {
    tenant: { executor: 'constant-vus', vus: 6, duration: DURATION, exec: 'tenantQueries' },
    platform: { executor: 'constant-vus', vus: 4, duration: DURATION, exec: 'platformQueries' },
    pagination: { executor: 'constant-vus', vus: 1, duration: DURATION, exec: 'paginate' },
  },
  thresholds: {
    checks: ['rate==1'],
    'http_req_duration{scenario:tenant}': ['p(95)<1000'],
    'http_req_duration{scenario:platform}': ['p(95)<2000'],
    http_req_failed: ['rate<0.01'],
  },
  summaryTrendStats: ['avg', 'p(50)', 'p(95)', 'p(99)', 'max'],
};

interface Template {
  readonly name: string;
  readonly filter: string;
  readonly limit: number;
}

const TENANT_TEMPLATES: readonly Template[] = [
  { name: 'tenant_recent_activity', filter: '', limit: 100 },
  { name: 'tenant_pod_creates', filter: "objectRef.resource == 'pods' && verb == 'create'", limit: 50 },
  { name: 'tenant_secret_access', filter: "objectRef.resource == 'secrets' && verb in ['get', 'list']", limit: 100 },
  { name: 'tenant_failures', filter: 'responseStatus.code >= 400', limit: 100 },
];

const PLATFORM_TEMPLATES: readonly Template[] = [
  { name: 'platform_core_pods', filter: "objectRef.apiGroup == '' && objectRef.resource == 'pods'", limit: 100 },
  { name: 'platform_apps_deployments', filter: "objectRef.apiGroup == 'apps' && objectRef.resource == 'deployments'", limit: 100 },
  { name: 'platform_deployment_updates', filter: "objectRef.apiGroup == 'apps' && objectRef.resource == 'deployments' && verb in ['update', 'patch']", limit: 100 },
  { name: 'platform_human_writes', filter: "!user.username.startsWith('system:') && !(verb in ['get', 'list', 'watch'])", limit: 100 },
];

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)] as T;

function headersFor(tenant: string | undefined): Record<string, string> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (tenant !== undefined) {
    // The `/` of the extra key is percent-encoded, as Kubernetes' front proxy sends it.
    headers['X-Remote-Extra-iam.miloapis.com%2Fparent-type'] = 'Tenant';
    headers['X-Remote-Extra-iam.miloapis.com%2Fparent-name'] = tenant;
  } else {
    headers['Authorization'] = `Bearer ${TOKEN}`;
  }
  return headers;
}

function body(t: Template, startTime: string, cont?: string): string {
  const spec: Record<string, unknown> = { startTime, endTime: 'now', filter: t.filter, limit: t.limit };
  if (cont) spec['continue'] = cont;
  return JSON.stringify({ apiVersion: 'activity.miloapis.com/v1alpha1', kind: 'AuditLogQuery', metadata: { name: `load-test-${t.name}` }, spec });
}

async function run(t: Template, tenant: string | undefined, startTime: string, cont?: string) {
  const res = await http.post(`${BASE}${API_PATH}`, body(t, startTime, cont), { headers: headersFor(tenant), tags: { name: t.name }, timeout: '30s' });
  queryDuration.add(res.timings.duration, { template: t.name });
  return res;
}

export async function tenantQueries(): Promise<void> {
  const tenant = `control-plane-${1 + Math.floor(Math.random() * TENANTS)}`;
  const t = pick(TENANT_TEMPLATES);
  const res = await run(t, tenant, 'now-7d');
  check(res, {
    'status is 201': (r) => r.status === 201,
    'query has status': (r) => r.json('status') !== undefined,
    'only the tenant’s events': (r) => ((r.json('status.results') ?? []) as Array<{ annotations?: Record<string, string> }>).every((e) => e.annotations?.['platform.miloapis.com/scope.name'] === tenant),
  });
  await sleep(0.2 + Math.random() * 0.3);
}

export async function platformQueries(): Promise<void> {
  const res = await run(pick(PLATFORM_TEMPLATES), undefined, 'now-24h');
  check(res, { 'status is 201': (r) => r.status === 201, 'query has status': (r) => r.json('status') !== undefined });
  await sleep(0.2 + Math.random() * 0.3);
}

/** Follows status.continue up to MAX_PAGES pages: every event once, newest first. */
export async function paginate(): Promise<void> {
  const t: Template = { name: 'pagination_platform_pods', filter: "objectRef.apiGroup == '' && objectRef.resource == 'pods'", limit: 25 };
  const maxPages = Number(__ENV.MAX_PAGES ?? 20);
  await group('pagination', async () => {
    const seen = new Set<string>();
    let last = '\uffff';
    let ordered = true;
    let cont: string | undefined;
    let pages = 0;
    do {
      const res = await run(t, undefined, 'now-7d', cont);
      pages++;
      if (!check(res, { 'pagination status is 201': (r) => r.status === 201 })) return;
      for (const e of (res.json('status.results') ?? []) as Array<{ auditID: string; requestReceivedTimestamp: string }>) {
        if (seen.has(e.auditID)) ordered = false;
        seen.add(e.auditID);
        if (e.requestReceivedTimestamp > last) ordered = false;
        last = e.requestReceivedTimestamp;
      }
      cont = res.json('status.continue') as string | undefined;
    } while (cont && pages < maxPages);
    check(seen, { 'pages: every event once, newest first': () => ordered && seen.size > 0 });
  });
  await sleep(0.5);
}
