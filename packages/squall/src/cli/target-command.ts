import type { Command } from 'commander';
import { SquallError } from '../errors.js';
import { ExitCode } from './exit-codes.js';
import type { CliIo } from './main.js';
import { collect, parseIntFlag } from './parse-flags.js';
import type { ConfigProblem } from '../errors.js';

/**
 * The part of `squall-activity` this command uses. Declared here, not imported, because the core
 * tool must not depend on the activity package: it is loaded only when this command runs.
 */
interface ActivityModule {
  startActivity(opts: Record<string, unknown>): Promise<{ url: string; platformToken: string; close(): Promise<void> }>;
}

interface TargetFlags {
  port?: string;
  host?: string;
  store?: string;
  queue?: string;
  fault?: string[];
  platformToken?: string;
  batchSize?: string;
  flushInterval?: string;
  queueCapacity?: string;
  natsAckWait?: string;
  requestTimeout?: string;
}

/** Package that holds the reference target; a variable so tsc does not resolve it at build time. */
const ACTIVITY_PACKAGE = 'squall-activity';

async function loadActivity(): Promise<ActivityModule> {
  try {
    return (await import(ACTIVITY_PACKAGE)) as ActivityModule;
  } catch (err) {
    if ((err as NodeJS.ErrnoException)?.code === 'ERR_MODULE_NOT_FOUND' && String((err as Error).message).includes(ACTIVITY_PACKAGE)) {
      throw new SquallError('SQUALL_USAGE', `the activity target is not installed: the package ${ACTIVITY_PACKAGE} was not found; run \`npm install ${ACTIVITY_PACKAGE}\` (in this repository: \`npm ci\` at the root)`, { cause: err });
    }
    throw err;
  }
}

/** Adds `squall target activity` to the program. */
export function registerTargetCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const target = program.command('target').description('Run a reference target to test against');
  target
    .command('activity')
    .description('The activity audit-log pipeline (ingest -> queue -> ClickHouse -> query API), until SIGINT/SIGTERM')
    .option('-p, --port <port>', 'TCP port (0: any free port)', '8080')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--store <store>', 'chdb: (temporary, the default), chdb:DIR, or http://HOST:8123 (ClickHouse server)')
    .option('--queue <queue>', 'memory (default) or nats://HOST:PORT (JetStream stream AUDIT_EVENTS)')
    .option('--fault <spec>', 'inject a fault, repeatable: latency=200ms[@0.1] | error=0.05 | stall=500ms/5s | drop=100 | slow-insert=300ms', collect)
    .option('--platform-token <token>', 'Bearer token for platform queries (default: $ACTIVITY_PLATFORM_TOKEN, else random and printed)')
    .option('--batch-size <n>', 'most events per insert (default 10000)')
    .option('--flush-interval <ms>', 'longest wait for a full batch in ms (default 250)')
    .option('--queue-capacity <n>', 'events held before ingest answers 429 (default 500000)')
    .option('--nats-ack-wait <ms>', 'NATS: redeliver an unacknowledged event after this many ms (default 30000)')
    .option('--request-timeout <ms>', 'longest time to receive a whole request, head and body, before 408 (default 60000)')
    .addHelpText('after', '\nSee docs/activity.md for the API. Example:\n  squall target activity --port 8080 --fault latency=200ms@0.1')
    .action(async (flags: TargetFlags) => {
      setExit(await targetActivity(flags, io));
    });
}

async function targetActivity(flags: TargetFlags, io: CliIo): Promise<number> {
  const problems: ConfigProblem[] = [];
  const port = parseIntFlag('--port', flags.port, 0, problems);
  const batchSize = parseIntFlag('--batch-size', flags.batchSize, 1, problems);
  const flushIntervalMs = parseIntFlag('--flush-interval', flags.flushInterval, 1, problems);
  const queueCapacity = parseIntFlag('--queue-capacity', flags.queueCapacity, 1, problems);
  const natsAckWaitMs = parseIntFlag('--nats-ack-wait', flags.natsAckWait, 100, problems);
  const requestTimeoutMs = parseIntFlag('--request-timeout', flags.requestTimeout, 100, problems);
  if (problems.length > 0) {
    io.stderr.write(`squall: invalid options:\n${problems.map((p) => `  - ${p.path}: ${p.message}`).join('\n')}\n`);
    return ExitCode.invalidConfig;
  }
  const activity = await loadActivity();
  const givenToken = flags.platformToken ?? io.env['ACTIVITY_PLATFORM_TOKEN'];
  let handle;
  try {
    handle = await activity.startActivity({
      port,
      host: flags.host,
      store: flags.store,
      queue: flags.queue,
      faults: flags.fault ?? [],
      platformToken: givenToken,
      batchSize,
      flushIntervalMs,
      queueCapacity,
      natsAckWaitMs,
      requestTimeoutMs,
      log: (line: string) => io.stderr.write(`${line}\n`),
    });
  } catch (err) {
    const code = (err as { code?: unknown })?.code;
    if (code === 'ACTIVITY_CONFIG_INVALID') {
      io.stderr.write(`squall: ${(err as Error).message}\n`);
      return ExitCode.invalidConfig;
    }
    if (typeof code === 'string' && code.startsWith('ACTIVITY_')) {
      io.stderr.write(`squall: ${(err as Error).message}\n`);
      return ExitCode.usage;
    }
    throw err;
  }
  if (givenToken === undefined) io.stderr.write(`activity: platform token (Authorization: Bearer ...): ${handle.platformToken}\n`);
  io.stdout.write(`${handle.url}\n`);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    const on = (sig: NodeJS.Signals) => {
      // A second signal during shutdown gets Node's default: exit at once.
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(sig);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
  io.stderr.write(`activity: ${signal}: storing what was acknowledged, then stopping\n`);
  await handle.close();
  return ExitCode.ok;
}
