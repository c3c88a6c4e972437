import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { parse } from 'yaml';
import { squallBin, tmpDir } from './helpers/cli.js';
import { launchChromium } from './helpers/report-browser.js';

const suiteFile = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'examples', 'suite-activity', 'squall.suite.yaml');
const declared = parse(readFileSync(suiteFile, 'utf8')) as {
  data: { min: number; events: number };
  tests: { name: string; slo?: { metric: string; stat: string; warn?: number }[] }[];
  report: { recommendations: { test: string; metric: string; stat: string; above: number; text: string; priority: string }[] };
};

function suite(cwd: string): Promise<{ code: number; err: string }> {
  return new Promise((res) => {
    const { BASE_URL: _b, ...env } = process.env;
    const child = spawn(process.execPath, [squallBin, 'suite', suiteFile, '--env', 'local'], { cwd, env: { ...env, DEMO_DURATION: '3s' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (c) => res({ code: c ?? -1, err }));
  });
}

type Summary = { metrics: Record<string, { values: Record<string, number> }> };
const fmt = (v: number | undefined) => (v === undefined ? 'no data' : Number.isInteger(v) ? String(v) : v.toFixed(3));
const value = (s: Summary, metric: string, stat: string) => s.metrics[metric]?.values[stat];

/** What Chromium rendered of a suite report.html. */
interface Rendered {
  sections: { id: string; title: string; items: string[] }[];
  runs: { test: string; note: string; rows: { cells: string[]; cls: string }[] }[];
  tables: Record<string, string[][]>;
  overall: string;
  links: { text: string; href: string; resolved: string }[];
}

async function render(htmlPath: string): Promise<Rendered> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`file://${htmlPath}`);
    const r = await page.evaluate(() => {
      const text = (e: Element | null) => (e as HTMLElement | null)?.innerText.trim() ?? '';
      const rows = (t: Element) => [...t.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => text(td)));
      return {
        sections: [...document.querySelectorAll('main > section')].map((s) => ({ id: s.id, title: text(s.querySelector('h2')), items: [...s.querySelectorAll('li')].map((li) => text(li)) })),
        runs: [...document.querySelectorAll('#results .run')].map((d) => ({
          test: d.getAttribute('data-test') ?? '',
          note: text(d.querySelector('.note')),
          rows: [...d.querySelectorAll('tbody tr')].map((tr) => ({ cells: [...tr.querySelectorAll('td')].map((td) => text(td)), cls: tr.querySelector('td.status')?.className ?? '' })),
        })),
        tables: Object.fromEntries(['resources', 'trends'].map((id) => [id, [...document.querySelectorAll(`#${id} table`)].flatMap(rows)])),
        overall: text(document.querySelector('#overall')),
        links: [...document.querySelectorAll('#runs a')].map((a) => ({ text: text(a), href: a.getAttribute('href') ?? '', resolved: (a as HTMLAnchorElement).href })),
      };
    });
    expect(errors).toEqual([]);
    return r;
  } finally {
    await browser.close();
  }
}

/** The report's judgement of one row, recomputed from its target and the summary's figure. */
function expectedStatus(target: string, actual: number, warn: number | undefined): string {
  const m = /^([<>])\s*(-?[\d.e+]+)/.exec(target);
  if (!m) return '?';
  const crosses = (limit: number) => (m[1] === '<' ? actual >= limit : actual <= limit);
  return crosses(Number(m[2])) ? 'FAIL' : warn !== undefined && crosses(warn) ? 'WARN' : 'PASS';
}

/** A threshold's status, recomputed from its source (`p(95)<2000`) and the summary's figure. */
function thresholdStatus(source: string, actual: number | undefined): string {
  const m = /^[a-z]+(?:\([\d.]+\))?\s*(<=|>=|==|!=|<|>)\s*(-?[\d.e+]+)$/.exec(source.trim());
  if (!m || actual === undefined) return 'FAIL';
  const n = Number(m[2]);
  const ok = { '<': actual < n, '<=': actual <= n, '>': actual > n, '>=': actual >= n, '==': actual === n, '!=': actual !== n }[m[1] as '<'];
  return ok ? 'PASS' : 'FAIL';
}

it("the seed-000 demo suite: back-fill count as declared, Appendix-B report from the runs' summaries (checked in Chromium), archive, trends", async () => {
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
  const summaries = runs.map((r) => Object.fromEntries(['smoke', ...declared.tests.map((t) => t.name)].map((t) => [t, JSON.parse(readFileSync(join(arch, r, t, 'summary.json'), 'utf8')) as Summary])));

  // The back-fill: the first run's report counts what the back-fill declared, and that count is what
  // the store holds: the second run's count query answers it plus the events the first run's tests ingested.
  const md1 = readFileSync(join(arch, runs[0]!, 'report.md'), 'utf8');
  const count1 = Number(/Data: (\d+) events in the store \(minimum 1000; back-fill ran\)/.exec(md1)?.[1]);
  expect(count1).toBeGreaterThanOrEqual(declared.data.min);
  expect(md1).toContain(`Back-fill: ${count1} events added (0 before, ${declared.data.events} declared)`);
  expect(count1).toBe(declared.data.events);
  expect(first.err).toContain(`data: ${count1} events after the back-fill`);
  const ingested = declared.tests.reduce((n, t) => n + 50 * value(summaries[0]![t.name]!, 'http_req_failed{scenario:ingest}', 'fails')!, 0);
  expect(second.err).toContain(`data: ${count1 + ingested} events >= ${declared.data.min}, back-fill skipped`);
  expect(md1).not.toContain('fewer than the');

  const md = readFileSync(join(arch, runs[1]!, 'report.md'), 'utf8');
  for (const h of ['## Test configuration', '## Results', '### Smoke: smoke', '### ingestion', '### queries', '## Issues found', '## Resource utilization (peak)', '## Recommendations', '## Trends', '## Runs']) expect(md).toContain(h);
  expect(md).toContain(`Data: ${count1 + ingested} events in the store (minimum 1000; back-fill skipped)`);

  // The HTML report as Chromium renders it: every Appendix-B section, every figure equal to the run's summary.
  const html = join(arch, runs[1]!, 'report.html');
  const page = await render(html);
  expect(page.sections.map((s) => s.id)).toEqual(['configuration', 'results', 'issues', 'resources', 'recommendations', 'trends', 'runs']);
  expect(page.sections.map((s) => s.title)).toEqual(['Test configuration', 'Results', 'Issues found', 'Resource utilization (peak)', 'Recommendations', 'Trends', 'Runs']);
  const config = page.sections[0]!.items;
  expect(config).toContain('Environment: local');
  expect(config.some((i) => /^Base URL: http:\/\/127\.0\.0\.1:\d+$/.test(i))).toBe(true);
  expect(config).toContain('Ready: target ready: 200');
  expect(config).toContain(`Data: ${count1 + ingested} events in the store (minimum 1000; back-fill skipped)`);

  const now = summaries[1]!;
  expect(page.runs.map((r) => r.test)).toEqual(['Smoke: smoke', 'ingestion', 'queries']);
  const problems: string[] = [];
  let worst = 'PASS';
  for (const run of page.runs) {
    const name = run.test.replace(/^Smoke: /, '');
    const s = now[name]!;
    expect(run.note).toContain(`requests ${fmt(value(s, 'http_reqs', 'count'))}, error rate ${fmt(value(s, 'http_req_failed', 'rate'))}, p95 ${fmt(value(s, 'http_req_duration', 'p(95)'))} ms`);
    expect(run.rows.length).toBeGreaterThan(0);
    for (const { cells, cls } of run.rows) {
      const [label, target, actual, status] = cells as [string, string, string, string];
      expect(cls).toBe(`status ${status}`);
      const th = /^(.+) \(threshold\)$/.exec(label);
      const [metric, stat] = th ? [th[1]!, /^([a-z]+(?:\([\d.]+\))?)/.exec(target)![1]!] : [label.slice(0, label.lastIndexOf(' ')), label.slice(label.lastIndexOf(' ') + 1)];
      const v = value(s, metric, stat);
      expect(actual, `${name} ${label}`).toBe(fmt(v));
      if (th) expect(thresholdStatus(target, v), `${name} ${label}`).toBe(status);
      else {
        const warn = declared.tests.find((t) => t.name === name)?.slo?.find((x) => x.metric === metric && x.stat === stat)?.warn;
        expect(expectedStatus(target, v!, warn), `${name} ${label}`).toBe(status);
        if (status !== 'PASS') problems.push(`${name}: ${metric} ${stat} = ${actual} (${status}, target ${target})`);
      }
      if (status === 'FAIL') worst = 'FAIL';
      else if (status === 'WARN' && worst === 'PASS') worst = 'PARTIAL PASS';
    }
  }
  const issues = page.sections[2]!.items;
  for (const p of problems) expect(issues).toContain(p);
  if (problems.length === 0 && !issues.some((i) => i.includes('×'))) expect(issues).toEqual(['None.']);
  expect(page.overall).toBe(worst);
  expect(md).toContain(`Overall status: ${worst}`);

  expect(page.tables['resources']!.length).toBeGreaterThan(0);
  for (const [test, metric, peak] of page.tables['resources']!) {
    const v = now[test!]!.metrics[metric!]!.values;
    expect(peak, `${test} ${metric}`).toBe(fmt(v['max'] ?? v['value']));
  }
  expect(page.tables['resources']!.some(([t, m]) => t === 'smoke' && m === 'target_rss_bytes')).toBe(true);
  expect(page.tables['resources']!.some(([t, m]) => t === 'ingestion' && m!.startsWith('target_'))).toBe(true);

  const recs = page.sections[4]!.items;
  for (const r of declared.report.recommendations) {
    const v = value(now[r.test]!, r.metric, r.stat);
    expect(recs.includes(`${r.priority}: ${r.text}`), r.text).toBe(v !== undefined && v > r.above);
  }

  const trends = page.tables['trends']!;
  expect(trends.length).toBeGreaterThan(0);
  for (const [test, figure, previous, current, change] of trends) {
    const [metric, stat] = [figure!.slice(0, figure!.lastIndexOf(' ')), figure!.slice(figure!.lastIndexOf(' ') + 1)];
    const p = value(summaries[0]![test!]!, metric, stat);
    const c = value(now[test!]!, metric, stat);
    expect([previous, current], `${test} ${figure}`).toEqual([fmt(p), fmt(c)]);
    expect(change).toBe(p ? `${(((c! - p) / p) * 100).toFixed(1)}%` : '-');
  }
  expect(trends.some(([t, f]) => t === 'queries' && f === 'http_req_duration{group:::tenant} p(95)')).toBe(true);

  expect(page.links.map((l) => l.text)).toEqual(['smoke', 'ingestion', 'queries'].flatMap((t) => [`${t} report`, `${t} summary`]));
  for (const l of page.links) {
    const file = fileURLToPath(l.resolved);
    expect(existsSync(file), l.href).toBe(true);
    const test = l.text.replace(/ (summary|report)$/, '');
    if (l.text.endsWith(' summary')) expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(now[test]);
    // Each test's own report is squall's run report, written from that test's archived results dir.
    else expect(readFileSync(file, 'utf8')).toContain(`<title>${test} performance test report</title>`);
  }
  for (const t of ['smoke', 'ingestion', 'queries']) {
    for (const f of ['meta.json', 'timeseries.jsonl']) expect(existsSync(join(arch, runs[1]!, t, f)), `${t}/${f}`).toBe(true);
    const md = readFileSync(join(arch, runs[1]!, t, 'report.md'), 'utf8');
    expect(md).toContain(`requests: ${now[t]!.metrics.http_reqs!.values.count} sent`);
  }
}, 170_000);
