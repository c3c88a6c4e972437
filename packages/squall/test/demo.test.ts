import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tmpDir } from './helpers/cli.js';
import { launchChromium, renderReport } from './helpers/report-browser.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const artifacts = resolve(dirname(fileURLToPath(import.meta.url)), 'artifacts');

function demo(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolvePromise) => {
    const { BASE_URL: _vite, ...inherited } = process.env;
    const child = spawn(process.execPath, [join(root, 'scripts', 'demo.mjs')], { cwd: root, env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => resolvePromise({ code, out }));
  });
}

describe('npm run demo (shortened)', () => {
  it('backfills, runs the steady state with tracking and observation, holds the SLOs and writes reports that render', async () => {
    const results = join(tmpDir(), 'demo');
    const r = await demo({ DEMO_DURATION: '6s', DEMO_HISTORY_EVENTS: '20000', DEMO_QUERY_USERS: '5', DEMO_EVENTS_PER_PLANE: '4', DEMO_DRAIN: '15s', DEMO_RESULTS: results });
    expect(r.code, r.out).toBe(0);
    for (const stepLine of ['[1/4]', '[2/4]', '[3/4]', '[4/4]']) expect(r.out).toContain(stepLine);
    expect(r.out).toContain('20,000 events stored');
    expect(r.out).toContain('all thresholds held');
    const summary = JSON.parse(readFileSync(join(results, 'summary.json'), 'utf8'));
    expect(summary.metrics.events_missing.values.count).toBe(0);
    expect(summary.metrics.events_found.values.count).toBe(summary.metrics.events_accepted.values.count);
    expect(summary.metrics.queue_depth).toBeDefined(); // the target's own metrics were watched
    expect(r.out).toMatch(/recovery: recovered \d+\.\d s after the load \(queue_depth back to \d+/);
    expect(summary.metrics.recovery_complete.values.rate).toBe(1);
    expect(existsSync(join(results, 'report.md'))).toBe(true);

    mkdirSync(artifacts, { recursive: true });
    const browser = await launchChromium();
    try {
      const page = await renderReport(browser, join(results, 'report.html'), join(artifacts, 'demo-report.png'));
      expect(page.consoleErrors).toEqual([]);
      expect(page.externalRequests).toEqual([]);
      expect(page.chartsDrawn).toBe(page.chartContainers.length);
      for (const c of page.canvases) expect(c.painted, `canvas of ${c.id}`).toBeGreaterThan(0);
    } finally {
      await browser.close();
    }
    expect(statSync(join(artifacts, 'demo-report.png')).size).toBeGreaterThan(10_000);
  }, 180_000);
});
