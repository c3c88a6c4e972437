import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { afterAll, describe, expect, it } from 'vitest';
import { startActivity, type ActivityHandle } from '../../activity/src/index.js';
import { runCli } from './helpers/cli.js';

// Issue 17 item 16: a replay killed with -9 while a batch is in flight (the target has taken it,
// squall has not seen the 202 nor written the checkpoint) re-sends that one batch on resume.
// Replay is at-least-once, at most one batch twice per kill; the activity table (ReplacingMergeTree
// on auditID, read with FINAL) counts each event once (docs/backfill.md).
const root = mkdtempSync(join(tmpdir(), 'squall-replay-kill-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const N = 2500;
const BATCH = 500;
const DAY = { from: '2025-03-31T00:00:00Z', to: '2025-04-01T00:00:00Z' };
const TOKEN = 'platform-secret-token';

describe('backfill replay killed with -9, then resumed', () => {
  it('re-sends exactly the batch in flight at the kill; the target counts every event once (FINAL)', async () => {
    const targetDir = join(root, 'target');
    const target: ActivityHandle = await startActivity({ port: 0, store: `chdb:${targetDir}`, flushIntervalMs: 20, platformToken: TOKEN, log: () => undefined });
    // A proxy in front of the target's ingest: it forwards every batch; the third one of the first
    // run is forwarded and acknowledged by the target, but its 202 is held back while squall is killed.
    const forwarded: string[] = [];
    let requests = 0;
    let pid = 0;
    let held: ServerResponse | undefined;
    const proxy: Server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', async () => {
        const n = ++requests;
        const r = await fetch(`${target.url}/events/bulk`, { method: 'POST', body });
        const text = await r.text();
        if (r.status === 202) forwarded.push(...body.split('\n').filter((l) => l !== ''));
        if (n === 3 && held === undefined) {
          held = res;
          process.kill(pid, 'SIGKILL');
          return;
        }
        res.writeHead(r.status, { 'content-type': 'application/json' }).end(text);
      });
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/events/bulk`;
    const checkpoint = join(root, 'ck.json');
    const args = ['backfill', '--store', `chdb:${join(root, 'bulk')}`, '--events', String(N), '--days', '1', '--end', DAY.to, '--bulk-until-day', '1',
      '--replay-url', url, '--replay-batch', String(BATCH), '--replay-rate', '100000', '-q', '--checkpoint', checkpoint];
    try {
      const killed = await runCli(args, { cwd: root, onSpawn: (p) => (pid = p) });
      expect(killed.code).toBeNull(); // ended by SIGKILL
      held?.destroy();
      // Two batches were acknowledged and checkpointed; the third reached the target, unacknowledged.
      expect((JSON.parse(readFileSync(checkpoint, 'utf8')) as { delivered: Record<string, number> }).delivered).toEqual({ '0': 2 * BATCH });
      expect(forwarded).toHaveLength(3 * BATCH);

      const resumed = await runCli(args, { cwd: root });
      expect([resumed.code, resumed.stderr]).toEqual([0, '']);
      expect(resumed.stdout).toMatch(/inserted 0, replayed 1,500, already there 1,000/);
      // At-least-once: exactly the in-flight batch went twice, nothing else.
      const ids = forwarded.map((l) => (JSON.parse(l) as { auditID: string }).auditID);
      expect(ids).toHaveLength(N + BATCH);
      expect(new Set(ids).size).toBe(N);
      expect(new Set(ids.slice(2 * BATCH, 3 * BATCH))).toEqual(new Set(ids.slice(3 * BATCH, 4 * BATCH)));

      expect(await target.waitIdle(30_000)).toBe(true);
      const count = await fetch(`${target.url}/v1/events/count?start=${DAY.from}&end=${DAY.to}`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(await count.json()).toEqual({ count: N });
    } finally {
      await target.close();
      await new Promise<void>((r) => proxy.close(() => r()));
    }
    // The raw table may hold the batch twice until ClickHouse merges the parts; FINAL never does.
    const s = new Session(targetDir);
    try {
      const [raw, final, distinct] = (await s.queryAsync(`SELECT (SELECT count() FROM audit_events), (SELECT count() FROM audit_events FINAL), (SELECT uniqExact(auditID) FROM audit_events)`, { format: 'TSV' })).text().trim().split('\t').map(Number);
      expect([final, distinct]).toEqual([N, N]);
      expect(raw).toBeGreaterThanOrEqual(N);
      expect(raw).toBeLessThanOrEqual(N + BATCH);
    } finally {
      s.close();
    }
  });
});
