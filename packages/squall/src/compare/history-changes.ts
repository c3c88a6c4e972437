import type { HistoryEntry } from '../history/history-store.js';
import { detectChangePoints, type ChangePoint } from './change-points.js';

/** Change points of one figure over a test's runs. */
export interface FigureChanges {
  readonly metric: string;
  /** Runs that have the figure, oldest first. */
  readonly runs: number;
  readonly changes: readonly (ChangePoint & { readonly runId: string; readonly startedAt: string; readonly direction: 'better' | 'worse' })[];
}

/** Figures where a rise is good; for every other figure (latency, errors, resources) a rise is worse. */
const HIGHER_IS_BETTER = new Set(['throughput', 'iterations_rate', 'checks_rate']);

/** Finds change points of each figure across the entries (oldest first). */
export function computeHistoryChanges(entries: readonly HistoryEntry[], metrics: readonly string[]): FigureChanges[] {
  return metrics.map((metric) => {
    const runs = entries.filter((e) => typeof e.figures.metrics[metric] === 'number');
    const series = runs.map((e) => e.figures.metrics[metric] as number);
    const changes = detectChangePoints(series).map((c) => {
      const run = runs[c.index] as HistoryEntry;
      const up = c.after > c.before;
      return { ...c, runId: run.figures.runId, startedAt: run.figures.startedAt, direction: up === HIGHER_IS_BETTER.has(metric.replace(/\{.*$/, '')) ? ('better' as const) : ('worse' as const) };
    });
    return { metric, runs: runs.length, changes };
  });
}

function pct(x: number): string {
  if (!Number.isFinite(x)) return 'from 0';
  return `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
}

/** Text for `squall history --changes`. */
export function formatHistoryChanges(report: readonly FigureChanges[], test: string): string {
  const lines: string[] = [];
  for (const f of report) {
    if (f.runs < 6) {
      lines.push(`${f.metric}: ${f.runs} runs of ${test}; at least 6 are needed to find a change`);
      continue;
    }
    if (f.changes.length === 0) {
      lines.push(`${f.metric}: no change across ${f.runs} runs`);
      continue;
    }
    for (const c of f.changes) {
      lines.push(
        `${f.metric}: changed at ${c.runId} (${c.startedAt}): ${c.before.toPrecision(4)} -> ${c.after.toPrecision(4)} (${pct(c.relative)}, ${c.direction}), confidence ${(c.confidence * 100).toFixed(1)}%`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
