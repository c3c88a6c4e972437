import { spawn, type ChildProcess } from 'node:child_process';
import { squallBin, tmpDir } from './cli.js';

const running: ChildProcess[] = [];

/**
 * Starts `squall target activity` in its own process (own embedded store in a temp dir) on a free
 * port with `args` added (e.g. `--fault drop=7`, `--queue nats://...`); resolves to its URL.
 * `stopActivityTargets()` (in afterEach) kills every one started.
 */
export function startActivityTarget(args: readonly string[]): Promise<string> {
  const child = spawn(process.execPath, [squallBin, 'target', 'activity', '--port', '0', '--store', `chdb:${tmpDir()}`, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /https?:\/\/\S+/.exec(out);
      if (m) resolve(m[0]);
    });
    child.on('exit', (code) => reject(new Error(`activity target exited with ${code} before listening`)));
  });
}

/** Kills every target `startActivityTarget` started. */
export function stopActivityTargets(): void {
  for (const t of running.splice(0)) t.kill('SIGKILL');
}
