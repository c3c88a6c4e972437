import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { squallBin, tmpDir } from './helpers/cli.js';

const suiteFile = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'examples', 'suite-activity', 'squall.suite.yaml');

function suite(cwd: string): Promise<{ code: number; err: string }> {
  return new Promise((res) => {
    const { BASE_URL: _b, ...env } = process.env;
    const child = spawn(process.execPath, [squallBin, 'suite', suiteFile, '--env', 'local'], { cwd, env: { ...env, DEMO_DURATION: '4s' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (c) => res({ code: c ?? -1, err }));
  });
}

it('the seed-000 demo suite runs, writes the Appendix-B report from the runs\' summaries, archives it, and the second run shows trends', async () => {
  const cwd = tmpDir();
  const first = await suite(cwd);
  expect(first.err).toContain('back-filling');
  expect(first.code, first.err).toBe(0);
  const second = await suite(cwd);
  expect(second.code, second.err).toBe(0);
  expect(second.err).toContain('back-fill skipped');
  const arch = join(cwd, '.squall', 'suites', 'activity-demo');
  const runs = readdirSync(arch).sort();
  expect(runs).toHaveLength(2);
  const md = readFileSync(join(arch, runs[1]!, 'report.md'), 'utf8');
  for (const h of ['## Test configuration', '## Results', '### Smoke: smoke', '### ingestion', '### queries', '## Issues found', '## Resource utilization (peak)', '## Recommendations', '## Trends', '## Runs']) expect(md).toContain(h);
  expect(md).toMatch(/Overall status: (PASS|PARTIAL PASS)/);
  expect(md).toMatch(/Data: \d+ events in the store \(minimum 1000; back-fill skipped\)/);
  const s = JSON.parse(readFileSync(join(arch, runs[1]!, 'queries', 'summary.json'), 'utf8'));
  const rate = s.metrics['http_req_failed{scenario:queries}'].values.rate as number;
  expect(md).toContain(`| http_req_failed{scenario:queries} rate | < 0.005 | ${Number.isInteger(rate) ? rate : rate.toFixed(3)} |`);
  expect(md).toMatch(/\| queries \| http_req_duration\{group:::tenant\} p\(95\) \| [\d.]+ \| [\d.]+ \| -?[\d.]+% \|/);
  expect(md).toContain('| ingestion | target_');
  expect(md).toMatch(/\| smoke \| target_rss_bytes \| \d+ \|/);
}, 170_000);
