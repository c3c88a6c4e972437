// seed 000's ingestion test (test/load/src/ingestion-load-test.js), rate and duration scaled down
import http from 'k6/http';
import { check, sleep } from 'k6';
import { Rate, Trend, Counter } from 'k6/metrics';

const eventsIngested = new Counter('events_ingested');
const ingestionRate = new Rate('ingestion_success_rate');
const ingestionDuration = new Trend('ingestion_duration');

export const options = {
  scenarios: {
    steady_state: {
      executor: 'constant-arrival-rate',
      rate: 50,  // seed 000 runs 5000/s for 30m; scaled down for the test suite
      duration: '2s',
      preAllocatedVUs: 5,
      maxVUs: 20,
    },
  },
  thresholds: {
    'ingestion_success_rate': ['rate>0.99'],
    'http_req_failed': ['rate<0.01'],
  },
};

const VECTOR_URL = (__ENV.BASE && `${__ENV.BASE}/ingest`) || __ENV.VECTOR_WEBHOOK_URL ||
  'http://vector-aggregator.activity-perf-test:8080';
const CONTROL_PLANES = parseInt(__ENV.CONTROL_PLANES || '50');

// Audit event templates
const verbs = ['get', 'list', 'create', 'update', 'patch', 'delete'];
const resources = [
  { apiGroup: '', resource: 'pods' },
  { apiGroup: '', resource: 'services' },
  { apiGroup: '', resource: 'secrets' },
  { apiGroup: '', resource: 'configmaps' },
  { apiGroup: 'apps', resource: 'deployments' },
  { apiGroup: 'apps', resource: 'statefulsets' },
  { apiGroup: 'batch', resource: 'jobs' },
];

function generateAuditEvent(controlPlaneId) {
  const verb = verbs[Math.floor(Math.random() * verbs.length)];
  const resource = resources[Math.floor(Math.random() * resources.length)];

  return {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    auditID: crypto.randomUUID(),
    stage: 'ResponseComplete',
    requestReceivedTimestamp: new Date().toISOString(),
    verb: verb,
    user: {
      username: `system:serviceaccount:default:app-${Math.floor(Math.random() * 100)}`,
    },
    objectRef: {
      apiGroup: resource.apiGroup,
      resource: resource.resource,
      namespace: `namespace-${Math.floor(Math.random() * 20)}`,
      name: `resource-${Math.floor(Math.random() * 1000)}`,
    },
    responseStatus: {
      code: verb === 'delete' ? 200 : (verb === 'create' ? 201 : 200),
    },
    annotations: {
      'platform.miloapis.com/scope.type': 'tenant',
      'platform.miloapis.com/scope.name': `control-plane-${controlPlaneId}`,
    },
  };
}

export default function() {
  // Randomly select a control plane
  const controlPlaneId = Math.floor(Math.random() * CONTROL_PLANES);

  const event = generateAuditEvent(controlPlaneId);
  const payload = JSON.stringify(event);

  const response = http.post(VECTOR_URL, payload, {
    headers: { 'Content-Type': 'application/json' },
    timeout: '5s',
  });

  const success = check(response, {
    'status is 2xx': (r) => r.status >= 200 && r.status < 300,
  });

  eventsIngested.add(1);
  ingestionRate.add(success ? 1 : 0);
  ingestionDuration.add(response.timings.duration);

  if (!success) {
    console.error(`Ingestion failed: ${response.status} - ${response.body}`);
  }
}
