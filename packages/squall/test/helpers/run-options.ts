import { join } from 'node:path';
import { runCliForSummary, scriptsDir, type CliRun } from './cli.js';

/** Runs test/scripts/options-from-env.ts with `options` and returns the exit code and summary. */
export async function runWithOptions(
  options: unknown,
  extra: {
    baseUrl?: string;
    path?: string;
    sleepS?: number;
    args?: string[];
    timeoutMs?: number;
    onSpawn?: (pid: number) => void;
    onStderr?: (stderrSoFar: string, pid: number) => void;
  } = {},
): Promise<CliRun & { summary: any }> {
  const args = ['run', join(scriptsDir, 'options-from-env.ts'), '--no-results', '-e', `OPTIONS=${JSON.stringify(options)}`];
  if (extra.baseUrl) args.push('-e', `BASE_URL=${extra.baseUrl}`);
  if (extra.path) args.push('-e', `URL_PATH=${extra.path}`);
  if (extra.sleepS) args.push('-e', `SLEEP=${extra.sleepS}`);
  args.push(...(extra.args ?? []));
  return runCliForSummary(args, { timeoutMs: extra.timeoutMs, onSpawn: extra.onSpawn, onStderr: extra.onStderr });
}
