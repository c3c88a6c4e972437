import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNatsServer } from '../src/distributed/coordination/index.js';
import { runCli, scriptsDir, tmpDir } from './helpers/cli.js';
import { startServer, type TestServer } from './helpers/server.js';

// Real parts: a private nats-server with JetStream, three `squall run --instance i/3` processes
// started by `squall run --instances 3`, and a loopback server that numbers the /r requests it
// answers (the script's `served` Trend is derived from that number, so one instance and the fleet
// record the same multiset of values) and counts /setup and /teardown calls.
const script = join(scriptsDir, 'fleet.ts');
let nats: { url: string; stop(): Promise<void> };
let server: TestServer;
let served = 0;

beforeAll(async () => {
  nats = await startNatsServer();
  server = await startServer((req, res) => {
    if (new URL(req.url ?? '/', 'http://x').pathname === '/r') served++;
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(String(served));
  });
});
afterAll(async () => {
  await server.close();
  await nats.stop();
});

function reset(): void {
  server.counts.clear();
  served = 0;
}

async function run(args: string[], env: Record<string, string> = {}, onStderr?: (s: string) => void) {
  const cwd = tmpDir();
  const r = await runCli(['run', script, '--workers', '1', '-e', `BASE_URL=${server.url}`, ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]), '--summary-export', 'summary.json', '--no-results', '--no-history', ...args], {
    cwd,
    timeoutMs: 50_000,
    onStderr,
  });
  let summary: any;
  try {
    summary = JSON.parse(readFileSync(join(cwd, 'summary.json'), 'utf8'));
  } catch {
    summary = undefined;
  }
  return { ...r, summary };
}

describe('squall run --instances 3 (NATS JetStream coordination)', () => {
  it('merges to the single-instance figures: counts exactly, percentiles within HDR precision; setup and teardown run once', async () => {
    reset();
    const single = await run([]);
    expect(single.code, single.stderr).toBe(0);
    const singleServed = server.counts.get('/r');
    reset();
    const fleet = await run(['--instances', '3', '--nats', nats.url]);
    expect(fleet.code, fleet.stderr).toBe(0);
    expect(server.counts.get('/setup')).toBe(1);
    expect(server.counts.get('/teardown')).toBe(1);
    const m = fleet.summary.metrics;
    const s = single.summary.metrics;
    // 30/s for 3 s: 90 iterations, plus the setup and teardown requests.
    expect(singleServed).toBe(90);
    expect(server.counts.get('/r')).toBe(90);
    expect(m.iterations.values.count).toBe(s.iterations.values.count);
    expect(m.http_reqs.values.count).toBe(s.http_reqs.values.count);
    expect(m.http_reqs.values.count).toBe(server.total());
    // Rates over nearly the same duration (3 s each): within a few percent.
    expect(Math.abs(m.iterations.values.rate - s.iterations.values.rate) / s.iterations.values.rate).toBeLessThan(0.05);
    for (const stat of ['min', 'med', 'max', 'p(90)', 'p(95)', 'avg']) {
      expect(m.served.values[stat], stat).toBeCloseTo(s.served.values[stat], 2);
    }
    expect(fleet.summary.fleet.covered).toEqual(['0:1/3', '1/3:2/3', '2/3:1']);
    expect(fleet.summary.fleet.missing).toEqual([]);
  }, 60_000);

  it('judges thresholds on the fleet: crossed only by the sum, abortOnFail stops all three within two intervals (exit 99)', async () => {
    reset();
    // 30 iterations/s for 10 s; each instance sends 10/s and stays under 40 for 4 s, the fleet passes 40 at ~1.4 s.
    const thresholds = JSON.stringify({ iterations: [{ threshold: 'count<40', abortOnFail: true }] });
    const r = await run(['--instances', '3', '--nats', nats.url], { DURATION: '10s', THRESHOLDS: thresholds });
    expect(r.code, r.stderr).toBe(99);
    const fleet = r.summary.fleet;
    expect(fleet.abort.key).toBe('iterations');
    for (const x of fleet.instances) {
      expect(x.status).toBe('finished');
      // Each instance judged alone would have passed: it ran < 4 s at 10/s.
      expect(x.durationMs).toBeLessThanOrEqual(fleet.abort.atMs + 2000 + 500);
    }
    expect(server.counts.get('/r') ?? 0).toBeLessThan(3 * 40);
    expect(r.stderr).toMatch(/failed on the merge .*abortOnFail/);
  }, 60_000);

  it('names an instance killed mid-run and marks the run incomplete (exit 109)', async () => {
    reset();
    let killed = false;
    const r = await run(['--instances', '3', '--nats', nats.url], { DURATION: '4s' }, (stderr) => {
      const m = /\[2\/3\] pid (\d+)/.exec(stderr);
      if (m && !killed) {
        killed = true;
        // Once the load is running (the barrier has opened and requests arrive), not before.
        const pid = Number(m[1]);
        const poll = setInterval(() => {
          if ((server.counts.get('/r') ?? 0) < 30) return;
          clearInterval(poll);
          process.kill(pid, 'SIGKILL');
        }, 50);
      }
    });
    expect(killed).toBe(true);
    expect(r.code, r.stderr).toBe(109);
    expect(r.stderr).toMatch(/instance 2 \(segment 2\/3:1\) stopped reporting/);
    expect(r.summary.fleet.missing).toEqual(['2/3:1']);
    expect(r.summary.fleet.covered).toEqual(['0:1/3', '1/3:2/3']);
    expect(server.counts.get('/teardown')).toBe(1);
  }, 60_000);
});
