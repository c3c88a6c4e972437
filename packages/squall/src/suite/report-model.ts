import type { SuiteOutcome } from './runner.js';
import type { Suite } from './types.js';

export type OverallStatus = 'PASS' | 'PARTIAL PASS' | 'FAIL';
export type CellStatus = 'PASS' | 'WARN' | 'FAIL';

/** One table: a header and rows of text cells; `status` names the column that holds PASS/WARN/FAIL. */
export interface ReportTable {
  readonly head: readonly string[];
  readonly rows: readonly (readonly string[])[];
  readonly statusColumn?: number;
}

/** One section of the suite report (seed 000's Appendix B): paragraphs, list items, tables, links. */
export interface ReportSection {
  readonly id: string;
  readonly title: string;
  readonly paragraphs?: readonly string[];
  readonly items?: readonly string[];
  readonly tables?: readonly { readonly title?: string; readonly note?: string; readonly table: ReportTable }[];
  readonly links?: readonly { readonly text: string; readonly href: string }[];
}

export interface SuiteReport {
  readonly title: string;
  readonly runId: string;
  readonly startedAt: string;
  readonly status: OverallStatus;
  readonly sections: readonly ReportSection[];
}

/** Figures kept per suite run for trends: test -> "metric stat" -> value. */
export type SuiteFigures = Record<string, Record<string, number>>;

/** PASS: every run passed with no WARN; PARTIAL PASS: passed with WARNs, or interrupted/skipped; FAIL: an SLO or threshold failed. */
export function overallStatus(o: SuiteOutcome): OverallStatus {
  if (o.smokeFailed || o.tests.some((t) => !t.ok)) return 'FAIL';
  if (o.interrupted || o.skipped.length > 0 || o.tests.some((t) => t.slo.some((s) => s.status === 'WARN'))) return 'PARTIAL PASS';
  return 'PASS';
}

export function figuresOf(o: SuiteOutcome): SuiteFigures {
  const f: SuiteFigures = {};
  for (const t of o.tests) f[t.name] = Object.fromEntries(t.slo.filter((s) => s.actual !== undefined).map((s) => [`${s.metric} ${s.stat}`, s.actual!]));
  return f;
}

export const fmt = (v: number | undefined): string => (v === undefined ? 'no data' : Number.isInteger(v) ? String(v) : v.toFixed(3));

function configuration(o: SuiteOutcome): ReportSection {
  const items = [`Environment: ${o.envName ?? '(none)'}`, `Base URL: ${o.baseUrl ?? '(none)'}`, ...o.ready.map((r) => `Ready: ${r}`)];
  if (o.data) items.push(`Data: ${o.data.count} events in the store (minimum ${o.data.min}; back-fill ${o.data.backfilled ? 'ran' : 'skipped'})`);
  const d = o.data;
  if (d?.backfilled && d.before !== undefined) items.push(`Back-fill: ${d.count - d.before} events added (${d.before} before${d.events !== undefined ? `, ${d.events} declared` : ''}), counted ${d.countedAfterMs ?? 0} ms after it ended`);
  return { id: 'configuration', title: 'Test configuration', items };
}

/** The run's request totals, as its summary has them: requests, error rate, p95 latency (ms). */
function totals(metrics: SuiteOutcome['tests'][number]['result']['summary']['metrics']): string {
  const v = (m: string, stat: string) => (metrics[m]?.values as Record<string, number> | undefined)?.[stat];
  return `requests ${fmt(v('http_reqs', 'count'))}, error rate ${fmt(v('http_req_failed', 'rate'))}, p95 ${fmt(v('http_req_duration', 'p(95)'))} ms`;
}

function results(o: SuiteOutcome): ReportSection {
  const tables = o.tests.map((t) => {
    const rows = [
      ...t.slo.map((s) => [`${s.metric} ${s.stat}`, s.target, fmt(s.actual), s.status]),
      ...t.result.thresholdResults.map((th) => [`${th.key} (threshold)`, th.source, fmt(th.actual), th.ok ? 'PASS' : 'FAIL']),
    ];
    return {
      title: `${t.kind === 'smoke' ? 'Smoke: ' : ''}${t.name}`,
      note: `Duration ${(t.result.summary.state.testRunDurationMs / 1000).toFixed(1)} s; ${totals(t.result.summary.metrics)}; thresholds ${t.result.thresholdsOk ? 'passed' : 'FAILED'}.`,
      table: { head: ['Metric', 'Target', 'Actual', 'Status'], rows, statusColumn: 3 },
    };
  });
  return { id: 'results', title: 'Results', tables };
}

function issues(o: SuiteOutcome): ReportSection {
  const items = [
    ...(o.smokeFailed ? ['The smoke test failed; no heavier test ran.'] : []),
    ...(o.data && o.data.count < o.data.min ? [`The store holds ${o.data.count} events after the back-fill, fewer than the ${o.data.min} asked for.`] : []),
    ...(o.data?.events !== undefined && o.data.before !== undefined && o.data.count - o.data.before < o.data.events ? [`The back-fill added ${o.data.count - o.data.before} events, fewer than the ${o.data.events} declared (data.events).`] : []),
    ...o.tests.flatMap((t) => t.slo.filter((s) => s.status !== 'PASS').map((s) => `${t.name}: ${s.metric} ${s.stat} = ${fmt(s.actual)} (${s.status}, target ${s.target})`)),
    ...o.tests.flatMap((t) => t.result.iterationErrors.map((e) => `${t.name}: ${e.count}× ${e.text}`)),
    ...o.skipped.map((s) => `${s.name} did not run: ${s.why}`),
    ...(o.interrupted ? ['The suite was interrupted (Ctrl-C).'] : []),
  ];
  return { id: 'issues', title: 'Issues found', items: items.length ? items : ['None.'] };
}

function resources(o: SuiteOutcome): ReportSection {
  const rows: string[][] = [];
  for (const t of o.tests) {
    for (const [k, m] of Object.entries(t.result.summary.metrics)) {
      const v = m.values as Record<string, number>;
      if (k.startsWith('target_') || k.startsWith('prom_')) rows.push([t.name, k, fmt(v['max'] ?? v['value'])]);
    }
  }
  return { id: 'resources', title: 'Resource utilization (peak)', tables: [{ table: { head: ['Test', 'Metric', 'Peak'], rows } }] };
}

function recommendations(suite: Suite, o: SuiteOutcome): ReportSection {
  const recs = (suite.report?.recommendations ?? []).filter((r) => {
    const v = o.tests.find((t) => t.name === r.test)?.result.summary.metrics[r.metric]?.values as Record<string, number> | undefined;
    return v?.[r.stat] !== undefined && v[r.stat]! > r.above;
  });
  return { id: 'recommendations', title: 'Recommendations', items: recs.length ? recs.map((r) => `${r.priority ?? 'medium'}: ${r.text}`) : ['None triggered.'] };
}

function trends(o: SuiteOutcome, previous: SuiteFigures | undefined): ReportSection {
  if (!previous) return { id: 'trends', title: 'Trends', paragraphs: ['First run of this suite: no trends yet.'] };
  const rows: string[][] = [];
  for (const [test, figs] of Object.entries(figuresOf(o))) {
    for (const [k, v] of Object.entries(figs)) {
      const p = previous[test]?.[k];
      rows.push([test, k, fmt(p), fmt(v), p ? `${(((v - p) / p) * 100).toFixed(1)}%` : '-']);
    }
  }
  return { id: 'trends', title: 'Trends', tables: [{ table: { head: ['Test', 'Figure', 'Previous', 'Now', 'Change'], rows } }] };
}

/** The suite report in seed 000's Appendix B shape, as data: Markdown and HTML both render it. */
export function suiteReport(suite: Suite, o: SuiteOutcome, runId: string, previous: SuiteFigures | undefined): SuiteReport {
  return {
    title: `Performance test report: ${suite.name}`,
    runId,
    startedAt: o.startedAt.toISOString(),
    status: overallStatus(o),
    sections: [
      configuration(o),
      results(o),
      issues(o),
      resources(o),
      recommendations(suite, o),
      trends(o, previous),
      {
        id: 'runs',
        title: 'Runs',
        links: o.tests.flatMap((t) => [
          { text: `${t.name} report`, href: `${t.name}/report.html` },
          { text: `${t.name} summary`, href: `${t.name}/summary.json` },
        ]),
      },
    ],
  };
}
