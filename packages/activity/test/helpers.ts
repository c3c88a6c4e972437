import { PARENT_NAME_HEADER, PARENT_TYPE_HEADER } from '../src/scope.js';

/** A valid ResponseComplete audit event for tenant `org`, `i` seconds after `baseMs`. */
export function auditEvent(i: number, org: string, baseMs: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const verbs = ['get', 'list', 'create', 'update', 'delete'];
  const resources = ['pods', 'secrets', 'configmaps', 'deployments'];
  return {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    auditID: `${org}-${i}`,
    stage: 'ResponseComplete',
    requestReceivedTimestamp: new Date(baseMs + i * 1000).toISOString().replace('Z', '123Z'),
    verb: verbs[i % verbs.length],
    user: { username: `system:serviceaccount:default:app-${i % 7}` },
    objectRef: { apiGroup: '', resource: resources[i % resources.length], namespace: `ns-${i % 3}`, name: `obj-${i}` },
    responseStatus: { code: i % 10 === 0 ? 404 : 200 },
    annotations: { 'platform.miloapis.com/scope.type': 'Organization', 'platform.miloapis.com/scope.name': org },
    ...extra,
  };
}

/** Tenant scope headers as a client sends them (the `/` percent-encoded, as Kubernetes does). */
export function tenantHeaders(type: string, name: string): Record<string, string> {
  return { [PARENT_TYPE_HEADER]: type, [PARENT_NAME_HEADER]: name };
}

/** NDJSON body of events. */
export function ndjson(events: readonly unknown[]): string {
  return events.map((e) => JSON.stringify(e)).join('\n') + '\n';
}
