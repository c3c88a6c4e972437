import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { CronJob } from 'kubernetes-models/batch/v1/CronJob';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Service } from 'kubernetes-models/v1/Service';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseInstance } from '../src/distributed/index.js';
import { readJson, runCli, tmpDir } from './helpers/cli.js';
import { startServer, type TestServer } from './helpers/server.js';

/** Re-checks an object of the YAML stream against the Kubernetes schema of its kind. */
function revalidate(doc: Record<string, unknown>): void {
  const models: Record<string, new (d: never) => { validate(): void }> = { ConfigMap, PersistentVolumeClaim, Job, CronJob, Deployment, Service } as never;
  const Model = models[String(doc.kind)];
  if (!Model) throw new Error(`unexpected kind ${String(doc.kind)}`);
  new Model(doc as never).validate();
}

type Obj = { kind: string; spec?: any; data?: Record<string, string> };

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});

const SCRIPT = `import { http } from 'squall';
import { pick } from './lib.js';
export const options = { scenarios: { s: { executor: 'shared-iterations', vus: 3, iterations: 30 } } };
export default async function () {
  await http.get(\`\${__ENV.BASE_URL}/k8s/\${pick()}\`);
}
`;

function project(): string {
  const dir = tmpDir();
  writeFileSync(join(dir, 'load.ts'), SCRIPT);
  writeFileSync(join(dir, 'lib.js'), `export const pick = () => 'item';\n`);
  writeFileSync(join(dir, 'users.csv'), 'id\n1\n2\n');
  return dir;
}

async function manifests(dir: string, args: string[]): Promise<Obj[]> {
  const r = await runCli(['k8s', 'load.ts', ...args], { cwd: dir });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return parseAllDocuments(r.stdout).map((d) => d.toJSON() as Obj);
}

describe('squall k8s', () => {
  it.each([1, 3, 10])('writes schema-valid objects for %i instances, each pod running its own segment', async (n) => {
    const dir = project();
    const docs = await manifests(dir, ['--instances', String(n), '--namespace', 'perf', '-e', 'BASE_URL=http://svc', '--file', 'users.csv', '--resources', 'cpu=2,memory=2Gi', '--', '--vus', '10']);
    expect(docs.map((d) => d.kind)).toEqual(['ConfigMap', 'Deployment', 'Service', 'PersistentVolumeClaim', 'Job']);
    for (const d of docs) revalidate(d as never);
    const job = docs[4]!.spec;
    expect(job).toMatchObject({ completionMode: 'Indexed', completions: n, parallelism: n, backoffLimit: 0 });
    const c = job.template.spec.containers[0];
    expect(c.args).toEqual(expect.arrayContaining(['--instance', `$(JOB_COMPLETION_INDEX)/${n}`, '--vus', '10']));
    expect(c.env[0]).toEqual({ name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } } });
    // The pods meet at the generated NATS Service, one run id per Job.
    expect(c.env).toContainEqual({ name: 'SQUALL_COORDINATOR', value: 'nats://squall-load-nats.perf.svc:4222' });
    expect(c.env).toContainEqual({ name: 'SQUALL_RUN_ID', valueFrom: { fieldRef: { fieldPath: "metadata.labels['batch.kubernetes.io/controller-uid']" } } });
    const nats = docs[1]!.spec;
    expect(nats.template.spec.containers[0].args).toContain('-js');
    expect(docs[2]!.spec.ports[0]).toMatchObject({ port: 4222 });
    expect(docs[2]!.spec.selector).toEqual(nats.selector.matchLabels);
    expect(c.resources).toEqual({ requests: { cpu: '2', memory: '2Gi' }, limits: { cpu: '2', memory: '2Gi' } });
    // The script is bundled (its relative import inlined) and the data file travels beside it.
    const data = docs[0]!.data!;
    expect(data['load.js']).toContain('"item"');
    expect(data['load.js']).toMatch(/from ["']squall["']/);
    expect(Object.values(data)).toContain('id\n1\n2\n');
    const items = job.template.spec.volumes[0].configMap.items.map((i: { path: string }) => i.path);
    expect(items).toEqual(['load.js', 'users.csv']);
  });

  it('wraps the same Job in a CronJob with --schedule, with history limits and the Slack secret', async () => {
    const docs = await manifests(project(), ['--instances', '4', '--schedule', '0 2 * * 0', '--slack-secret', 'perf-test-secrets', '--nats', 'nats://nats.infra:4222']);
    expect(docs.map((d) => d.kind)).toEqual(['ConfigMap', 'PersistentVolumeClaim', 'CronJob']);
    for (const d of docs) revalidate(d as never);
    const cron = docs[2]!.spec;
    expect(cron.jobTemplate.spec.template.spec.containers[0].env).toContainEqual({ name: 'SQUALL_COORDINATOR', value: 'nats://nats.infra:4222' });
    expect(cron).toMatchObject({ schedule: '0 2 * * 0', successfulJobsHistoryLimit: 5, failedJobsHistoryLimit: 3, concurrencyPolicy: 'Forbid' });
    expect(cron.jobTemplate.spec).toMatchObject({ completionMode: 'Indexed', completions: 4, parallelism: 4 });
    const env = cron.jobTemplate.spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'SLACK_WEBHOOK_URL', valueFrom: { secretKeyRef: { name: 'perf-test-secrets', key: 'slack-webhook' } } });
  });

  it('rejects bad flags with 104 and lists each problem', async () => {
    const r = await runCli(['k8s', 'load.ts', '--instances', '0', '--namespace', 'Bad_NS', '--schedule', 'weekly'], { cwd: project() });
    expect(r.code).toBe(104);
    expect(r.stderr).toContain('--instances');
    expect(r.stderr).toContain('--namespace');
    expect(r.stderr).toContain('--schedule');
    expect(r.stdout).toBe('');
  });

  it("the pods' --instance arguments, run locally, add up to exactly the single-instance test", async () => {
    const dir = project();
    const n = 3;
    const docs = await manifests(dir, ['--instances', String(n), '--nats', 'nats://unused:4222']);
    const args: string[] = docs[2]!.spec.template.spec.containers[0].args;
    const at = args.indexOf('--instance');
    const before = server.total();
    const runs = await Promise.all(
      Array.from({ length: n }, (_, i) => {
        const instance = args[at + 1]!.replace('$(JOB_COMPLETION_INDEX)', String(i));
        expect(parseInstance(instance).index).toBe(i);
        return runCli(['run', 'load.ts', '--instance', instance, '-e', `BASE_URL=${server.url}`, '--results-dir', `i${i}`, '--no-summary', '--no-history', '--quiet'], { cwd: dir });
      }),
    );
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0]);
    expect(server.total() - before).toBe(30);
    const m = await runCli(['merge', 'i0', 'i1', 'i2', '--summary-export', 'merged.json', '--no-summary'], { cwd: dir });
    expect(m.stderr).not.toContain('not the whole test');
    expect(readJson(join(dir, 'merged.json')).metrics.iterations.values.count).toBe(30);
  });

  it('refuses --instance beside --execution-segment, and an index outside the count', async () => {
    const dir = project();
    const a = await runCli(['run', 'load.ts', '--instance', '3/3', '--no-results'], { cwd: dir });
    expect(a.code).toBe(104);
    expect(a.stderr).toContain('the instance index must be a whole number from 0 to 2');
    const b = await runCli(['run', 'load.ts', '--instance', '0/2', '--execution-segment', '0:1/2', '--no-results'], { cwd: dir });
    expect(b.code).toBe(104);
    expect(b.stderr).toContain('drop --execution-segment');
  });
});
