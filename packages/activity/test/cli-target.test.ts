import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvent, ndjson } from './helpers.js';
import { hasNatsServer, startNatsServer, type NatsServer } from './nats-server.js';

// Runs the built CLI (npm test builds first), as a user would: `squall target activity`.
const BIN = resolve(dirname(fileURLToPath(import.meta.url)), '../../squall/bin/squall.js');
const TOKEN = 'platform-secret-token';
// Event i is i seconds after BASE: every event of the test lies in the default query window [now-7d, now).
const BASE = Date.now() - 86400e3;

interface Target {
  readonly url: string;
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
}

/** Every target started, so a failing test cannot leave one running. */
const started: ChildProcess[] = [];
afterAll(() => {
  for (const c of started) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

async function startTarget(args: string[]): Promise<Target> {
  const child = spawn(process.execPath, [BIN, 'target', 'activity', '--port', '0', '--platform-token', TOKEN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const url = await new Promise<string>((resolveUrl, reject) => {
    let out = '';
    child.stdout?.on('data', (d) => {
      out += d;
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolveUrl(line.trim());
    });
    void exited.then((code) => reject(new Error(`squall target activity exited ${code}: ${stderr}`)));
  });
  return { url, child, exited };
}

async function platformCount(url: string): Promise<number> {
  const r = await fetch(`${url}/v1/events/count`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return ((await r.json()) as { count: number }).count;
}

async function waitIdle(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const text = await (await fetch(`${url}/metrics`)).text();
    if (/^activity_queue_depth_events 0$/m.test(text)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`queue not drained within ${timeoutMs} ms`);
}

async function postBatch(url: string, from: number, n: number): Promise<number> {
  const events = Array.from({ length: n }, (_, i) => auditEvent(from + i, 'org-cli', BASE));
  return (await fetch(`${url}/events/bulk`, { method: 'POST', body: ndjson(events) })).status;
}

describe('squall target activity (built CLI)', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('stores everything it acknowledged before exiting on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'activity-cli-'));
    dirs.push(dir);
    // Batches that never fill and a flush interval longer than the test: only the shutdown flush can store them.
    const first = await startTarget(['--store', `chdb:${dir}`, '--batch-size', '100000', '--flush-interval', '60000']);
    expect(await postBatch(first.url, 0, 500)).toBe(202);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    const second = await startTarget(['--store', `chdb:${dir}`]);
    expect(await platformCount(second.url)).toBe(500);
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
  });

  it('exits 104 on invalid options and names each problem', async () => {
    const child = spawn(process.execPath, [BIN, 'target', 'activity', '--fault', 'stall=9s/1s', '--queue', 'kafka://x'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d) => (stderr += d));
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(104);
    expect(stderr).toMatch(/queue must be memory or nats/);
    expect(stderr).toMatch(/0 < STALL < PERIOD/);
  });
});

describe.skipIf(!hasNatsServer)('squall target activity with NATS: SIGKILL mid-stream', () => {
  let nats: NatsServer;
  beforeAll(async () => {
    nats = await startNatsServer();
  });
  afterAll(async () => {
    await nats?.stop();
  });

  it('a killed and restarted process loses and doubles nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'activity-cli-nats-'));
    const args = ['--store', `chdb:${dir}`, '--queue', nats.url, '--nats-ack-wait', '1000', '--batch-size', '300', '--fault', 'slow-insert=100ms'];
    try {
      const first = await startTarget(args);
      for (let r = 0; r < 10; r++) expect(await postBatch(first.url, r * 200, 200)).toBe(202);
      first.child.kill('SIGKILL'); // inserts are in flight: acknowledged to the client, not yet to JetStream
      await first.exited;
      const second = await startTarget(args);
      for (let r = 10; r < 20; r++) expect(await postBatch(second.url, r * 200, 200)).toBe(202);
      await waitIdle(second.url, 60_000);
      expect(await platformCount(second.url)).toBe(4000);
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
