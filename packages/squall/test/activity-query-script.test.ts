import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStream, resolveGenerator } from '../src/generators/registry.js';
import { runCli } from './helpers/cli.js';
import { startActivityTarget, stopActivityTargets } from './helpers/activity-target.js';

const examples = resolve(import.meta.dirname, '../../../examples/activity');
const TOKEN = 'query-script-token';

afterEach(stopActivityTargets);

describe('seed 000 query test against the AuditLogQuery API', () => {
  // The same test in squall's native async API and in k6 syntax (run unmodified through the k6 layer).
  it.each(['query-api.ts', 'k6-query.js'])('examples/activity/%s runs against the target with every check passing and reports p95', async (name) => {
    const SCRIPT = resolve(examples, name);
    const url = await startActivityTarget(['--platform-token', TOKEN, '--flush-interval', '20']);
    const config = resolveGenerator('audit', { tenants: 5, from: new Date(Date.now() - 20 * 3600e3).toISOString(), to: new Date(Date.now() - 60e3).toISOString() }, 'script', 'test');
    const source = openStream(config, { seed: 'query-script', stream: 0, salt: 0, count: 4000 });
    const lines = Array.from({ length: 4000 }, () => JSON.stringify(source.next())).join('\n');
    expect((await fetch(`${url}/events/bulk`, { method: 'POST', body: `${lines}\n` })).status).toBe(202);
    // Stored before the queries start (the target batches its inserts).
    for (let i = 0; i < 100; i++) {
      const r = await fetch(`${url}/v1/events/count?start=now-1d`, { headers: { authorization: `Bearer ${TOKEN}` } });
      if (((await r.json()) as { count: number }).count === 4000) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const run = await runCli(['run', SCRIPT, '-e', `TOKEN=${TOKEN}`, '-e', `BASE_URL=${url}`, '-e', 'DURATION=3s', '-e', 'TENANTS=5', '-e', 'MAX_PAGES=5', '--no-color'], { timeoutMs: 60_000 });
    expect([run.code, run.stderr.split('\n').filter((l) => /error|failed/i.test(l))]).toEqual([0, []]);
    expect(run.stdout).toMatch(/checks\.+: 100\.00%/);
    expect(run.stdout).toMatch(/pages: every event once, newest first — 100\.00%/);
    expect(run.stdout).toMatch(/only the tenant’s events — 100\.00%/);
    expect(run.stdout).toMatch(/'p\(95\)<1000' p\(95\)=[\d.]+m?s/);
    expect(run.stdout).toMatch(/http_req_duration\.+: avg=\S+ +p\(50\)=\S+ +p\(95\)=\S+/);
  });
});
