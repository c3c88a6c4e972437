/**
 * vitest globalSetup: checks the system tools the tests drive (installed by
 * scripts/install-system-deps.sh, which `npm test` runs first as `pretest`). Under CI a missing
 * tool fails the whole run before any test starts, so no test is ever skipped there for want of a
 * dependency; elsewhere it prints which tests will be skipped and how to install what is missing.
 */
import { spawnSync } from 'node:child_process';

const TOOLS: ReadonlyArray<{ cmd: string; args: string[]; pkg: string; why: string }> = [
  { cmd: process.env.SQUALL_CHROMIUM ?? 'chromium', args: ['--version'], pkg: 'chromium', why: 'HTML report browser tests' },
  { cmd: 'nats-server', args: ['--version'], pkg: 'nats-server', why: 'NATS JetStream queue tests' },
  { cmd: 'prometheus', args: ['--version'], pkg: 'prometheus', why: 'Prometheus observe/output tests' },
  { cmd: 'promtool', args: ['--version'], pkg: 'prometheus', why: 'alert-rule tests' },
];

export default function setup(): void {
  const missing = TOOLS.filter((t) => {
    const r = spawnSync(t.cmd, t.args, { stdio: 'ignore', timeout: 20_000 });
    return r.error !== undefined || r.status !== 0;
  });
  if (missing.length === 0) return;
  const lines = missing.map((t) => `  ${t.cmd} (Debian package ${t.pkg}): needed by the ${t.why}`).join('\n');
  const fix = 'run `bash scripts/install-system-deps.sh` (as root or with sudo)';
  if (process.env.CI) {
    throw new Error(`test dependencies missing under CI (a missing dependency fails the run, it never skips tests):\n${lines}\n${fix}`);
  }
  process.stderr.write(`\nwarning: these tools are missing, so the tests that need them will be skipped:\n${lines}\n${fix}\n\n`);
}
