import { execFile } from 'node:child_process';
import { hostname, cpus, totalmem, platform, arch, release } from 'node:os';
import { join, dirname } from 'node:path';
import { promisify } from 'node:util';
import type { RunTestResult } from '../engine/run-test.js';
import { formatTimeSeriesLine } from '../metrics/aggregator.js';
import { SQUALL_VERSION } from '../version.js';
import { formatRunId, testNameOfPath } from '../run-id/index.js';
import { writeFileAtomic } from './atomic-write.js';
import { redactArgv, redactEnv, scrubText, secretValues } from './redact.js';

/** Facts about the run that the results directory records beside the figures. */
export interface RunMeta {
  readonly scriptPath: string;
  /** Variables given with `-e` (values of secret-looking names are redacted). */
  readonly env: Readonly<Record<string, string>>;
  readonly argv: readonly string[];
  readonly exitCode: number;
  readonly workers: number | undefined;
}

export { redactEnv } from './redact.js';

/** Default results directory: `results/<run id>/`, the run id of history and reports (run-id/). */
export function defaultResultsDir(scriptPath: string, startedAtEpochMs: number): string {
  return join('results', formatRunId(startedAtEpochMs, testNameOfPath(scriptPath)));
}

async function gitRevision(dir: string): Promise<string | null> {
  try {
    const { stdout } = await promisify(execFile)('git', ['rev-parse', 'HEAD'], { cwd: dir, timeout: 5000 });
    return stdout.trim() || null;
  } catch {
    return null;
  }
}

/**
 * Writes `summary.json`, `timeseries.jsonl` and `meta.json` into `dir`, each atomically
 * (temp file + rename), and returns the paths written.
 */
export async function writeResultsDir(dir: string, result: RunTestResult, meta: RunMeta): Promise<string[]> {
  const summaryPath = join(dir, 'summary.json');
  const seriesPath = join(dir, 'timeseries.jsonl');
  const metaPath = join(dir, 'meta.json');
  const endedAt = result.startedAtEpochMs + result.summary.state.testRunDurationMs;
  const metaDoc = {
    squallVersion: SQUALL_VERSION,
    script: meta.scriptPath,
    argv: redactArgv(meta.argv, meta.env),
    startedAt: new Date(result.startedAtEpochMs).toISOString(),
    endedAt: new Date(endedAt).toISOString(),
    durationMs: result.summary.state.testRunDurationMs,
    exitCode: meta.exitCode,
    interruption: result.interruption ?? null,
    recovery: result.recovery ?? null,
    thresholds: result.thresholdResults,
    iterationErrors: result.iterationErrors,
    warnings: result.warnings,
    options: result.options,
    env: redactEnv(meta.env),
    gitRevision: await gitRevision(dirname(meta.scriptPath)),
    host: { hostname: hostname(), platform: platform(), arch: arch(), release: release(), cpus: cpus().length, memoryBytes: totalmem(), node: process.version, workers: meta.workers ?? null },
  };
  // A secret can reach any file (a URL tag, an option built from __ENV): each is scrubbed as text.
  const secrets = secretValues(meta.env);
  await writeFileAtomic(summaryPath, scrubText(`${JSON.stringify(result.summary, null, 2)}\n`, secrets));
  await writeFileAtomic(seriesPath, scrubText(result.timeSeries.map((p) => `${formatTimeSeriesLine(p)}\n`).join(''), secrets));
  await writeFileAtomic(metaPath, scrubText(`${JSON.stringify(metaDoc, bigintSafe, 2)}\n`, secrets));
  return [summaryPath, seriesPath, metaPath];
}

function bigintSafe(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
