import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, scriptsDir, tmpDir } from './helpers/cli.js';
import { launchChromium, renderReport } from './helpers/report-browser.js';
import { startServer, type TestServer } from './helpers/server.js';

const artifacts = resolve(dirname(fileURLToPath(import.meta.url)), 'artifacts');

// One real run (two scenarios, checks, a failing threshold, 503s) feeds every report test.
describe('squall report', () => {
  let server: TestServer;
  let work: string;
  let results: string;
  let runCode: number | null;

  beforeAll(async () => {
    server = await startServer();
    work = tmpDir();
    results = join(work, 'run');
    const r = await runCli(['run', join(scriptsDir, 'report-mix.ts'), '-e', `BASE_URL=${server.url}`, '-e', 'DURATION=3s', '--results-dir', results, '-q', '--no-summary'], { cwd: work });
    runCode = r.code;
  });
  afterAll(async () => {
    await server.close();
  });

  it('the run fails its error-rate threshold (the reports have a FAIL to show)', () => {
    expect(runCode).toBe(99);
  });

  it('writes HTML, Markdown and JUnit into the results dir and appends to GITHUB_STEP_SUMMARY', async () => {
    const summaryFile = join(work, 'step-summary.md');
    writeFileSync(summaryFile, 'before\n');
    const r = await runCli(['report', results], { cwd: work, env: { GITHUB_STEP_SUMMARY: summaryFile } });
    expect(r.code).toBe(0);
    const paths = r.stdout.trim().split('\n');
    expect(paths).toEqual([join(results, 'report.html'), join(results, 'report.md'), join(results, 'junit.xml')]);
    expect(r.stderr).toContain('overall status: FAIL');
    const md = readFileSync(join(results, 'report.md'), 'utf8');
    const appended = readFileSync(summaryFile, 'utf8');
    expect(appended).toBe(`before\n${md}`);
  });

  it('Markdown: per-scenario Target/Actual/Status tables, FAIL on the broken threshold, overall FAIL', () => {
    const md = readFileSync(join(results, 'report.md'), 'utf8');
    expect(md).toContain('| Metric | Target | Actual | Status |');
    expect(md).toMatch(/\| Error rate \(`http_req_failed`\) \| rate < 1\.00% \| [\d.]+% \| ❌ FAIL \|/);
    expect(md).toMatch(/\| P95 latency \(`http_req_duration`\) \| p\(95\) < 2\.00s \| [\d.]+(µs|ms) \| ✅ PASS \|/);
    expect(md).toContain('### Scenario: browse');
    expect(md).toContain('### Scenario: orders');
    expect(md).toMatch(/\| P99 latency \(scenario browse\) \(`http_req_duration\{scenario:browse\}`\) \| p\(99\) < 3\.00s \|/);
    expect(md).toContain('## Recommendations');
    expect(md).toMatch(/1\. Threshold http_req_failed rate<0\.01 failed/);
    expect(md).toMatch(/Check "order accepted" failed \d+ of \d+ times/);
    expect(md).toMatch(/\| error 1503 \(status 503\) \| \d+ \|/);
    expect(md).toContain('**Overall Status**: ❌ FAIL');
    expect(Buffer.byteLength(md)).toBeLessThan(1024 * 1024);
  });

  it('JUnit: one case per threshold and per check; failures carry expected and actual', () => {
    const xml = readFileSync(join(results, 'junit.xml'), 'utf8');
    expect(xml.match(/<testcase /g)?.length).toBe(4 + 2);
    const failures = xml.match(/<failure [^>]*>[^<]*<\/failure>/g) ?? [];
    // http_req_failed and the 'order accepted' check fail; the rest hold.
    expect(failures.length).toBe(2);
    expect(xml).toMatch(/<testsuites name="squall report-mix" tests="6" failures="2"/);
    expect(xml).toMatch(/<testcase classname="report-mix\.thresholds\.http_req_failed" name="rate&lt;0\.01" time="(\d+\.\d{3})">\s*<failure message="[^"]*expected rate &lt; 1\.00%, actual [\d.]+%"/);
    expect(xml).toMatch(/expected: every check passes \(\d+\/\d+\)\nactual: \d+\/\d+ passed/);
    // Every time attribute is the run's real duration (a 3 s run), never "0".
    const summary = JSON.parse(readFileSync(join(results, 'summary.json'), 'utf8'));
    const times = [...xml.matchAll(/ time="([^"]+)"/g)].map((m) => m[1]);
    expect(times.length).toBe(1 + 2 + 6);
    for (const t of times) expect(t).toBe((summary.state.testRunDurationMs / 1000).toFixed(3));
    expect(Number(times[0])).toBeGreaterThan(2.5);
  });

  it('HTML is self-contained: uPlot and data inlined, nothing fetched', () => {
    const html = readFileSync(join(results, 'report.html'), 'utf8');
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
    expect(html).toContain('uPlot');
    expect(html).toContain('id="squall-data"');
    expect(statSync(join(results, 'report.html')).size).toBeLessThan(2 * 1024 * 1024);
  });

  it('renders in headless Chromium: no console errors, every chart canvas drawn, screenshot saved', async () => {
    mkdirSync(artifacts, { recursive: true });
    const shot = join(artifacts, 'report-mix.png');
    const browser = await launchChromium();
    try {
      const page = await renderReport(browser, join(results, 'report.html'), shot);
      expect(page.consoleErrors).toEqual([]);
      expect(page.externalRequests).toEqual([]);
      // requests, latency per scenario (2), VUs, errors, distribution
      expect(page.chartContainers).toEqual(['chart-requests', 'chart-latency-0', 'chart-latency-1', 'chart-latency-2', ...page.chartContainers.filter((id) => id.startsWith('chart-name-')), 'chart-errors', 'chart-vus', 'chart-distribution']);
      expect(page.chartsDrawn).toBe(page.chartContainers.length);
      expect(page.canvases.map((c) => c.id)).toEqual(page.chartContainers);
      for (const c of page.canvases) expect(c.painted, `canvas of ${c.id}`).toBeGreaterThan(c.width * c.height * 0.01);
    } finally {
      await browser.close();
    }
    expect(statSync(shot).size).toBeGreaterThan(10_000);
  });

  it('--markdown FILE writes only that format, where asked', async () => {
    const r = await runCli(['report', results, '--markdown', 'out/r.md'], { cwd: work });
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(join(work, 'out', 'r.md'));
    expect(existsSync(join(work, 'out', 'r.md'))).toBe(true);
  });

  it('names the missing file when the directory is not a results dir', async () => {
    const empty = tmpDir();
    writeFileSync(join(empty, 'summary.json'), '{"metrics":{}}');
    const r = await runCli(['report', empty], { cwd: work });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${empty} is not a results directory: meta.json, timeseries.jsonl are missing`);
  });

  it('rejects an unknown --warn-band', async () => {
    const r = await runCli(['report', results, '--warn-band', '150%'], { cwd: work });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--warn-band must be a share such as 10% or 0.1');
  });
});
