import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** The built CLI (tests run after `npm run build`). */
export const squallBin = resolve(here, '..', '..', 'bin', 'squall.js');
/** Test scripts folder. */
export const scriptsDir = resolve(here, '..', 'scripts');

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `squall ARGS` as a child process; `onSpawn` may signal it. */
export function runCli(
  args: readonly string[],
  opts: {
    env?: Record<string, string>;
    cwd?: string;
    timeoutMs?: number;
    onSpawn?: (pid: number) => void;
    /** Called with all stderr so far after each chunk (e.g. to signal once the load is running). */
    onStderr?: (stderrSoFar: string, pid: number) => void;
  } = {},
): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    // Vite (under vitest) puts BASE_URL=/ into the environment; scripts must not inherit it.
    const { BASE_URL: _viteBaseUrl, ...inherited } = process.env;
    const child = spawn(process.execPath, [squallBin, ...args], {
      cwd: opts.cwd ?? tmpDir(),
      env: { ...inherited, NO_COLOR: '1', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (child.pid !== undefined) opts.onStderr?.(stderr, child.pid);
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`squall ${args.join(' ')} did not finish in time\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, opts.timeoutMs ?? 60_000);
    if (child.pid !== undefined) opts.onSpawn?.(child.pid);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

/** Runs `squall ARGS --summary-export summary.json` (in `opts.cwd` or a fresh directory) and reads that summary (undefined when none was written). */
export async function runCliForSummary(args: readonly string[], opts: Parameters<typeof runCli>[1] = {}): Promise<CliRun & { summary: any }> {
  const cwd = opts.cwd ?? tmpDir();
  const r = await runCli([...args, '--summary-export', 'summary.json'], { ...opts, cwd });
  let summary: any;
  try {
    summary = readJson(join(cwd, 'summary.json'));
  } catch {
    summary = undefined;
  }
  return { ...r, summary };
}

const madeDirs: string[] = [];

/**
 * Removes every directory `tmpDir()` made in this test file (scripts/test-cleanup.ts calls it
 * after the file's last test), so the suite leaves nothing behind in the system's temp dir.
 * SQUALL_KEEP_TMP=1 keeps them, to debug a failure.
 */
export function removeTmpDirs(): void {
  if (process.env.SQUALL_KEEP_TMP === '1') return;
  for (const dir of madeDirs.splice(0)) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // still in use by a child that outlived its test: leave it to the system
    }
  }
}

/** A fresh temporary directory, removed after the test file's last test. */
export function tmpDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'squall-test-'));
  madeDirs.push(dir);
  return dir;
}

/** Reads a JSON file. */
export function readJson<T = any>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}
