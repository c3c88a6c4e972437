// Seed 000's query load test in k6 syntax (the shape of datum-cloud/activity test/load/src/
// query-load-test.js): AuditLogQuery POSTs, tenant-scoped (60%) and platform (40%) queries, and a
// pagination loop over status.continue. The same test in squall's native API: query-api.ts.
//   k6 run examples/activity/k6-query.js -e TOKEN=demo-token            (against any Activity API)
//   npx squall run examples/activity/k6-query.js -e TOKEN=demo-token     (unmodified, through squall's k6 layer)
import http from 'k6/http';
import { check, group, sleep } from 'k6';
import { Rate, Trend } from 'k6/metrics';

const BASE_URL = __ENV.BASE_URL || 'http://127.0.0.1:8080';
const API_PATH = '/apis/activity.miloapis.com/v1alpha1/auditlogqueries';
const TOKEN = __ENV.TOKEN || '';
const TENANTS = parseInt(__ENV.TENANTS || '50');
const DURATION = __ENV.DURATION || '30s';
const MAX_PAGES = parseInt(__ENV.MAX_PAGES || '20');

const querySuccessRate = new Rate('query_success_rate');
const queryDuration = new Trend('query_duration', true);

export const options = {
  scenarios: {
    tenant: { executor: 'constant-vus', vus: 6, duration: DURATION, exec: 'tenantQueries' },
    platform: { executor: 'constant-vus', vus: 4, duration: DURATION, exec: 'platformQueries' },
    pagination: { executor: 'constant-vus', vus: 1, duration: DURATION, exec: 'paginate' },
  },
  thresholds: {
    checks: ['rate==1'],
    query_success_rate: ['rate>0.95'],
    'http_req_duration{scenario:tenant}': ['p(95)<1000'],
    'http_req_duration{scenario:platform}': ['p(95)<2000'],
    http_req_failed: ['rate<0.01'],
  },
  summaryTrendStats: ['avg', 'p(50)', 'p(95)', 'p(99)', 'max'],
};

const tenantTemplates = [
  { name: 'tenant_recent_activity', filter: '', limit: 100 },
  { name: 'tenant_pod_creates', filter: "objectRef.resource == 'pods' && verb == 'create'", limit: 50 },
  { name: 'tenant_secret_access', filter: "objectRef.resource == 'secrets' && verb in ['get', 'list']", limit: 100 },
  { name: 'tenant_failures', filter: 'responseStatus.code >= 400', limit: 100 },
];

const platformTemplates = [
  { name: 'platform_core_pods', filter: "objectRef.apiGroup == '' && objectRef.resource == 'pods'", limit: 100 },
  { name: 'platform_apps_deployments', filter: "objectRef.apiGroup == 'apps' && objectRef.resource == 'deployments'", limit: 100 },
  { name: 'platform_deployment_updates', filter: "objectRef.apiGroup == 'apps' && objectRef.resource == 'deployments' && verb in ['update', 'patch']", limit: 100 },
  { name: 'platform_human_writes', filter: "!user.username.startsWith('system:') && !(verb in ['get', 'list', 'watch'])", limit: 100 },
];

function pick(xs) {
  return xs[Math.floor(Math.random() * xs.length)];
}

function getRequestOptions(tenant, name) {
  const headers = { 'Content-Type': 'application/json' };
  if (tenant) {
    // The `/` of the extra key is percent-encoded, as Kubernetes' front proxy sends it.
    headers['X-Remote-Extra-iam.miloapis.com%2Fparent-type'] = 'Tenant';
    headers['X-Remote-Extra-iam.miloapis.com%2Fparent-name'] = tenant;
  } else {
    headers['Authorization'] = `Bearer ${TOKEN}`;
  }
  return { headers, timeout: '30s', tags: { name } };
}

function createQueryRequest(template, startTime, cont) {
  const spec = { startTime, endTime: 'now', filter: template.filter, limit: template.limit };
  if (cont) spec.continue = cont;
  return JSON.stringify({ apiVersion: 'activity.miloapis.com/v1alpha1', kind: 'AuditLogQuery', metadata: { name: `load-test-${template.name}` }, spec });
}

function parse(res) {
  try {
    return JSON.parse(res.body);
  } catch (e) {
    return {};
  }
}

function run(template, tenant, startTime, cont) {
  const res = http.post(`${BASE_URL}${API_PATH}`, createQueryRequest(template, startTime, cont), getRequestOptions(tenant, template.name));
  queryDuration.add(res.timings.duration, { template: template.name });
  return res;
}

export function tenantQueries() {
  const tenant = `control-plane-${1 + Math.floor(Math.random() * TENANTS)}`;
  const res = run(pick(tenantTemplates), tenant, 'now-7d');
  const body = parse(res);
  const ok = check(res, {
    'status is 201': (r) => r.status === 201,
    'query has status': () => body.status !== undefined,
    'only the tenant’s events': () => (body.status && body.status.results ? body.status.results : []).every((e) => e.annotations && e.annotations['platform.miloapis.com/scope.name'] === tenant),
  });
  querySuccessRate.add(ok ? 1 : 0);
  if (!ok) console.error(`tenant query failed: ${res.status} ${String(res.body).slice(0, 300)}`);
  sleep(0.2 + Math.random() * 0.3);
}

export function platformQueries() {
  const res = run(pick(platformTemplates), undefined, 'now-24h');
  const body = parse(res);
  const ok = check(res, { 'status is 201': (r) => r.status === 201, 'query has status': () => body.status !== undefined });
  querySuccessRate.add(ok ? 1 : 0);
  if (!ok) console.error(`platform query failed: ${res.status} ${String(res.body).slice(0, 300)}`);
  sleep(0.2 + Math.random() * 0.3);
}

// Follows status.continue up to MAX_PAGES pages: every event once, newest first.
export function paginate() {
  const template = { name: 'pagination_platform_pods', filter: "objectRef.apiGroup == '' && objectRef.resource == 'pods'", limit: 25 };
  group('pagination', () => {
    const seen = {};
    let count = 0;
    let last = '\uffff';
    let ordered = true;
    let cont;
    let pages = 0;
    do {
      const res = run(template, undefined, 'now-7d', cont);
      pages++;
      const ok = check(res, { 'pagination status is 201': (r) => r.status === 201 });
      querySuccessRate.add(ok ? 1 : 0);
      if (!ok) return;
      const body = parse(res);
      for (const e of body.status.results || []) {
        if (seen[e.auditID]) ordered = false;
        seen[e.auditID] = true;
        count++;
        if (e.requestReceivedTimestamp > last) ordered = false;
        last = e.requestReceivedTimestamp;
      }
      cont = body.status.continue;
    } while (cont && pages < MAX_PAGES);
    check(count, { 'pages: every event once, newest first': (n) => ordered && n > 0 });
  });
  sleep(0.5);
}
