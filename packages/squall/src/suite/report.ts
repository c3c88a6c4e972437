import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SuiteOutcome } from './runner.js';
import type { Suite } from './types.js';

export type OverallStatus = 'PASS' | 'PARTIAL PASS' | 'FAIL';

/** PASS: every run passed with no WARN; PARTIAL PASS: passed with WARNs, or interrupted/skipped; FAIL: an SLO or threshold failed. */
export function overallStatus(o: SuiteOutcome): OverallStatus {
  if (o.smokeFailed || o.tests.some((t) => !t.ok)) return 'FAIL';
  if (o.interrupted || o.skipped.length > 0 || o.tests.some((t) => t.slo.some((s) => s.status === 'WARN'))) return 'PARTIAL PASS';
  return 'PASS';
}

/** Figures kept per suite run for trends: test -> "metric stat" -> value. */
export type SuiteFigures = Record<string, Record<string, number>>;

export function figuresOf(o: SuiteOutcome): SuiteFigures {
  const f: SuiteFigures = {};
  for (const t of o.tests) f[t.name] = Object.fromEntries(t.slo.filter((s) => s.actual !== undefined).map((s) => [`${s.metric} ${s.stat}`, s.actual!]));
  return f;
}

const fmt = (v: number | undefined) => (v === undefined ? 'no data' : Number.isInteger(v) ? String(v) : v.toFixed(3));

/** The suite report in seed 000's Appendix B shape (Markdown). */
export function suiteMarkdown(suite: Suite, o: SuiteOutcome, runId: string, previous: SuiteFigures | undefined): string {
  const status = overallStatus(o);
  const L: string[] = [`# Performance test report: ${suite.name}`, '', `Suite run \`${runId}\`, started ${o.startedAt.toISOString()}. **Overall status: ${status}**`, ''];
  L.push('## Test configuration', '', `- Environment: ${o.envName ?? '(none)'}`, `- Base URL: ${o.baseUrl ?? '(none)'}`);
  for (const r of o.ready) L.push(`- Ready: ${r}`);
  if (o.data) L.push(`- Data: ${o.data.count} events in the store (minimum ${o.data.min}; back-fill ${o.data.backfilled ? 'ran' : 'skipped'})`);
  L.push('');
  L.push('## Results', '');
  for (const t of o.tests) {
    L.push(`### ${t.kind === 'smoke' ? 'Smoke: ' : ''}${t.name}`, '', `Duration ${(t.result.summary.state.testRunDurationMs / 1000).toFixed(1)} s; thresholds ${t.result.thresholdsOk ? 'passed' : 'FAILED'}.`, '');
    L.push('| Metric | Target | Actual | Status |', '|---|---|---|---|');
    for (const s of t.slo) L.push(`| ${s.metric} ${s.stat} | ${s.target} | ${fmt(s.actual)} | ${s.status} |`);
    for (const th of t.result.thresholdResults) L.push(`| ${th.key} (threshold) | ${th.source} | ${fmt(th.actual)} | ${th.ok ? 'PASS' : 'FAIL'} |`);
    L.push('');
  }
  L.push('## Issues found', '');
  const issues = [
    ...(o.smokeFailed ? ['The smoke test failed; no heavier test ran.'] : []),
    ...o.tests.flatMap((t) => t.slo.filter((s) => s.status !== 'PASS').map((s) => `${t.name}: ${s.metric} ${s.stat} = ${fmt(s.actual)} (${s.status}, target ${s.target})`)),
    ...o.tests.flatMap((t) => t.result.iterationErrors.map((e) => `${t.name}: ${e.count}× ${e.text}`)),
    ...o.skipped.map((s) => `${s.name} did not run: ${s.why}`),
    ...(o.interrupted ? ['The suite was interrupted (Ctrl-C).'] : []),
  ];
  L.push(...(issues.length ? issues.map((i) => `- ${i}`) : ['None.']), '');
  L.push('## Resource utilization (peak)', '', '| Test | Metric | Peak |', '|---|---|---|');
  for (const t of o.tests) {
    for (const [k, m] of Object.entries(t.result.summary.metrics)) {
      if (k.startsWith('target_') || k.startsWith('prom_')) L.push(`| ${t.name} | ${k} | ${fmt((m.values as Record<string, number>)['max'] ?? (m.values as Record<string, number>)['value'])} |`);
    }
  }
  L.push('', '## Recommendations', '');
  const recs = (suite.report?.recommendations ?? []).filter((r) => {
    const v = o.tests.find((t) => t.name === r.test)?.result.summary.metrics[r.metric]?.values as Record<string, number> | undefined;
    return v?.[r.stat] !== undefined && v[r.stat]! > r.above;
  });
  L.push(...(recs.length ? recs.map((r) => `- **${r.priority ?? 'medium'}**: ${r.text}`) : ['None triggered.']), '');
  L.push('## Trends', '');
  if (!previous) L.push('First run of this suite: no trends yet.');
  else {
    L.push('| Test | Figure | Previous | Now | Change |', '|---|---|---|---|---|');
    for (const [test, figs] of Object.entries(figuresOf(o))) {
      for (const [k, v] of Object.entries(figs)) {
        const p = previous[test]?.[k];
        L.push(`| ${test} | ${k} | ${fmt(p)} | ${fmt(v)} | ${p ? `${(((v - p) / p) * 100).toFixed(1)}%` : '-'} |`);
      }
    }
  }
  L.push('', '## Runs', '', ...o.tests.map((t) => `- [${t.name} summary](${t.name}/summary.json)`), '');
  return L.join('\n');
}

/** Minimal HTML wrapper of the Markdown report (tables and headings). */
export function suiteHtml(md: string): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const out: string[] = [];
  let inTable = false;
  for (const line of md.split('\n')) {
    if (line.startsWith('|')) {
      if (/^\|[-|]+\|$/.test(line)) continue;
      if (!inTable) out.push('<table>');
      inTable = true;
      out.push(`<tr>${line.slice(1, -1).split('|').map((c) => `<td>${esc(c.trim())}</td>`).join('')}</tr>`);
      continue;
    }
    if (inTable) out.push('</table>');
    inTable = false;
    const h = /^(#+) (.*)$/.exec(line);
    if (h) out.push(`<h${h[1]!.length}>${esc(h[2]!)}</h${h[1]!.length}>`);
    else if (line.startsWith('- ')) out.push(`<li>${esc(line.slice(2))}</li>`);
    else if (line) out.push(`<p>${esc(line)}</p>`);
  }
  if (inTable) out.push('</table>');
  return `<!doctype html><meta charset="utf-8"><title>squall suite report</title><body>${out.join('\n')}</body>`;
}

/** Writes the run under ARCHIVE/<suite>/<runId>/ and applies retention; returns the run folder. */
export function archiveRun(archiveDir: string, suite: Suite, o: SuiteOutcome, runId: string, md: string): string {
  const runDir = resolve(archiveDir, suite.name, runId);
  mkdirSync(runDir, { recursive: true });
  writeFileSync(join(runDir, 'report.md'), md);
  writeFileSync(join(runDir, 'report.html'), suiteHtml(md));
  writeFileSync(join(runDir, 'suite.json'), JSON.stringify({ name: suite.name, runId, status: overallStatus(o), env: o.envName, startedAt: o.startedAt.toISOString(), figures: figuresOf(o) }, null, 2));
  for (const t of o.tests) {
    mkdirSync(join(runDir, t.name), { recursive: true });
    writeFileSync(join(runDir, t.name, 'summary.json'), JSON.stringify(t.result.summary, null, 2));
  }
  retain(resolve(archiveDir, suite.name), suite.archive?.keep, suite.archive?.days);
  return runDir;
}

export interface ArchivedRun { runId: string; status: string; env?: string; startedAt: string; figures: SuiteFigures }

/** Suite runs in the archive, oldest first. */
export function listSuiteRuns(archiveDir: string, name: string): ArchivedRun[] {
  const dir = resolve(archiveDir, name);
  let ids: string[];
  try {
    ids = readdirSync(dir).sort();
  } catch {
    return [];
  }
  return ids.flatMap((id) => {
    try {
      return [JSON.parse(readFileSync(join(dir, id, 'suite.json'), 'utf8')) as ArchivedRun];
    } catch {
      return [];
    }
  });
}

function retain(dir: string, keep: number | undefined, days: number | undefined): void {
  const ids = readdirSync(dir).sort();
  const cutoff = days !== undefined ? Date.now() - days * 86_400_000 : -Infinity;
  ids.forEach((id, i) => {
    const tooMany = keep !== undefined && i < ids.length - keep;
    const tooOld = statSync(join(dir, id)).mtimeMs < cutoff && i < ids.length - 1;
    if (tooMany || tooOld) rmSync(join(dir, id), { recursive: true, force: true });
  });
}

/** JUnit XML of a suite run: one testcase per test, failed SLO rows and thresholds as the failure text. */
export function suiteJunit(o: SuiteOutcome): string {
  const x = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
  const cases = o.tests.map((t) => {
    const bad = [...t.slo.filter((s) => s.status === 'FAIL').map((s) => `${s.metric} ${s.stat} = ${fmt(s.actual)} (target ${s.target})`), ...t.result.thresholdResults.filter((r) => !r.ok).map((r) => `${r.key}: ${r.source} (actual ${fmt(r.actual)})`)];
    const secs = (t.result.summary.state.testRunDurationMs / 1000).toFixed(3);
    return `  <testcase classname="${x(o.name)}" name="${x(t.name)}" time="${secs}">${bad.length ? `<failure message="${x(bad[0]!)}">${x(bad.join('\n'))}</failure>` : ''}</testcase>`;
  });
  const skipped = o.skipped.map((s) => `  <testcase classname="${x(o.name)}" name="${x(s.name)}"><skipped message="${x(s.why)}"/></testcase>`);
  const failures = o.tests.filter((t) => !t.ok).length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="${x(o.name)}" tests="${cases.length + skipped.length}" failures="${failures}" skipped="${skipped.length}">\n${[...cases, ...skipped].join('\n')}\n</testsuite>\n`;
}
