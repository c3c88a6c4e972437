import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeResultsDir } from '../outputs/results-dir.js';
import { escapeXml as e, writeReportFiles } from '../reports/index.js';
import { figuresOf, fmt, overallStatus, suiteReport, type ReportSection, type ReportTable, type SuiteFigures, type SuiteReport } from './report-model.js';
import type { SuiteOutcome } from './runner.js';
import type { Suite } from './types.js';

export { figuresOf, overallStatus, suiteReport, type OverallStatus, type SuiteFigures, type SuiteReport } from './report-model.js';

/** The suite report as Markdown. */
export function suiteMarkdown(suite: Suite, o: SuiteOutcome, runId: string, previous: SuiteFigures | undefined): string {
  return reportMarkdown(suiteReport(suite, o, runId, previous));
}

/** The suite report as a standalone HTML page (every text escaped; statuses styled). */
export function suiteHtml(suite: Suite, o: SuiteOutcome, runId: string, previous: SuiteFigures | undefined): string {
  return reportHtml(suiteReport(suite, o, runId, previous));
}

export function reportMarkdown(r: SuiteReport): string {
  const L: string[] = [`# ${r.title}`, '', `Suite run \`${r.runId}\`, started ${r.startedAt}. **Overall status: ${r.status}**`, ''];
  const mdTable = (t: ReportTable) => (t.rows.length === 0 ? ['None.'] : [`| ${t.head.join(' | ')} |`, `|${t.head.map(() => '---').join('|')}|`, ...t.rows.map((row) => `| ${row.join(' | ')} |`)]);
  for (const s of r.sections) {
    L.push(`## ${s.title}`, '');
    for (const p of s.paragraphs ?? []) L.push(p, '');
    if (s.items) L.push(...s.items.map((i) => `- ${i}`), '');
    for (const t of s.tables ?? []) {
      if (t.title) L.push(`### ${t.title}`, '');
      if (t.note) L.push(t.note, '');
      L.push(...mdTable(t.table), '');
    }
    if (s.links) L.push(...s.links.map((l) => `- [${l.text}](${l.href})`), '');
  }
  return L.join('\n');
}

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#0f172a;background:#f8fafc}
header{background:#0f172a;color:#f8fafc;padding:16px 28px}header h1{margin:0;font-size:20px}
main{padding:16px 28px;max-width:1200px}section{background:#fff;border:1px solid #e2e8f0;border-radius:8px;padding:12px 18px;margin:0 0 14px}
h2{font-size:16px;margin:0 0 8px}h3{font-size:14px;margin:12px 0 4px}table{border-collapse:collapse;width:100%;font-size:13px}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #e2e8f0}th{background:#f1f5f9}
.PASS{color:#15803d;font-weight:600}.WARN{color:#b45309;font-weight:600}.FAIL{color:#b91c1c;font-weight:600}.PARTIAL{color:#b45309;font-weight:600}.note{color:#64748b}`;

const statusClass = (s: string) => (s === 'PARTIAL PASS' ? 'PARTIAL' : s);

export function reportHtml(r: SuiteReport): string {
  const table = (t: ReportTable) => {
    if (t.rows.length === 0) return '<p class="note">None.</p>';
    const head = `<tr>${t.head.map((h) => `<th>${e(h)}</th>`).join('')}</tr>`;
    const rows = t.rows.map((row) => `<tr>${row.map((c, i) => (i === t.statusColumn ? `<td class="status ${e(statusClass(c))}">${e(c)}</td>` : `<td>${e(c)}</td>`)).join('')}</tr>`);
    return `<table><thead>${head}</thead><tbody>${rows.join('\n')}</tbody></table>`;
  };
  const section = (s: ReportSection) =>
    [
      `<section id="${e(s.id)}"><h2>${e(s.title)}</h2>`,
      ...(s.paragraphs ?? []).map((p) => `<p>${e(p)}</p>`),
      ...(s.items ? [`<ul>${s.items.map((i) => `<li>${e(i)}</li>`).join('')}</ul>`] : []),
      ...(s.tables ?? []).map((t) => `<div class="run"${t.title ? ` data-test="${e(t.title)}"` : ''}>${t.title ? `<h3>${e(t.title)}</h3>` : ''}${t.note ? `<p class="note">${e(t.note)}</p>` : ''}${table(t.table)}</div>`),
      ...(s.links ? [`<ul>${s.links.map((l) => `<li><a href="${e(l.href)}">${e(l.text)}</a></li>`).join('')}</ul>`] : []),
      '</section>',
    ].join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${e(r.title)}</title><style>${CSS}</style></head>
<body><header><h1>${e(r.title)}</h1><div>Suite run <code>${e(r.runId)}</code>, started ${e(r.startedAt)}. Overall status: <span id="overall" class="${e(statusClass(r.status))}">${e(r.status)}</span></div></header>
<main>
${r.sections.map(section).join('\n')}
</main></body></html>
`;
}

/**
 * Writes the run under ARCHIVE/<suite>/<runId>/ and applies retention; returns the run folder.
 * Each test gets its own results dir there (summary.json, timeseries.jsonl, meta.json) with its
 * own HTML and Markdown reports, the same files `squall run` and `squall report` write, so
 * `squall report`, `compare` and `baseline` work on an archived suite test as on any run.
 */
export async function archiveRun(archiveDir: string, suite: Suite, o: SuiteOutcome, runId: string, report: SuiteReport): Promise<string> {
  const runDir = resolve(archiveDir, suite.name, runId);
  mkdirSync(runDir, { recursive: true });
  writeFileSync(join(runDir, 'report.md'), reportMarkdown(report));
  writeFileSync(join(runDir, 'report.html'), reportHtml(report));
  writeFileSync(join(runDir, 'suite.json'), JSON.stringify({ name: suite.name, runId, status: overallStatus(o), env: o.envName, startedAt: o.startedAt.toISOString(), figures: figuresOf(o) }, null, 2));
  for (const t of o.tests) {
    const dir = join(runDir, t.name);
    const exitCode = t.result.interruption?.by === 'signal' ? 105 : t.ok ? 0 : 99;
    await writeResultsDir(dir, t.result, { scriptPath: t.script, env: {}, argv: [], exitCode, workers: undefined });
    await writeReportFiles(dir, ['html', 'markdown'], { test: t.name });
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
