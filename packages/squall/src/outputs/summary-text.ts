import pc from 'picocolors';
import type { GroupSummary, MetricContains, MetricSummary, MetricType, SummaryData } from '../metrics/types.js';
import { countLines } from '../metrics/counts.js';
import type { ThresholdResult } from '../thresholds/evaluate.js';
import { isExpressionError, parseThresholdExpression } from '../thresholds/expression.js';

type Colors = ReturnType<typeof pc.createColors>;
type MetricKind = { readonly type: MetricType; readonly contains: MetricContains };

const KINDS = ['HTTP', 'EXECUTION', 'NETWORK', 'CUSTOM'] as const;
const EXECUTION_NAMES: ReadonlySet<string> = new Set(['dropped_iterations', 'group_duration']);
/** `summaryTimeUnit` values: ms per unit and the suffix printed. */
const TIME_UNITS: Readonly<Record<string, { readonly ms: number; readonly suffix: string }>> = {
  ns: { ms: 1e-6, suffix: 'ns' },
  us: { ms: 1e-3, suffix: 'µs' },
  µs: { ms: 1e-3, suffix: 'µs' },
  ms: { ms: 1, suffix: 'ms' },
  s: { ms: 1000, suffix: 's' },
  m: { ms: 60_000, suffix: 'm' },
  h: { ms: 3_600_000, suffix: 'h' },
};
const MISSING = '-';

/**
 * The k6-like end-of-test text summary: thresholds, then the checks tree (with the `checks` rate),
 * then metrics by kind (HTTP, EXECUTION, NETWORK, CUSTOM). `thresholdResults` supplies actual values;
 * without it, outcomes come from `metrics[KEY].thresholds` and values from the summary. Pure; the
 * result ends with a newline and never contains `undefined` or `NaN` (a missing value prints `-`).
 */
export function formatSummary(data: SummaryData, opts: { color: boolean; thresholdResults?: ThresholdResult[] }): string {
  const c = pc.createColors(opts.color);
  const timeUnit = data.options.summaryTimeUnit ?? '';
  const rows = metricRows(data, c, timeUnit);
  const sections = [
    section(c, 'THRESHOLDS', thresholdLines(data, c, timeUnit, opts.thresholdResults)),
    section(c, 'CHECKS', [...rows.checks, ...groupLines(data.root_group, c, 0)]),
    section(c, 'METRICS', rows.byKind),
    section(c, 'COUNTS', countLines(data)),
  ].filter((s) => s !== '');
  return sections.length === 0 ? '' : `${sections.join('\n\n')}\n`;
}

function section(c: Colors, title: string, lines: string[]): string {
  if (lines.length === 0) return '';
  const body = lines.map((l) => (l === '' ? '' : `    ${l}`)).join('\n');
  return `  ${c.bold(`█ ${title}`)}\n\n${body}`;
}

function mark(c: Colors, ok: boolean): string {
  return ok ? c.green('✓') : c.red('✗');
}

// --- thresholds ---

function thresholdLines(data: SummaryData, c: Colors, timeUnit: string, given: ThresholdResult[] | undefined): string[] {
  const results = given ?? resultsFromSummary(data);
  const byKey = new Map<string, ThresholdResult[]>();
  for (const r of results) byKey.set(r.key, [...(byKey.get(r.key) ?? []), r]);
  const lines: string[] = [];
  for (const [key, list] of byKey) {
    if (lines.length > 0) lines.push('');
    lines.push(key);
    const metric = data.metrics[key] ?? data.metrics[parentName(key)];
    for (const r of list) {
      const expr = parseThresholdExpression(r.source);
      const agg = isExpressionError(expr) ? undefined : expr.aggregation;
      const actual =
        r.noData || r.actual === undefined || agg === undefined
          ? c.dim('(no samples)')
          : `${agg}=${formatAggregate(agg, r.actual, metric, timeUnit)}`;
      lines.push(`${mark(c, r.ok)} '${r.source}' ${actual}`);
    }
  }
  return lines;
}

function resultsFromSummary(data: SummaryData): ThresholdResult[] {
  const results: ThresholdResult[] = [];
  for (const [key, m] of Object.entries(data.metrics)) {
    for (const [source, { ok }] of Object.entries(m.thresholds ?? {})) {
      const expr = parseThresholdExpression(source);
      const actual = isExpressionError(expr) ? undefined : m.values[expr.aggregation];
      const noData = actual === undefined || !Number.isFinite(actual);
      results.push({ key, source, ok, actual: noData ? undefined : actual, noData, abortOnFail: false });
    }
  }
  return results;
}

function formatAggregate(agg: string, v: number, metric: MetricKind | undefined, timeUnit: string): string {
  if (metric === undefined) return plain(v);
  if (agg === 'rate' && metric.type === 'counter') return `${humanize(v, metric, timeUnit)}/s`;
  // A count is a number of samples, even of a time Trend (not "count=302ms").
  if (agg === 'count') return plain(v);
  return humanize(v, metric, timeUnit);
}

// --- checks ---

function groupLines(group: GroupSummary, c: Colors, depth: number): string[] {
  const pad = '  '.repeat(depth);
  const lines: string[] = [];
  for (const check of group.checks) {
    const total = check.passes + check.fails;
    const pct = percent(total === 0 ? 0 : check.passes / total);
    const counts = `${c.green('✓')} ${check.passes} / ${c.red('✗')} ${check.fails}`;
    lines.push(`${pad}${mark(c, check.fails === 0)} ${check.name} ${c.dim('—')} ${pct} ${counts}`);
  }
  for (const sub of group.groups) {
    lines.push(`${pad}█ ${sub.name}`, ...groupLines(sub, c, depth + 1));
  }
  return lines;
}

// --- metrics ---

interface Row {
  readonly kind: (typeof KINDS)[number] | 'CHECKS';
  readonly label: string;
  readonly columns: string[];
  readonly trend: boolean;
}

function metricRows(data: SummaryData, c: Colors, timeUnit: string): { checks: string[]; byKind: string[] } {
  const keys = Object.keys(data.metrics);
  const parents = keys.filter((k) => !k.includes('{') || data.metrics[parentName(k)] === undefined).sort();
  const rows: Row[] = [];
  for (const key of parents) {
    rows.push(rowFor(key, key, data, timeUnit));
    const subs = keys.filter((k) => k !== key && k.includes('{') && parentName(k) === key).sort();
    for (const sub of subs) rows.push(rowFor(sub, `  { ${sub.slice(sub.indexOf('{') + 1, -1)} }`, data, timeUnit));
  }
  const labelWidth = Math.max(0, ...rows.map((r) => r.label.length)) + 3;
  const trendWidths = columnWidths(rows.filter((r) => r.trend));
  const otherWidths = columnWidths(rows.filter((r) => !r.trend));
  const render = (r: Row): string => {
    const widths = r.trend ? trendWidths : otherWidths;
    const values = r.columns.map((col, i) => (i === r.columns.length - 1 ? col : col.padEnd(widths[i] ?? 0))).join(' ');
    return `${r.label}${c.dim('.'.repeat(labelWidth - r.label.length))}: ${values}`;
  };
  const byKind: string[] = [];
  for (const kind of KINDS) {
    const ofKind = rows.filter((r) => r.kind === kind);
    if (ofKind.length === 0) continue;
    if (byKind.length > 0) byKind.push('');
    byKind.push(kind, ...ofKind.map(render));
  }
  const checkRows = rows.filter((r) => r.kind === 'CHECKS').map(render);
  return { checks: checkRows.length > 0 ? [...checkRows, ''] : [], byKind };
}

function columnWidths(rows: readonly Row[]): number[] {
  const widths: number[] = [];
  for (const r of rows) r.columns.forEach((col, i) => (widths[i] = Math.max(widths[i] ?? 0, col.length)));
  return widths;
}

function rowFor(key: string, label: string, data: SummaryData, timeUnit: string): Row {
  const m = data.metrics[key] as MetricSummary;
  const name = parentName(key);
  const kind =
    name === 'checks' ? 'CHECKS'
    : name.startsWith('http_') ? 'HTTP'
    : name.startsWith('iteration') || name.startsWith('vus') || EXECUTION_NAMES.has(name) ? 'EXECUTION'
    : name.startsWith('data_') ? 'NETWORK'
    : 'CUSTOM';
  return { kind, label, columns: columnsFor(m, data.options.summaryTrendStats, timeUnit), trend: m.type === 'trend' };
}

function columnsFor(m: MetricSummary, trendStats: readonly string[], timeUnit: string): string[] {
  const v = m.values;
  const h = (x: number | undefined): string => (x === undefined ? MISSING : humanize(x, m, timeUnit));
  switch (m.type) {
    case 'counter':
      return [h(v.count ?? 0), `${h(v.rate ?? 0)}/s`];
    case 'gauge':
      return [h(v.value), `min=${h(v.min)}`, `max=${h(v.max)}`];
    case 'rate': {
      const passes = finiteOr(v.passes, 0);
      const total = passes + finiteOr(v.fails, 0);
      return [h(v.rate ?? 0), `${passes} out of ${total}`];
    }
    case 'trend':
      return trendStats.map((stat) => `${stat}=${h(v[stat])}`);
  }
}

// --- values, as k6 formats them ---

function humanize(v: number, m: MetricKind, timeUnit: string): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? MISSING : v > 0 ? '∞' : '-∞';
  if (m.type === 'rate') return percent(v);
  if (m.contains === 'data') return bytes(v);
  if (m.contains === 'time') return duration(v, timeUnit);
  return plain(v);
}

function plain(v: number): string {
  return Number.isFinite(v) ? String(Number.parseFloat(v.toFixed(6))) : MISSING;
}

/** A 0..1 ratio as a percentage truncated (not rounded) to 2 decimals, as k6 does. */
function percent(ratio: number): string {
  return `${(Math.trunc(ratio * 100 * 100) / 100).toFixed(2)}%`;
}

function bytes(n: number): string {
  if (n < 0) return `-${bytes(-n)}`;
  if (n < 10) return `${plain(n)} B`;
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'] as const;
  const e = Math.min(units.length - 1, Math.floor(Math.log(n) / Math.log(1000)));
  const val = Math.floor((n / 1000 ** e) * 10 + 0.5) / 10;
  return `${val.toFixed(val < 10 ? 1 : 0)} ${units[e] ?? 'B'}`;
}

/** Milliseconds as k6 prints them: `0s`, `850ns`, `12.5µs`, `1.23ms`, `2.5s`, `1m2s`, `1h0m5s`. */
function duration(ms: number, timeUnit: string): string {
  const fixed = TIME_UNITS[timeUnit];
  if (fixed !== undefined) return `${(ms / fixed.ms).toFixed(2)}${fixed.suffix}`;
  if (ms < 0) return `-${duration(-ms, timeUnit)}`;
  if (ms === 0) return '0s';
  if (ms < 0.001) return `${Math.trunc(ms * 1e6)}ns`;
  if (ms < 1) return `${truncFixed(ms * 1000, 2)}µs`;
  if (ms < 1000) return `${truncFixed(ms, 2)}ms`;
  const seconds = `${truncFixed((ms % 60_000) / 1000, ms > 60_000 ? 0 : 2)}s`;
  const minutes = Math.trunc(ms / 60_000);
  if (minutes < 1) return seconds;
  const hours = Math.trunc(minutes / 60);
  return hours < 1 ? `${minutes}m${seconds}` : `${hours}h${minutes % 60}m${seconds}`;
}

function truncFixed(v: number, digits: number): string {
  const mult = 10 ** digits;
  return String(Number.parseFloat((Math.trunc(v * mult) / mult).toFixed(digits)));
}

function finiteOr(v: number | undefined, fallback: number): number {
  return v !== undefined && Number.isFinite(v) ? v : fallback;
}

/** `http_req_duration{status:200}` -> `http_req_duration`. */
function parentName(key: string): string {
  const brace = key.indexOf('{');
  return brace === -1 ? key : key.slice(0, brace);
}
