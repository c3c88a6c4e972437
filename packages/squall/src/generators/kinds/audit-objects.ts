import type { Prng } from '../prng.js';
import { randomHex } from '../unique-id.js';
import { APP_WORDS, type ApiResource } from './audit-vocab.js';

/** What a Kubernetes object body needs to look plausible. */
export interface ObjectContext {
  readonly resource: ApiResource;
  readonly name: string;
  readonly namespace: string | undefined;
  readonly uid: string;
  readonly createdAt: string;
  /** Extra bytes of data to reach a target event size (0 = the object's natural size). */
  readonly padBytes: number;
}

const IMAGES = ['registry.example.com/app/api:1.14.2', 'registry.example.com/app/worker:2.3.0', 'nginx:1.27', 'redis:7.2', 'busybox:1.36'];

function container(rng: Prng): Record<string, unknown> {
  return {
    name: rng.pick(APP_WORDS),
    image: rng.pick(IMAGES),
    ports: [{ containerPort: 8080, protocol: 'TCP' }],
    resources: { requests: { cpu: `${rng.range(1, 20) * 50}m`, memory: `${rng.range(1, 16) * 64}Mi` } },
  };
}

function specFor(res: ApiResource, app: string, rng: Prng): Record<string, unknown> {
  switch (res.resource) {
    case 'pods':
      return { spec: { containers: [container(rng)], restartPolicy: 'Always', serviceAccountName: 'default' }, status: { phase: 'Running' } };
    case 'deployments':
    case 'statefulsets':
    case 'daemonsets':
    case 'replicasets':
      return {
        spec: { replicas: rng.range(1, 6), selector: { matchLabels: { app } }, template: { metadata: { labels: { app } }, spec: { containers: [container(rng)] } } },
      };
    case 'jobs':
    case 'cronjobs':
      return { spec: { schedule: `${rng.int(60)} * * * *`, jobTemplate: { spec: { template: { spec: { containers: [container(rng)], restartPolicy: 'OnFailure' } } } } } };
    case 'services':
      return { spec: { type: 'ClusterIP', selector: { app }, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] } };
    case 'configmaps':
      return { data: { 'config.yaml': `log_level: info\nworkers: ${rng.range(1, 32)}\n` } };
    case 'secrets':
      return { type: 'Opaque', data: { token: Buffer.from(randomHex(rng, 32)).toString('base64') } };
    case 'roles':
    case 'clusterroles':
      return { rules: [{ apiGroups: [''], resources: ['pods', 'configmaps'], verbs: ['get', 'list', 'watch'] }] };
    case 'rolebindings':
    case 'clusterrolebindings':
      return { roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'ServiceAccount', name: app }] };
    default:
      return {};
  }
}

/**
 * A Kubernetes object of the event's resource for requestObject/responseObject, so events reach
 * realistic sizes (a few hundred bytes to kilobytes) and pipelines see nested JSON.
 */
export function buildObject(ctx: ObjectContext, rng: Prng): Record<string, unknown> {
  const res = ctx.resource;
  const app = rng.pick(APP_WORDS);
  const annotations: Record<string, string> = { 'meta.helm.sh/release-name': app };
  if (ctx.padBytes > 0) annotations['squall.dev/padding'] = 'x'.repeat(ctx.padBytes);
  return {
    kind: res.kind,
    apiVersion: res.group === '' ? res.version : `${res.group}/${res.version}`,
    metadata: {
      name: ctx.name,
      ...(ctx.namespace === undefined ? {} : { namespace: ctx.namespace }),
      uid: ctx.uid,
      resourceVersion: String(rng.range(1_000_000, 99_999_999)),
      creationTimestamp: ctx.createdAt,
      labels: { app, 'app.kubernetes.io/managed-by': 'Helm' },
      annotations,
    },
    ...specFor(res, app, rng),
  };
}

/** A JSON merge patch as `kubectl patch` or a controller sends it. */
export function buildPatch(rng: Prng): Record<string, unknown> {
  return { metadata: { labels: { 'squall.dev/revision': String(rng.range(1, 999)) } } };
}
