import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { SquallError } from '../../errors.js';
import { instanceSegment } from '../instances.js';
import type { FleetResult } from './fleet-merger.js';
import { awaitFleetResult } from './instance-link.js';
import { openTransport, type FleetTransport } from './transport.js';

export const NATS_SERVER_BIN = process.env.SQUALL_NATS_SERVER ?? 'nats-server';

/** A private nats-server with JetStream on a free loopback port, for one local fleet. */
export async function startNatsServer(): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'squall-nats-'));
  const child = spawn(NATS_SERVER_BIN, ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (err) => reject(new SquallError('SQUALL_USAGE', `cannot start ${NATS_SERVER_BIN} (${err.message}); install nats-server, or pass --nats URL of a running one with JetStream`)));
    child.once('exit', (code) => reject(new SquallError('SQUALL_USAGE', `${NATS_SERVER_BIN} exited with ${code}: ${stderr.trim()}`)));
  });
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await Promise.race([waitForReady(child, () => stderr), failed]);
  } catch (err) {
    await stop();
    throw err;
  }
  failed.catch(() => {});
  return { url: `nats://127.0.0.1:${port}`, stop };
}

async function waitForReady(child: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (/Server is ready/.test(log())) return;
    if (child.exitCode !== null) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new SquallError('SQUALL_USAGE', `nats-server did not become ready within 5 s: ${log().trim()}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/** What starts the N local instances. */
export interface LocalFleetRequest {
  /** The `squall` command line of one instance without its instance flags: [node, bin, 'run', script, ...flags]. */
  readonly command: readonly string[];
  readonly count: number;
  /** An existing NATS (JetStream) server; without one a private nats-server is started and stopped. */
  readonly natsUrl?: string | undefined;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Lines from the instances (stderr and stdout), already prefixed with `[i/N]`. */
  readonly log: (line: string) => void;
  readonly stopSignal?: AbortSignal | undefined;
}

export interface LocalFleetOutcome {
  /** The merged result instance 0 published; absent when the run never got that far. */
  readonly result: FleetResult | undefined;
  /** Why there is no result (the barrier or setup failed, instance 0 died). */
  readonly failure: string | undefined;
  readonly exitCodes: readonly (number | null)[];
}

/** `squall run --instances N`: N child processes, each `squall run --instance i/N --coordinator URL`. */
export async function runLocalFleet(req: LocalFleetRequest): Promise<LocalFleetOutcome> {
  const server = req.natsUrl === undefined ? await startNatsServer() : undefined;
  const url = req.natsUrl ?? server?.url ?? '';
  const runId = randomUUID().slice(0, 8);
  let t: FleetTransport | undefined;
  try {
    t = await openTransport(url, runId, 'squall fleet parent');
    const waiting = await awaitFleetResult(t);
    const children = Array.from({ length: req.count }, (_, i) => startInstance(req, url, runId, i));
    const onStop = () => children.forEach((c) => c.kill('SIGINT'));
    req.stopSignal?.addEventListener('abort', onStop, { once: true });
    const exitCodes = await Promise.all(children.map((c) => new Promise<number | null>((r) => c.once('exit', (code) => r(code)))));
    req.stopSignal?.removeEventListener('abort', onStop);
    const outcome = await Promise.race([waiting.result, new Promise<undefined>((r) => setTimeout(() => r(undefined), 2000))]);
    waiting.stop();
    if (outcome === undefined) return { result: undefined, failure: `instance 0 (the coordinator) ended (exit ${exitCodes[0]}) without a merged result`, exitCodes };
    if ('fail' in outcome) return { result: undefined, failure: outcome.fail, exitCodes };
    return { result: outcome, failure: undefined, exitCodes };
  } finally {
    await t?.nc.close().catch(() => {});
    await server?.stop();
  }
}

function startInstance(req: LocalFleetRequest, url: string, runId: string, i: number): ChildProcess {
  const [bin, ...args] = req.command;
  const child = spawn(bin ?? process.execPath, [...args, '--instance', `${i}/${req.count}`, '--coordinator', url, '--run-id', runId], {
    cwd: req.cwd,
    env: req.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tag = `[${i}/${req.count}]`;
  req.log(`${tag} pid ${child.pid}, segment ${instanceSegment(i, req.count).segment}`);
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on('line', (line) => req.log(`${tag} ${line}`));
  }
  return child;
}
