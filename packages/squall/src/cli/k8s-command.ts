import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { ConfigError, SquallError, type ConfigProblem } from '../errors.js';
import { writeFileAtomic } from '../outputs/atomic-write.js';
import { ExitCode, exitCodeForError } from './exit-codes.js';
import type { CliIo } from './main.js';
import { collect, parseIntFlag, parseKeyValues } from './parse-flags.js';

interface K8sFlags {
  instances: string;
  namespace: string;
  image: string;
  name?: string;
  env?: string[];
  file?: string[];
  resources?: string;
  schedule?: string;
  slackSecret?: string;
  resultsClaim?: string;
  resultsSize: string;
  out?: string;
  apply?: boolean;
  nats?: string;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,50}[a-z0-9])?$/;
// Five fields (minute hour day month weekday) or a macro, as the CronJob controller accepts.
const CRON = /^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|(\S+\s+){4}\S+)$/;

function parseResources(text: string | undefined, problems: ConfigProblem[]): Record<string, string> {
  if (text === undefined) return {};
  const out = parseKeyValues('--resources', text.split(',').map((s) => s.trim()).filter(Boolean), problems);
  for (const k of Object.keys(out)) if (!['cpu', 'memory', 'ephemeral-storage'].includes(k)) problems.push({ path: '--resources', message: `unknown resource "${k}" (use cpu, memory, ephemeral-storage)` });
  return out;
}

function validate(flags: K8sFlags, problems: ConfigProblem[]): void {
  if (!DNS_LABEL.test(flags.namespace)) problems.push({ path: '--namespace', message: `must be a DNS-1123 label (lower-case letters, digits, '-'), but is ${JSON.stringify(flags.namespace)}` });
  if (flags.name !== undefined && !DNS_LABEL.test(flags.name)) problems.push({ path: '--name', message: `must be a DNS-1123 label of at most 52 characters, but is ${JSON.stringify(flags.name)}` });
  if (flags.schedule !== undefined && !CRON.test(flags.schedule.trim())) problems.push({ path: '--schedule', message: `must be a cron schedule such as "0 2 * * 0" (five fields) or @weekly, but is ${JSON.stringify(flags.schedule)}` });
  if (flags.slackSecret !== undefined && !/^[a-z0-9.-]+(:[-._a-zA-Z0-9]+)?$/.test(flags.slackSecret)) problems.push({ path: '--slack-secret', message: 'must be SECRET[:KEY], e.g. perf-test-secrets:slack-webhook' });
}

/** Adds `squall k8s SCRIPT` to the program. */
export function registerK8sCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('k8s')
    .description('Write the Kubernetes objects that run SCRIPT as N instances (an Indexed Job, or a CronJob with --schedule)')
    .argument('<script>', 'test script (.ts or .js); bundled into a ConfigMap')
    .argument('[run-args...]', 'extra `squall run` flags for every instance, after --, e.g. -- --vus 100')
    .requiredOption('-n, --instances <n>', 'instances (pods); instance i runs segment i/N:(i+1)/N')
    .option('--namespace <ns>', 'namespace of every object', 'squall')
    .option('--image <image>', 'container image with squall (see Dockerfile)', 'squall:0.1.0')
    .option('--name <name>', 'object name prefix (default: squall-<script name>)')
    .option('-e, --env <KEY=VALUE>', 'environment variable of every pod (the script sees it in __ENV), repeatable', collect)
    .option('--file <path>', 'data file the script open()s, inside its folder; repeatable', collect)
    .option('--resources <list>', 'requests = limits per pod, e.g. cpu=2,memory=2Gi')
    .option('--schedule <cron>', 'run on a schedule: a CronJob around the Job, e.g. "0 2 * * 0"')
    .option('--slack-secret <secret[:key]>', 'Secret with a Slack webhook URL, as SLACK_WEBHOOK_URL (key default slack-webhook)')
    .option('--results-claim <pvc>', 'an existing PersistentVolumeClaim for the results (default: one is created)')
    .option('--results-size <size>', 'size of the results claim created', '1Gi')
    .option('--nats <url>', 'an existing NATS server with JetStream for the coordination (default: a NATS Deployment and Service are part of the manifests)')
    .option('-o, --out <file>', 'write the manifests here instead of stdout')
    .option('--apply', 'kubectl apply them (needs kubectl and a current context)')
    .addHelpText(
      'after',
      `
Every pod writes /results/<job>/instance-<i>/; merge them with \`squall merge\` (docs/distributed.md).

Example:
  squall k8s ingestion.ts --instances 10 --namespace perf -e BASE_URL=http://activity:8080 --out ingestion.yaml
  kubectl apply -f ingestion.yaml`,
    )
    .action(async (script: string, runArgs: string[], flags: K8sFlags) => {
      setExit(await k8sCommand(script, runArgs, flags, io));
    });
}

async function k8sCommand(script: string, runArgs: string[], flags: K8sFlags, io: CliIo): Promise<number> {
  const problems: ConfigProblem[] = [];
  const instances = parseIntFlag('--instances', flags.instances, 1, problems);
  const env = parseKeyValues('--env', flags.env ?? [], problems);
  const resources = parseResources(flags.resources, problems);
  validate(flags, problems);
  try {
    if (problems.length > 0) throw new ConfigError(problems);
    const [secretName, secretKey] = (flags.slackSecret ?? '').split(':');
    // Loaded on use: the Kubernetes models take a fifth of a second to load.
    const { renderK8sManifests } = await import('../distributed/index.js');
    const { yaml, objects } = await renderK8sManifests({
      scriptPath: script,
      cwd: io.cwd,
      name: flags.name,
      namespace: flags.namespace,
      image: flags.image,
      instances: instances ?? 1,
      env,
      resources,
      runArgs,
      filePaths: flags.file ?? [],
      resultsClaim: flags.resultsClaim,
      resultsSize: flags.resultsSize,
      schedule: flags.schedule?.trim(),
      slackSecret: flags.slackSecret ? { name: secretName!, key: secretKey ?? 'slack-webhook' } : undefined,
      ...(flags.nats !== undefined ? { natsUrl: flags.nats } : {}),
    });
    if (flags.out !== undefined) {
      await writeFileAtomic(resolve(io.cwd, flags.out), yaml);
      io.stderr.write(`squall k8s: wrote ${objects.length} objects (${objects.map((o) => o.kind).join(', ')}) to ${flags.out}\n`);
    } else if (!flags.apply) {
      io.stdout.write(yaml);
    }
    if (flags.apply) return apply(yaml, io);
    return ExitCode.ok;
  } catch (err) {
    if (err instanceof SquallError) {
      io.stderr.write(`squall k8s: ${err.message}\n`);
      return exitCodeForError(err);
    }
    throw err;
  }
}

function apply(yaml: string, io: CliIo): number {
  const r = spawnSync('kubectl', ['apply', '-f', '-'], { input: yaml, encoding: 'utf8' });
  if (r.error) {
    io.stderr.write(`squall k8s: --apply needs kubectl on the PATH (${(r.error as NodeJS.ErrnoException).code}); write the file with --out and apply it where kubectl runs\n`);
    return ExitCode.usage;
  }
  io.stdout.write(r.stdout);
  io.stderr.write(r.stderr);
  return r.status === 0 ? ExitCode.ok : ExitCode.usage;
}
