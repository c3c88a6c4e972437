import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { SquallError } from '../../errors.js';
import { formatSummary } from '../../outputs/summary-text.js';
import { MAX_INSTANCES } from '../instances.js';
import type { FleetResult } from './fleet-merger.js';
import { runLocalFleet } from './local-fleet.js';

/** The CLI streams and environment the fleet commands need. */
export interface FleetIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

/** Flags of the parent that are its own, not the instances': removed from the children's command line. */
const PARENT_ONLY = new Set(['--instances', '--nats', '--summary-export', '--results-dir']);
const PARENT_ONLY_BOOL = new Set(['--no-results', '--no-history', '--no-summary', '-q', '--quiet']);

/** The instances' command line: the parent's `run` arguments without its own flags. */
export function childCommand(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    const name = a.split('=')[0] ?? a;
    if (PARENT_ONLY.has(name)) {
      if (!a.includes('=')) i++;
      continue;
    }
    if (PARENT_ONLY_BOOL.has(a)) continue;
    out.push(a);
  }
  return [...out, '--quiet', '--no-summary', '--no-results', '--no-history'];
}

/** One line saying what the merge covers. */
export function describeCoverage(r: FleetResult): string {
  const lines = [`fleet: ${r.instances.length} instances; merged segments ${r.covered.join(', ') || '(none)'}`];
  for (const x of r.instances.filter((i) => i.status === 'missing')) {
    lines.push(`fleet: instance ${x.index} (segment ${x.segment}) stopped reporting${x.lastSeenMs === undefined ? '' : ` at +${(x.lastSeenMs / 1000).toFixed(1)} s`}; the merge holds only what it sent before; the run is incomplete (exit 109)`);
  }
  if (r.abort) lines.push(`fleet: threshold ${r.abort.key}: '${r.abort.source}' failed on the merge at +${(r.abort.atMs / 1000).toFixed(1)} s (abortOnFail); every instance was stopped`);
  for (const x of r.instances) if (x.error) lines.push(`fleet: instance ${x.index}: ${x.error}`);
  return lines.join('\n');
}

/** `squall run SCRIPT --instances N [--nats URL]`: runs the fleet locally, prints the merged summary, returns the exit code. */
export async function runFleetCommand(req: {
  readonly instances: string;
  readonly nats?: string | undefined;
  readonly summaryExport?: string | undefined;
  readonly summary: boolean;
  readonly argv: readonly string[];
  readonly io: FleetIo;
  readonly stopSignal?: AbortSignal | undefined;
}): Promise<number> {
  const count = Number(req.instances);
  if (!Number.isInteger(count) || count < 1 || count > MAX_INSTANCES) {
    throw new SquallError('SQUALL_CONFIG_INVALID', `--instances: must be a whole number from 1 to ${MAX_INSTANCES}, but is "${req.instances}"`);
  }
  const runAt = req.argv.indexOf('run');
  const command = [process.execPath, ...req.argv.slice(1, runAt), ...childCommand(req.argv.slice(runAt))];
  const outcome = await runLocalFleet({
    command,
    count,
    natsUrl: req.nats,
    cwd: req.io.cwd,
    env: req.io.env,
    log: (line) => req.io.stderr.write(`${line}\n`),
    stopSignal: req.stopSignal,
  });
  const r = outcome.result;
  if (r === undefined) {
    req.io.stderr.write(`squall: the distributed run did not finish: ${outcome.failure}\n`);
    const own = outcome.exitCodes.find((c) => c === 104 || c === 107 || c === 108);
    return own ?? 109;
  }
  if (req.summary) req.io.stdout.write(`\n${formatSummary(r.summary, { color: false, thresholdResults: [...r.thresholdResults] })}\n`);
  req.io.stderr.write(`${describeCoverage(r)}\n`);
  if (req.summaryExport !== undefined) await writeFile(resolve(req.io.cwd, req.summaryExport), `${JSON.stringify({ ...r.summary, fleet: { instances: r.instances, covered: r.covered, missing: r.missing, abort: r.abort, stats: r.stats, exitCode: r.exitCode } }, null, 2)}\n`);
  return r.exitCode;
}
