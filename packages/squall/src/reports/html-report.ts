import type { Comparison } from '../compare/compute-comparison.js';
import { escapeXml as e, formatChange, formatDuration, formatFigure, formatMs, formatRate, sig3 } from './format-value.js';
import type { HtmlAssets } from './html-assets.js';
import { HTML_CLIENT_SCRIPT } from './html-client.js';
import type { ReportModel } from './report-model.js';
import type { SliceFigures } from './run-figures.js';
import type { Status } from './threshold-status.js';
import { humanThresholdLabel } from './human-labels.js';
import type { ResourceRow } from './recommendations.js';

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#0f172a;background:#f8fafc}
header{background:#0f172a;color:#f8fafc;padding:18px 28px}header h1{margin:0 0 4px;font-size:20px}header .meta{opacity:.8;font-size:13px}
main{padding:16px 28px;max-width:1400px}section{background:#fff;border:1px solid #e2e8f0;border-radius:8px;padding:14px 18px;margin:0 0 16px}
h2{font-size:16px;margin:0 0 10px}table{border-collapse:collapse;width:100%;font-size:13px}th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #e2e8f0}
th{background:#f1f5f9;font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin-bottom:16px}.card{background:#fff;border:1px solid #e2e8f0;border-radius:8px;padding:10px 16px;min-width:150px}
.card .v{font-size:20px;font-weight:600}.card .k{font-size:12px;color:#64748b}
.PASS{color:#15803d;font-weight:600}.WARN{color:#b45309;font-weight:600}.FAIL{color:#b91c1c;font-weight:600}
.better{color:#15803d}.worse{color:#b91c1c}.same{color:#64748b}.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(560px,1fr));gap:12px}
.chart{min-height:330px;overflow:visible}.chart .u-legend{font-size:12px}.note{color:#64748b;font-size:12px}
`;

function table(head: readonly string[], rows: readonly (readonly string[])[], numeric: readonly number[] = []): string {
  if (rows.length === 0) return '<p class="note">None.</p>';
  const th = head.map((h) => `<th>${e(h)}</th>`).join('');
  const tr = rows.map((r) => `<tr>${r.map((c, i) => `<td${numeric.includes(i) ? ' class="num"' : ''}>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${tr}\n</tbody></table>`;
}

const status = (s: Status) => `<span class="${s}">${s}</span>`;

function sliceRows(slices: readonly SliceFigures[]): string[][] {
  return slices.map((s) => {
    const l = s.latency;
    const cells = l === undefined ? ['—', '—', '—', '—', '—'] : [l.p50, l.p90, l.p95, l.p99, l.max].map(formatMs);
    return [e(s.name), String(s.requests), `${sig3(s.ratePerSec)}/s`, formatRate(s.errorRate), ...cells];
  });
}

function comparisonSection(title: string, c: Comparison | undefined, all: boolean): string {
  if (c === undefined) return '';
  const rows = c.deltas
    .filter((d) => all || d.rule !== undefined || /^(throughput|latency_p9|error_rate)/.test(d.key))
    .map((d) => [
      e(d.key),
      formatFigure(d.key, d.base),
      formatFigure(d.key, d.current),
      `<span class="${d.direction}">${formatChange(d.key, d.relative, d.points)} ${d.direction === 'same' ? '' : d.direction}</span>`,
      e(d.rule ?? '—'),
      d.confidence === undefined ? '—' : `${(d.confidence * 100).toFixed(1)}%`,
      d.verdict === 'regression' ? status('FAIL') : d.verdict === 'noise' ? '<span class="same">noise</span>' : d.verdict === 'improvement' ? '<span class="better">improved</span>' : d.verdict === 'ok' ? status('PASS') : '',
    ]);
  const verdict = c.regressions === 0 ? '<span class="PASS">no regression</span>' : `<span class="FAIL">${c.regressions} regression(s)</span>`;
  return `<section id="${title.toLowerCase().replace(/\W+/g, '-')}"><h2>${e(title)}</h2><p>Base: ${e(c.base.label)} (${e(c.base.runId)}) — ${verdict}</p>
${table(['Figure', 'Base', 'Current', 'Change', 'Rule', 'Confidence worse', 'Verdict'], rows, [1, 2])}</section>`;
}

function soakSection(m: ReportModel): string {
  const s = m.soak;
  if (s === undefined) return '';
  const rows = [
    ['p50', formatMs(s.first.p50), formatMs(s.last.p50)],
    ['p95', formatMs(s.first.p95), formatMs(s.last.p95)],
    ['p99', formatMs(s.first.p99), formatMs(s.last.p99)],
    ['Error rate', formatRate(s.first.errorRate), formatRate(s.last.errorRate)],
    ...s.memory.map((x) => [e(x.gauge), 'slope', `${sig3(x.slopePerHour)}/h (${(x.relativeGrowth * 100).toFixed(1)}% over the run)`]),
  ];
  const verdict = s.degraded ? s.findings.map((f) => `<p class="WARN">${e(f)}</p>`).join('') : '<p class="PASS">No degradation.</p>';
  return `<section id="soak"><h2>Soak: first vs last ${e(formatDuration(s.windowMs))}</h2>${table(['Metric', 'First window', 'Last window'], rows)}${verdict}</section>`;
}

function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function resourceCell(r: ResourceRow, v: number): string {
  if (r.unit === 'bytes') return `${sig3(v / 1048576)} MiB`;
  if (r.unit === 'cores') return `${(v * 100).toFixed(1)}% of a core`;
  return sig3(v);
}

function adviceSections(m: ReportModel): string {
  const recs = m.recommendations.length === 0 ? '<p class="PASS">None: every threshold held and nothing was lost, dropped or degraded.</p>' : `<ol>${m.recommendations.map((r) => `<li>${e(r)}</li>`).join('')}</ol>`;
  const res = m.resources.length === 0 ? '' : `<section id="resources"><h2>Resources</h2>${table(['Resource', 'Mean', 'Peak', 'Last'], m.resources.map((r) => [`${e(humanThresholdLabel(r.name, 'value'))} <code>${e(r.name)}</code>`, resourceCell(r, r.mean), resourceCell(r, r.peak), resourceCell(r, r.last)]), [1, 2, 3])}</section>`;
  return `<section id="recommendations"><h2>Recommendations</h2>${recs}</section>\n${res}`;
}

/** Formats the self-contained HTML report: uPlot and the data inlined, no network access. Pure. */
export function formatHtmlReport(m: ReportModel, assets: HtmlAssets): string {
  const f = m.figures;
  const lat = f.total.latency;
  const cards = [
    ['Status', status(m.overall)],
    ['Duration', formatDuration(f.durationMs)],
    ['Requests', `${f.total.requests.toLocaleString('en-US')}`],
    ['Throughput', `${sig3(f.total.ratePerSec)}/s`],
    ['Error rate', formatRate(f.total.errorRate)],
    ['p95 latency', lat === undefined ? '—' : formatMs(lat.p95)],
    ['p99 latency', lat === undefined ? '—' : formatMs(lat.p99)],
  ].map(([k, v]) => `<div class="card"><div class="k">${k}</div><div class="v">${v}</div></div>`).join('');
  const charts = [...m.charts.charts.map((c) => c.id), ...(m.distribution.valuesMs.length > 0 ? ['chart-distribution'] : [])]
    .map((id) => `<div class="chart" id="${id}"></div>`)
    .join('\n');
  const thresholds = table(['Metric', 'Threshold', 'Target', 'Actual', 'Status', 'Note'], m.thresholds.map((t) => [`${e(humanThresholdLabel(t.key, t.source))}<br><code>${e(t.key)}</code>`, e(t.source), e(t.target), e(t.actual), status(t.status), e(t.note)]));
  const checks = table(['Check', 'Passes', 'Fails', 'Status'], f.checks.map((c) => [e(c.path.replace(/^::/, '')), String(c.passes), String(c.fails), status(c.fails === 0 ? 'PASS' : 'FAIL')]), [1, 2]);
  const sliceHead = ['Name', 'Requests', 'Rate', 'Errors', 'p50', 'p90', 'p95', 'p99', 'max'];
  const errors = table(['Error', 'Count'], m.errors.map(([k, n]) => [e(k), String(n)]), [1]);
  const counts = m.counts.map((l) => `<p class="counts">${e(l)}</p>`).join('');
  const config = table(['Setting', 'Value'], [...m.config, ...m.scenarioConfig.map(([n, d]) => [`scenario ${n}`, d] as const)].map(([k, v]) => [e(k), e(v)]));
  const payload = jsonForScript({ charts: m.charts, distribution: m.distribution });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${e(m.title)}</title>
<style>${assets.uplotCss}</style><style>${CSS}</style></head>
<body><header><h1>${e(m.title)}</h1><div class="meta">${e(f.runId)} · started ${e(f.startedAt)} · ${e(formatDuration(f.durationMs))} · ${e(f.gitRevision ?? 'no git revision')}</div></header>
<main>
<div class="cards">${cards}</div>
${counts}
${comparisonSection('Baseline comparison', m.baseline, false)}
<section id="charts"><h2>Over time</h2><div class="charts">
${charts}
</div></section>
${adviceSections(m)}
<section id="thresholds"><h2>Thresholds</h2>${thresholds}<p class="note">WARN: held, but within ${(m.warnBand * 100).toFixed(0)}% of the limit.</p></section>
<section id="checks"><h2>Checks</h2>${checks}</section>
<section id="scenarios"><h2>Scenarios</h2>${table(sliceHead, sliceRows(f.scenarios), [1, 2, 3, 4, 5, 6, 7, 8])}</section>
<section id="endpoints"><h2>Endpoints (name tag)</h2>${table(sliceHead, sliceRows(f.endpoints.slice(0, 200)), [1, 2, 3, 4, 5, 6, 7, 8])}</section>
<section id="errors"><h2>Errors by error code / status</h2>${errors}</section>
${soakSection(m)}
${comparisonSection('Trend against the previous run', m.trend, false)}
<section id="configuration"><h2>Configuration</h2>${config}</section>
</main>
<script id="squall-data" type="application/json">${payload}</script>
<script>${assets.uplotJs.replace(/<\/script/gi, '<\\/script')}</script>
<script>${HTML_CLIENT_SCRIPT}</script>
</body></html>
`;
}
