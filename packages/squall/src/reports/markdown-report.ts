import { formatComparisonMarkdown } from '../compare/format-comparison.js';
import type { Comparison } from '../compare/compute-comparison.js';
import { formatChange, formatDuration, formatFigure, formatMs, formatRate, mdCell, sig3 } from './format-value.js';
import type { ReportModel } from './report-model.js';
import type { SliceFigures } from './run-figures.js';
import type { Status, ThresholdStatus } from './threshold-status.js';
import { humanThresholdLabel, sloOfThreshold } from './human-labels.js';
import { formatSloLimit } from '../slos/index.js';
import type { ResourceRow } from './recommendations.js';

const BADGE: Record<Status, string> = { PASS: '✅ PASS', WARN: '⚠️ WARN', FAIL: '❌ FAIL' };
const OVERALL: Record<Status, string> = { PASS: '✅ PASS', WARN: '⚠️ PARTIAL PASS', FAIL: '❌ FAIL' };

function statusTable(rows: readonly ThresholdStatus[], slice: SliceFigures | undefined): string[] {
  const out = ['| Metric | Target | Actual | Status |', '|--------|--------|--------|--------|'];
  for (const r of rows) out.push(`| ${mdCell(humanThresholdLabel(r.key, r.source))} (\`${mdCell(r.key)}\`) | ${mdCell(r.target)} | ${mdCell(r.actual)} | ${BADGE[r.status]} |`);
  if (slice !== undefined) {
    out.push(`| Requests | — | ${slice.requests.toLocaleString('en-US')} (${sig3(slice.ratePerSec)}/s) | — |`);
    out.push(`| Error rate | — | ${formatRate(slice.errorRate)} | — |`);
    if (slice.latency !== undefined) {
      const l = slice.latency;
      out.push(`| Latency p50 / p95 / p99 | — | ${formatMs(l.p50)} / ${formatMs(l.p95)} / ${formatMs(l.p99)} | — |`);
    }
  }
  return out;
}

function issues(rows: readonly ThresholdStatus[]): string[] {
  const bad = rows.filter((r) => r.status !== 'PASS');
  if (bad.length === 0) return ['**Issues**: None'];
  return ['**Issues**:', ...bad.map((r) => `- ${r.status === 'FAIL' ? '❌' : '⚠️'} ${r.key} '${r.source}': ${r.note}`)];
}

function trendLines(c: Comparison): string[] {
  const keys = ['throughput', 'latency_p95', 'latency_p99', 'error_rate'];
  return c.deltas
    .filter((d) => keys.includes(d.key) || d.key.startsWith('resource:'))
    .map((d) => {
      const mark = d.verdict === 'regression' ? '❌' : d.direction === 'worse' ? '⚠️' : '✅';
      return `- ${mark} ${d.key}: ${formatFigure(d.key, d.base)} → ${formatFigure(d.key, d.current)} (${formatChange(d.key, d.relative, d.points)})${d.verdict === 'regression' ? ' regression' : ''}`;
    });
}

function formatResource(r: ResourceRow, v: number): string {
  if (r.unit === 'bytes') return `${sig3(v / 1048576)} MiB`;
  if (r.unit === 'cores') return `${(v * 100).toFixed(1)}% of a core`;
  return sig3(v);
}

/** SLO lines (thresholds that judge one of the SLO table's objectives), resources, recommendations. */
function sloResourceAdvice(m: ReportModel): string[] {
  const out: string[] = [];
  const slos = m.thresholds.flatMap((t) => {
    const slo = sloOfThreshold(t.key, t.source);
    return slo === undefined ? [] : [{ slo, t }];
  });
  if (slos.length > 0) {
    out.push('## SLOs', '', '| SLO | Target | Actual | Status | Judged by |', '|-----|--------|--------|--------|-----------|');
    for (const { slo, t } of slos) {
      // A success objective judged on a failure Rate reads as the success share.
      const actual = slo.threshold.complement === true && t.actualValue !== null ? formatRate(1 - t.actualValue) : t.actual;
      out.push(`| ${mdCell(slo.title)} | ${slo.direction === 'max' ? '<' : '>'} ${mdCell(formatSloLimit(slo))} | ${mdCell(actual)} | ${BADGE[t.status]} | \`${mdCell(t.key)}: ${mdCell(t.source)}\` |`);
    }
    out.push('');
  }
  if (m.resources.length > 0) {
    out.push('## Resources', '', '| Resource | Mean | Peak | Last |', '|----------|------|------|------|');
    for (const r of m.resources) out.push(`| ${mdCell(humanThresholdLabel(r.name, 'value'))} (\`${mdCell(r.name)}\`) | ${formatResource(r, r.mean)} | ${formatResource(r, r.peak)} | ${formatResource(r, r.last)} |`);
    out.push('');
  }
  out.push('## Recommendations', '');
  if (m.recommendations.length === 0) out.push('None: every threshold held and nothing was lost, dropped or degraded.', '');
  else out.push(...m.recommendations.map((r, i) => `${i + 1}. ${r}`), '');
  return out;
}

/** Formats the Markdown report (seed 000's Appendix B shape). Pure. */
export function formatMarkdownReport(m: ReportModel): string {
  const f = m.figures;
  const out: string[] = [
    `# ${m.title}`,
    '',
    `**Test ID**: ${f.runId}`,
    `**Date**: ${f.startedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC').replace(/Z$/, ' UTC')}`,
    `**Duration**: ${formatDuration(f.durationMs)}`,
    `**Overall Status**: ${OVERALL[m.overall]}`,
    ...m.counts.map((l) => `**Counts**: ${l.replace(/^(\w+):\s+/, '$1: ')}`),
    '',
    '## Test Configuration',
    '',
    ...m.config.map(([k, v]) => `- ${k}: ${v}`),
    ...m.scenarioConfig.map(([k, v]) => `- Scenario \`${k}\`: ${v}`),
    '',
    '## Scenario Results',
    '',
  ];
  const multi = f.scenarios.length > 1;
  const global = m.thresholds.filter((t) => t.scenario === undefined);
  out.push(`### ${multi ? 'All scenarios' : `Scenario: ${f.scenarios[0]?.name ?? 'default'}`}`, '');
  out.push(...statusTable(global, f.total), '', ...issues(global), '');
  if (multi) {
    for (const s of f.scenarios) {
      const rows = m.thresholds.filter((t) => t.scenario === s.name);
      const cfg = m.scenarioConfig.find(([n]) => n === s.name)?.[1];
      out.push(`### Scenario: ${s.name}`, ...(cfg === undefined ? [] : [`**Configuration**: ${cfg}`]), '', ...statusTable(rows, s), '', ...issues(rows), '');
    }
  }
  if (f.checks.length > 0) {
    out.push('## Checks', '', '| Check | Passes | Fails | Status |', '|-------|--------|-------|--------|');
    for (const c of f.checks) out.push(`| ${mdCell(c.path.replace(/^::/, ''))} | ${c.passes} | ${c.fails} | ${c.fails === 0 ? BADGE.PASS : BADGE.FAIL} |`);
    out.push('');
  }
  if (f.endpoints.length > 0) {
    out.push('## Endpoints', '', '| Endpoint | Requests | Rate | Errors | p50 | p95 | p99 |', '|----------|----------|------|--------|-----|-----|-----|');
    for (const e of f.endpoints.slice(0, 50)) {
      const l = e.latency;
      out.push(`| ${mdCell(e.name)} | ${e.requests} | ${sig3(e.ratePerSec)}/s | ${formatRate(e.errorRate)} | ${l ? formatMs(l.p50) : '—'} | ${l ? formatMs(l.p95) : '—'} | ${l ? formatMs(l.p99) : '—'} |`);
    }
    out.push('');
  }
  if (m.errors.length > 0) {
    out.push('## Errors', '', '| Error | Count |', '|-------|-------|', ...m.errors.slice(0, 30).map(([k, n]) => `| ${mdCell(k)} | ${n} |`), '');
  }
  if (m.soak !== undefined) {
    const s = m.soak;
    out.push(`## Soak: first vs last ${formatDuration(s.windowMs)}`, '', '| Metric | First | Last |', '|--------|-------|------|');
    out.push(`| p50 | ${formatMs(s.first.p50)} | ${formatMs(s.last.p50)} |`, `| p95 | ${formatMs(s.first.p95)} | ${formatMs(s.last.p95)} |`, `| p99 | ${formatMs(s.first.p99)} | ${formatMs(s.last.p99)} |`, `| Error rate | ${formatRate(s.first.errorRate)} | ${formatRate(s.last.errorRate)} |`);
    out.push('', s.degraded ? s.findings.map((x) => `- ⚠️ ${x}`).join('\n') : 'No degradation between the first and last windows.', '');
  }
  out.push('## Performance Trends', '');
  if (m.trend === undefined) out.push('No previous run of this test in the history.', '');
  else out.push(`Compared to the previous run (${m.trend.base.runId}):`, ...trendLines(m.trend), '');
  if (m.baseline !== undefined) {
    out.push('## Baseline Comparison', '', `Baseline: ${m.baseline.base.label}`, '', formatComparisonMarkdown(m.baseline));
    out.push(m.baseline.regressions === 0 ? 'No regression.' : `**${m.baseline.regressions} regression(s)**.`, '');
  }
  out.push(...sloResourceAdvice(m));
  const failed = m.thresholds.filter((t) => t.status === 'FAIL').length;
  const warned = m.thresholds.filter((t) => t.status === 'WARN').length;
  out.push('## Conclusion', '', `**Overall Status**: ${OVERALL[m.overall]}`, '');
  out.push(`${m.thresholds.length} threshold(s): ${m.thresholds.length - failed - warned} passed, ${warned} within ${(m.warnBand * 100).toFixed(0)}% of their limit, ${failed} failed.`, '');
  return `${out.join('\n')}\n`;
}
