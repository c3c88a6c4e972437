// Shared helpers for squall's benchmarks: finding peers, pinning, nginx, timing child processes.
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const squallBin = join(root, 'packages', 'squall', 'bin', 'squall.js');

/** Path of a command, or undefined. */
export function which(cmd) {
  try {
    return execFileSync('bash', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Installs Debian packages when missing and we are root; returns the commands still missing. */
export function ensureDebian(pkgs) {
  const missing = Object.entries(pkgs).filter(([cmd]) => !which(cmd));
  if (missing.length > 0 && process.getuid?.() === 0) {
    try {
      console.error(`installing ${missing.map(([, p]) => p).join(' ')} (apt-get)...`);
      execFileSync('bash', ['-c', `apt-get -o DPkg::Lock::Timeout=300 update -qq && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends ${missing.map(([, p]) => p).join(' ')}`], { stdio: 'ignore' });
    } catch {
      // fall through: report what is still missing
    }
  }
  return Object.keys(pkgs).filter((cmd) => !which(cmd));
}

/** Prefix that pins a command to CPU `core` when taskset exists and the core does. */
export function pin(core) {
  const last = Number(String(core).split(/[-,]/).pop());
  return which('taskset') && cpus().length > last ? ['taskset', '-c', String(core)] : [];
}

/** Starts nginx (`workers` workers, pinned to `core`: a number or a taskset list) answering 200 "ok"; returns stop(). */
export async function startNginx(port, core, workers = 1) {
  const dir = mkdtempSync(join(tmpdir(), 'squall-bench-nginx-'));
  const conf = join(dir, 'nginx.conf');
  writeFileSync(conf, `worker_processes ${workers};\ndaemon off;\nerror_log ${dir}/error.log;\npid ${dir}/nginx.pid;\nworker_rlimit_nofile 20000;\nevents { worker_connections 19000; }\nhttp {\n  access_log off;\n  keepalive_requests 10000000;\n  keepalive_timeout 300s;\n  server { listen 127.0.0.1:${port}; location / { return 200 "ok\\n"; } }\n}\n`);
  const [cmd, ...args] = [...pin(core), which('nginx') ?? '/usr/sbin/nginx', '-c', conf];
  const child = spawn(cmd, args, { stdio: 'ignore' });
  for (let i = 0; i < 50; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/`);
      if (r.ok) break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  if (child.exitCode !== null) throw new Error(`nginx exited at start (is port ${port} taken?): see ${dir}/error.log`);
  return () =>
    new Promise((r) => {
      if (child.exitCode !== null) return r();
      child.once('exit', r);
      child.kill('SIGQUIT');
    });
}

/**
 * Runs a command to completion and returns { stdout, stderr, cpuS, maxRssKb, wallS } (CPU and RSS
 * of the whole process tree, from GNU time when available).
 */
export function timed(argv, opts = {}) {
  const time = existsSync('/usr/bin/time') ? ['/usr/bin/time', '-f', 'BENCH_TIME %U %S %M %e'] : [];
  const [cmd, ...args] = [...time, ...argv];
  // stdout goes to a file: some tools exit before a pipe drains, truncating their output.
  const outPath = join(mkdtempSync(join(tmpdir(), 'squall-bench-out-')), 'stdout');
  const outFd = openSync(outPath, 'w');
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd ?? root, env: { ...process.env, NO_COLOR: '1', ...opts.env }, stdio: ['ignore', outFd, 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      closeSync(outFd);
      const stdout = readFileSync(outPath, 'utf8');
      const m = /BENCH_TIME (\S+) (\S+) (\S+) (\S+)/.exec(stderr);
      resolvePromise({ code, stdout, stderr, cpuS: m ? Number(m[1]) + Number(m[2]) : NaN, maxRssKb: m ? Number(m[3]) : NaN, wallS: m ? Number(m[4]) : NaN });
    });
  });
}

/** Median of numbers. */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Load average and core count, to print with every result. */
export function machineLine() {
  const load = execFileSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).split(' ').slice(0, 3).join(' ');
  return `${cpus().length} cores (${cpus()[0]?.model ?? '?'}), load ${load}, node ${process.version}`;
}

/** Writes a squall script into a temp dir and returns its path. */
export function tempScript(name, source) {
  const dir = mkdtempSync(join(tmpdir(), 'squall-bench-'));
  const path = join(dir, name);
  writeFileSync(path, source);
  return path;
}

/** A numeric `--name value` argument of this process, or `dflt`. */
export function arg(name, dflt) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
}
