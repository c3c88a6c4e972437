/**
 * Kubernetes objects for a distributed run, built as typed models (kubernetes-models) and checked
 * against the Kubernetes OpenAPI schemas they were generated from before anything is written:
 * a ConfigMap with the bundled script and its data files, a PersistentVolumeClaim for the results,
 * and an Indexed `batch/v1` Job whose pod `i` runs instance `i/N` (`squall run --instance`), or a
 * CronJob around the same Job when a schedule is given; and, unless an existing NATS URL is given,
 * the NATS (JetStream) Deployment and Service the instances coordinate through.
 */
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { IPodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
import { Job } from 'kubernetes-models/batch/v1/Job';
import type { IJobSpec } from 'kubernetes-models/batch/v1/JobSpec';
import { CronJob } from 'kubernetes-models/batch/v1/CronJob';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Service } from 'kubernetes-models/v1/Service';
import { instanceSegment, MAX_INSTANCES } from './instances.js';

/** A file the pods need, at `path` relative to the script's folder. */
export interface ManifestFile {
  readonly path: string;
  readonly content: Buffer;
}

export interface ManifestOptions {
  /** Object name prefix (DNS-1123 label). */
  readonly name: string;
  readonly namespace: string;
  readonly image: string;
  readonly instances: number;
  /** File name of the bundled script inside the ConfigMap, e.g. `load.js`. */
  readonly scriptName: string;
  readonly script: string;
  readonly files: readonly ManifestFile[];
  /** Container environment (the script sees it as __ENV). */
  readonly env: Readonly<Record<string, string>>;
  /** Requests and limits, e.g. { cpu: '2', memory: '2Gi' }. */
  readonly resources: Readonly<Record<string, string>>;
  /** Extra arguments for `squall run`, after the script. */
  readonly runArgs: readonly string[];
  /** Results volume: an existing claim, or the size of the one created. */
  readonly resultsClaim?: string;
  readonly resultsSize: string;
  readonly schedule?: string;
  /** Secret (and key) holding a Slack incoming-webhook URL, exposed as SLACK_WEBHOOK_URL. */
  readonly slackSecret?: { name: string; key: string };
  /** An existing NATS server with JetStream; without one the manifests include a NATS Deployment and Service. */
  readonly natsUrl?: string;
}

/** The NATS image of the generated Deployment. */
export const NATS_IMAGE = 'nats:2.10-alpine';

/** Where the pods meet: the given NATS URL or the generated Service. */
export function coordinatorUrl(o: Pick<ManifestOptions, 'natsUrl' | 'name' | 'namespace'>): string {
  return o.natsUrl ?? `nats://${o.name}-nats.${o.namespace}.svc:4222`;
}

/** What a ConfigMap may hold (etcd's object limit), less room for metadata. */
export const CONFIGMAP_LIMIT_BYTES = 1024 * 1024 - 16 * 1024;

const SCRIPT_DIR = '/squall/script';
const RESULTS_DIR = '/results';
const INDEX_ANNOTATION = "metadata.annotations['batch.kubernetes.io/job-completion-index']";
const JOB_NAME_LABEL = "metadata.labels['batch.kubernetes.io/job-name']";
// Unique per Job (so per CronJob run): every instance of one run shares it as its run id.
const JOB_UID_LABEL = "metadata.labels['batch.kubernetes.io/controller-uid']";

/** A ConfigMap key for a relative path: keys allow only [-._a-zA-Z0-9]. */
export function configMapKey(path: string, index: number): string {
  return `f${index}-${path.replace(/[^-._a-zA-Z0-9]/g, '_')}`.slice(0, 253);
}

function isText(buf: Buffer): boolean {
  return !buf.includes(0) && Buffer.from(buf.toString('utf8'), 'utf8').equals(buf);
}

function configMap(o: ManifestOptions, labels: Record<string, string>): ConfigMap {
  const data: Record<string, string> = { [o.scriptName]: o.script };
  const binaryData: Record<string, string> = {};
  o.files.forEach((f, i) => {
    const key = configMapKey(f.path, i);
    if (isText(f.content)) data[key] = f.content.toString('utf8');
    else binaryData[key] = f.content.toString('base64');
  });
  return new ConfigMap({
    metadata: { name: `${o.name}-script`, namespace: o.namespace, labels },
    data,
    ...(Object.keys(binaryData).length > 0 ? { binaryData } : {}),
  });
}

function container(o: ManifestOptions): IContainer {
  const env: IEnvVar[] = [
    // Declared (not only injected by the Job controller) so that $(...) in args expands it.
    { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: INDEX_ANNOTATION } } },
    { name: 'SQUALL_JOB_NAME', valueFrom: { fieldRef: { fieldPath: JOB_NAME_LABEL } } },
    // Coordination (docs/distributed.md): `squall run --instance` reads both.
    { name: 'SQUALL_COORDINATOR', value: coordinatorUrl(o) },
    { name: 'SQUALL_RUN_ID', valueFrom: { fieldRef: { fieldPath: JOB_UID_LABEL } } },
    ...Object.entries(o.env).map(([name, value]) => ({ name, value })),
  ];
  if (o.slackSecret) env.push({ name: 'SLACK_WEBHOOK_URL', valueFrom: { secretKeyRef: { name: o.slackSecret.name, key: o.slackSecret.key } } });
  const resources = Object.keys(o.resources).length > 0 ? { requests: { ...o.resources }, limits: { ...o.resources } } : undefined;
  return {
    name: 'squall',
    image: o.image,
    args: [
      'run',
      `${SCRIPT_DIR}/${o.scriptName}`,
      '--instance',
      `$(JOB_COMPLETION_INDEX)/${o.instances}`,
      '--results-dir',
      `${RESULTS_DIR}/$(SQUALL_JOB_NAME)/instance-$(JOB_COMPLETION_INDEX)`,
      '--no-history',
      '--no-color',
      ...o.runArgs,
    ],
    env,
    ...(resources ? { resources } : {}),
    volumeMounts: [
      { name: 'script', mountPath: SCRIPT_DIR, readOnly: true },
      { name: 'results', mountPath: RESULTS_DIR },
    ],
  };
}

function podTemplate(o: ManifestOptions, labels: Record<string, string>): IPodTemplateSpec {
  const items = [{ key: o.scriptName, path: o.scriptName }, ...o.files.map((f, i) => ({ key: configMapKey(f.path, i), path: f.path }))];
  return {
    metadata: { labels },
    spec: {
      restartPolicy: 'Never',
      containers: [container(o)],
      volumes: [
        { name: 'script', configMap: { name: `${o.name}-script`, items } },
        { name: 'results', persistentVolumeClaim: { claimName: o.resultsClaim ?? `${o.name}-results` } },
      ],
    },
  };
}

function jobSpec(o: ManifestOptions, labels: Record<string, string>): IJobSpec {
  return {
    completionMode: 'Indexed',
    completions: o.instances,
    parallelism: o.instances,
    // A retried instance would send its segment's load twice: one try per instance.
    backoffLimit: 0,
    ttlSecondsAfterFinished: 7 * 24 * 3600,
    template: podTemplate(o, labels),
  };
}

function natsObjects(o: ManifestOptions, labels: Record<string, string>): [Deployment, Service] {
  const natsLabels = { ...labels, 'app.kubernetes.io/component': 'coordination' };
  const deployment = new Deployment({
    metadata: { name: `${o.name}-nats`, namespace: o.namespace, labels: natsLabels },
    spec: {
      replicas: 1,
      selector: { matchLabels: natsLabels },
      template: {
        metadata: { labels: natsLabels },
        spec: {
          containers: [
            {
              name: 'nats',
              image: NATS_IMAGE,
              // JetStream in memory: a run's streams live for its duration only.
              args: ['-js', '-m', '8222'],
              ports: [{ name: 'client', containerPort: 4222 }, { name: 'monitor', containerPort: 8222 }],
              readinessProbe: { httpGet: { path: '/healthz?js-enabled-only=true', port: 8222 } },
            },
          ],
        },
      },
    },
  });
  const service = new Service({
    metadata: { name: `${o.name}-nats`, namespace: o.namespace, labels: natsLabels },
    spec: { selector: natsLabels, ports: [{ name: 'client', port: 4222, targetPort: 'client' }] },
  });
  return [deployment, service];
}

export type ManifestObject = ConfigMap | PersistentVolumeClaim | Job | CronJob | Deployment | Service;

/** Every object of the run, in apply order, each validated against its schema (throws if not). */
export function buildManifests(o: ManifestOptions): ManifestObject[] {
  if (!Number.isInteger(o.instances) || o.instances < 1 || o.instances > MAX_INSTANCES) instanceSegment(0, o.instances);
  const labels = { 'app.kubernetes.io/name': 'squall', 'app.kubernetes.io/instance': o.name };
  const objects: ManifestObject[] = [configMap(o, labels)];
  if (o.natsUrl === undefined) objects.push(...natsObjects(o, labels));
  if (o.resultsClaim === undefined) {
    objects.push(
      new PersistentVolumeClaim({
        metadata: { name: `${o.name}-results`, namespace: o.namespace, labels },
        // Every pod writes its own folder, possibly from different nodes.
        spec: { accessModes: ['ReadWriteMany'], resources: { requests: { storage: o.resultsSize } } },
      }),
    );
  }
  if (o.schedule === undefined) {
    objects.push(new Job({ metadata: { name: o.name, namespace: o.namespace, labels }, spec: jobSpec(o, labels) }));
  } else {
    objects.push(
      new CronJob({
        metadata: { name: o.name, namespace: o.namespace, labels },
        spec: {
          schedule: o.schedule,
          concurrencyPolicy: 'Forbid',
          successfulJobsHistoryLimit: 5,
          failedJobsHistoryLimit: 3,
          jobTemplate: { metadata: { labels }, spec: jobSpec(o, labels) },
        },
      }),
    );
  }
  for (const obj of objects) obj.validate();
  return objects;
}
