import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's `prometheus` binary (scripts/install-system-deps.sh installs it; CI runs that). */
export const PROMETHEUS_PATH = process.env.SQUALL_PROMETHEUS ?? 'prometheus';

/** One scrape job of the generated prometheus.yml. */
export interface ScrapeConfig {
  readonly job: string;
  /** `host:port` entries, as Prometheus' static_configs want them (a full URL is reduced to its host). */
  readonly targets: readonly string[];
  /** Scrape interval in seconds; the global 1 s when absent. */
  readonly intervalS?: number;
  readonly metricsPath?: string;
}

export interface StartPrometheusOptions {
  readonly scrapeConfigs?: readonly ScrapeConfig[];
  /** Passes `--web.enable-remote-write-receiver` (accepts writes at `/api/v1/write`). */
  readonly remoteWriteReceiver?: boolean;
  /** How long to wait for `/-/ready`, in ms (default 20 s). */
  readonly readyTimeoutMs?: number;
}

/** A running Prometheus server on 127.0.0.1; `stop()` kills it and removes its data directory. */
export interface RunningPrometheus {
  /** Base URL, e.g. `http://127.0.0.1:40123` (no trailing slash). */
  readonly url: string;
  stop(): Promise<void>;
}

let available: boolean | undefined;

/** Whether the `prometheus` binary can be run here (for `describe.skipIf(!hasPrometheus())`). */
export function hasPrometheus(): boolean {
  if (available === undefined) {
    const r = spawnSync(PROMETHEUS_PATH, ['--version'], { stdio: 'ignore' });
    available = r.status === 0;
  }
  return available;
}

/** Reduces `http://host:port/path` to `host:port`; leaves `host:port` alone. */
function hostPort(target: string): string {
  return /^[a-z]+:\/\//i.test(target) ? new URL(target).host : target;
}

/** Renders prometheus.yml; JSON strings are valid YAML scalars, so values are quoted with JSON.stringify. */
function renderConfig(scrapeConfigs: readonly ScrapeConfig[]): string {
  const lines = ['global:', '  scrape_interval: 1s', '  evaluation_interval: 1s', 'scrape_configs:'];
  if (scrapeConfigs.length === 0) lines[lines.length - 1] = 'scrape_configs: []';
  for (const c of scrapeConfigs) {
    lines.push(`  - job_name: ${JSON.stringify(c.job)}`);
    if (c.intervalS !== undefined) lines.push(`    scrape_interval: ${c.intervalS}s`, `    scrape_timeout: ${Math.min(c.intervalS, 10)}s`);
    if (c.metricsPath !== undefined) lines.push(`    metrics_path: ${JSON.stringify(c.metricsPath)}`);
    lines.push('    static_configs:', `      - targets: ${JSON.stringify(c.targets.map(hostPort))}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A port that was free a moment ago (Prometheus takes a port number, not port 0). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function isReady(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

async function startOnce(opts: StartPrometheusOptions): Promise<RunningPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'squall-prometheus-'));
  const configPath = join(dir, 'prometheus.yml');
  writeFileSync(configPath, renderConfig(opts.scrapeConfigs ?? []));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = [
    `--config.file=${configPath}`,
    `--web.listen-address=127.0.0.1:${port}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    '--log.level=warn',
  ];
  if (opts.remoteWriteReceiver) args.push('--web.enable-remote-write-receiver');
  const child = spawn(PROMETHEUS_PATH, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    // Bounded: only the tail matters for a failure message.
    stderr = (stderr + d.toString()).slice(-8000);
  });
  let spawnError: Error | undefined;
  child.once('error', (e) => (spawnError = e));

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited(child);
      clearTimeout(killer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + (opts.readyTimeoutMs ?? 20_000);
  for (;;) {
    if (spawnError || child.exitCode !== null || child.signalCode !== null) {
      await stop();
      const why = spawnError ? spawnError.message : `exited with ${child.exitCode ?? child.signalCode}`;
      throw Object.assign(new Error(`prometheus ${why} before it was ready at ${url}\nstderr:\n${stderr}`), { stderr });
    }
    if (await isReady(url)) return { url, stop };
    if (Date.now() > deadline) {
      await stop();
      throw Object.assign(new Error(`prometheus did not answer 200 on ${url}/-/ready within ${opts.readyTimeoutMs ?? 20_000} ms\nstderr:\n${stderr}`), { stderr });
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Starts the real `prometheus` binary on 127.0.0.1 with a config and TSDB in a temporary directory
 * (1 s global scrape interval) and resolves once `/-/ready` answers 200. Retries once when the
 * port it picked was taken in between (another test or process bound it).
 */
export async function startPrometheus(opts: StartPrometheusOptions = {}): Promise<RunningPrometheus> {
  try {
    return await startOnce(opts);
  } catch (e) {
    if (/address already in use/i.test((e as { stderr?: string }).stderr ?? '')) return startOnce(opts);
    throw e;
  }
}
