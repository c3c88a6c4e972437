import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveBackfillFlags } from '../src/cli/backfill-command.js';
import { planDays } from '../src/backfill/day-plan.js';
import { ConfigError } from '../src/errors.js';
import { runCli, squallBin } from './helpers/cli.js';

const root = mkdtempSync(join(tmpdir(), 'squall-backfill-now-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const DAY = 86_400_000;

async function sql(dir: string, query: string): Promise<string> {
  const s = new Session(dir);
  try {
    return (await s.queryAsync(query, { format: 'TSV' })).text().trim();
  } finally {
    s.close();
  }
}

describe('backfill writes only the past', () => {
  it('ends the default history at the end of today and cuts today at the start of the run', async () => {
    const now = Date.parse('2026-03-10T15:30:00.250Z');
    const c = await resolveBackfillFlags({ store: 'chdb:x', events: '100', days: '3' }, now);
    expect(c.endMs).toBe(Date.parse('2026-03-11T00:00:00Z'));
    expect(c.capMs).toBe(now);
    const days = planDays(c);
    expect(days.map((d) => [new Date(d.fromMs).toISOString(), new Date(d.toMs).toISOString(), d.events])).toEqual([
      ['2026-03-08T00:00:00.000Z', '2026-03-09T00:00:00.000Z', 33],
      ['2026-03-09T00:00:00.000Z', '2026-03-10T00:00:00.000Z', 33],
      ['2026-03-10T00:00:00.000Z', '2026-03-10T15:30:00.250Z', 34],
    ]);
    // At a midnight exactly, the history ends there and no day is cut.
    const midnight = Date.parse('2026-03-10T00:00:00Z');
    expect((await resolveBackfillFlags({ store: 'chdb:x', events: '100', days: '3' }, midnight)).endMs).toBe(midnight);
    // An --end after today would write the future.
    const err = await resolveBackfillFlags({ store: 'chdb:x', events: '100', days: '3', end: '2026-03-12T00:00:00Z' }, now).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems).toEqual([{ path: '--end', message: expect.stringMatching(/at most 2026-03-11T00:00:00.000Z .*writes only the past/) }]);
  });

  it('`squall backfill` twice: a count bounded by now finds exactly N, nothing later than the start', async () => {
    const cwd = mkdtempSync(join(root, 'twice-'));
    const dir = join(cwd, 'data');
    const args = ['backfill', '--store', `chdb:${dir}`, '--events', '5000', '--days', '3', '--tenants', '4', '-q'];
    const started = Date.now();
    const first = await runCli(args, { cwd });
    expect([first.code, first.stderr]).toEqual([0, '']);
    expect(first.stdout).toMatch(/inserted 5,000, replayed 0, already there 0/);
    const second = await runCli(args, { cwd });
    expect([second.code, second.stderr]).toEqual([0, '']);
    expect(second.stdout).toMatch(/inserted 0, replayed 0, already there 5,000/);
    const [n, ids, latest] = (await sql(dir, "SELECT count(), uniqExact(auditID), toUnixTimestamp64Milli(max(ts)) FROM audit_events FINAL WHERE ts <= now64(6)")).split('\t');
    expect([n, ids]).toEqual(['5000', '5000']);
    expect(Number(await sql(dir, 'SELECT count() FROM audit_events'))).toBe(5000);
    expect(Number(latest)).toBeLessThanOrEqual(started + 2000);
  });

  it('refuses up front, naming the target and what to run, when a target has the chdb directory open', async () => {
    const dir = join(root, 'busy');
    const target = spawn(process.execPath, [squallBin, 'target', 'activity', '--port', '0', '--store', `chdb:${dir}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        target.stdout.on('data', (d) => {
          out += d;
          if (out.includes('\n')) resolve(out.split('\n')[0] as string);
        });
        target.once('exit', (code) => reject(new Error(`target exited ${code}`)));
      });
      const r = await runCli(['backfill', '--store', `chdb:${dir}`, '--events', '10', '--days', '1', '-q'], { cwd: root });
      expect(r.code).toBe(104);
      expect(r.stderr).toContain(`is open in a running activity target (pid ${target.pid}, ${url})`);
      expect(r.stderr).toMatch(/Stop the target .*--replay-url embedded.*--store http:\/\/HOST:8123 --bulk-until-day K --replay-url http:\/\/127\.0\.0\.1:\d+\/events\/bulk/);
    } finally {
      target.kill('SIGTERM');
      await new Promise((r) => target.once('exit', r));
    }
    // Once the target is gone, the same directory takes the backfill, replaying today through an
    // activity target in the backfill's own process; twice still gives exactly N.
    const args = ['backfill', '--store', `chdb:${dir}`, '--events', '600', '--days', '3', '--bulk-until-day', '1', '--replay-url', 'embedded', '--replay-rate', '100000', '-q', '--checkpoint', join(root, 'busy.ck.json')];
    const ok = await runCli(args, { cwd: root });
    expect([ok.code, ok.stderr]).toEqual([0, '']);
    expect(ok.stdout).toMatch(/inserted 400, replayed 200, already there 0/);
    const again = await runCli(args, { cwd: root });
    expect(again.stdout).toMatch(/inserted 0, replayed 0, already there 600/);
    expect(await sql(dir, 'SELECT count(), uniqExact(auditID) FROM audit_events FINAL WHERE ts <= now64(6)')).toBe('600\t600');
  });
});
