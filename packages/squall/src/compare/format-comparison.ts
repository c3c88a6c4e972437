import { formatChange, formatFigure, mdCell } from '../reports/format-value.js';
import type { Comparison, Delta } from './compute-comparison.js';

const MARK: Record<Delta['verdict'], string> = { regression: 'REGRESSION', noise: 'noise', improvement: 'improved', ok: 'ok', info: '' };

function confidenceText(d: Delta): string {
  return d.confidence === undefined ? '—' : `${(d.confidence * 100).toFixed(1)}%`;
}

/** Plain-text table of every delta (terminal output of `squall compare`). */
export function formatComparisonText(c: Comparison): string {
  const rows = c.deltas.map((d) => [d.key, formatFigure(d.key, d.base), formatFigure(d.key, d.current), formatChange(d.key, d.relative, d.points), d.direction, d.rule ?? '—', confidenceText(d), MARK[d.verdict]]);
  const head = ['figure', 'base', 'current', 'change', 'better/worse', 'rule', 'confidence worse', 'verdict'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (r: string[]) => r.map((cell, i) => cell.padEnd(widths[i] as number)).join('  ').trimEnd();
  const out = [
    `base:    ${c.base.label} (${c.base.runId})`,
    `current: ${c.current.label} (${c.current.runId})`,
    '',
    line(head),
    ...rows.map(line),
    '',
    c.regressions === 0
      ? 'no regression'
      : `${c.regressions} regression${c.regressions === 1 ? '' : 's'}: ${c.deltas.filter((d) => d.verdict === 'regression').map((d) => d.key).join(', ')}`,
  ];
  const noise = c.deltas.filter((d) => d.verdict === 'noise');
  if (noise.length > 0) {
    out.push(`not flagged (beyond the rule but below ${(c.requiredConfidence * 100).toFixed(0)}% confidence): ${noise.map((d) => d.key).join(', ')}`);
  }
  return `${out.join('\n')}\n`;
}

const EMOJI: Record<Delta['verdict'], string> = { regression: '❌ regression', noise: '〰️ noise', improvement: '✅ better', ok: '✅ ok', info: '' };

/** Markdown table of the deltas that carry a rule (and the others when `all`). */
export function formatComparisonMarkdown(c: Comparison, all = false): string {
  const rows = c.deltas.filter((d) => all || d.rule !== undefined);
  const lines = [
    '| Metric | Base | Current | Change | Rule | Confidence worse | Verdict |',
    '|--------|------|---------|--------|------|------------------|---------|',
    ...rows.map((d) =>
      `| ${mdCell(d.key)} | ${formatFigure(d.key, d.base)} | ${formatFigure(d.key, d.current)} | ${formatChange(d.key, d.relative, d.points)} ${d.direction === 'better' ? '(better)' : d.direction === 'worse' ? '(worse)' : ''} | ${mdCell(d.rule ?? '—')} | ${confidenceText(d)} | ${EMOJI[d.verdict] || d.direction} |`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}
