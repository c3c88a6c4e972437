import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hasNatsServer, startNatsServer, type NatsServer } from '../../activity/test/nats-server.js';
import { startActivityTarget, stopActivityTargets } from './helpers/activity-target.js';
import { readJson, runCli, scriptsDir, tmpDir } from './helpers/cli.js';

const TOKEN = 'tracking-test-token';
afterEach(stopActivityTargets);

/** Starts the activity target with `faults` (and a NATS queue when given); resolves to its URL. */
function startTarget(faults: string[], queue?: string): Promise<string> {
  const args = ['--platform-token', TOKEN, '--flush-interval', '100', ...faults.flatMap((f) => ['--fault', f])];
  if (queue !== undefined) args.push('--queue', queue);
  return startActivityTarget(args);
}

async function trackedRun(faults: string[], events = 60, drain = '20s', queue?: string) {
  const url = await startTarget(faults, queue);
  const dir = tmpDir();
  const r = await runCli(['run', join(scriptsDir, 'tracked-ingest.ts'), '-e', `TARGET=${url}`, '-e', `TOKEN=${TOKEN}`, '-e', `EVENTS=${events}`, '-e', `DRAIN=${drain}`,
    '--workers', '2', '--no-results', '--summary-export', 'summary.json'], { cwd: dir, timeoutMs: 90_000 });
  const m = readJson(join(dir, 'summary.json')).metrics;
  return { code: r.code, stderr: r.stderr, m, count: (name: string) => m[name]?.values.count ?? 0 };
}

describe('delivery tracking against the activity target', () => {
  it('finds every accepted event and reports the ingest lag', async () => {
    const r = await trackedRun([]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.count('events_accepted')).toBe(60);
    expect(r.count('events_found')).toBe(60);
    expect(r.count('events_missing')).toBe(0);
    expect(r.m.ingest_lag.values.max).toBeGreaterThan(0);
  });

  it.skipIf(!hasNatsServer)('finds every event, none doubled, through the NATS JetStream queue', async () => {
    let nats: NatsServer | undefined;
    try {
      nats = await startNatsServer();
      const r = await trackedRun([], 60, '20s', nats.url);
      expect(r.code, r.stderr).toBe(0);
      expect(r.count('events_accepted')).toBe(60);
      expect(r.count('events_found')).toBe(60);
      expect(r.count('events_missing')).toBe(0);
      expect(r.count('events_duplicated')).toBe(0);
    } finally {
      stopActivityTargets();
      await nats?.stop();
    }
  });

  it('counts exactly the events the target dropped after its 202, and fails the threshold', async () => {
    const r = await trackedRun(['drop=7'], 60, '4s');
    expect(r.code).toBe(99);
    expect(r.count('events_accepted')).toBe(60);
    expect(r.count('events_missing')).toBe(7);
    expect(r.count('events_found')).toBe(53);
    expect(r.stderr).toContain("events_missing: 'count==0'");
  });

  it('keeps running when lookups fail: counts them and calls the events missing', async () => {
    const dir = tmpDir();
    const r = await runCli(['run', join(scriptsDir, 'tracked-failing-lookup.ts'), '--no-results', '--summary-export', 'summary.json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const m = readJson(join(dir, 'summary.json')).metrics;
    expect(m.events_accepted.values.count).toBe(10);
    expect(m.events_missing.values.count).toBe(10);
    expect(m.events_lookup_errors.values.count).toBeGreaterThan(0);
    expect(r.stderr).toContain('lookup backend down');
  });

  it('shows slow inserts in the ingest lag', async () => {
    const r = await trackedRun(['slow-insert=1500ms'], 30);
    expect(r.count('events_missing')).toBe(0);
    expect(r.m.ingest_lag.values.med).toBeGreaterThanOrEqual(1500);
  });
});
