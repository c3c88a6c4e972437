import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { SquallError } from '../errors.js';
import { readBaseline } from '../history/baselines.js';
import { findHistoryEntry, readHistoryEntry } from '../history/history-store.js';
import { readResults } from '../reports/results-reader.js';
import { computeRunFigures, type FiguresOptions, type RunFigures } from '../reports/run-figures.js';

/** Where `compare` looks runs up. */
export interface ResolveOptions extends FiguresOptions {
  readonly historyDir: string;
  readonly baselinesFile: string;
}

/** A run's figures and a label saying where they came from. */
export interface ResolvedRun {
  readonly figures: RunFigures;
  readonly label: string;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * Resolves a run named on the command line, trying in order: a results directory (has
 * summary.json), a history entry directory (has figures.json), `baseline:NAME`, a history run id
 * (or unique prefix), a baseline name. Throws SquallError SQUALL_USAGE saying what was tried.
 */
export async function resolveRun(spec: string, opts: ResolveOptions): Promise<ResolvedRun> {
  if (await isFile(join(spec, 'summary.json'))) return { figures: computeRunFigures(await readResults(spec), opts), label: spec };
  if (await isFile(join(spec, 'figures.json'))) return { figures: (await readHistoryEntry(spec)).figures, label: `history ${spec}` };
  const baselineName = spec.startsWith('baseline:') ? spec.slice('baseline:'.length) : undefined;
  if (baselineName === undefined) {
    const entry = await findHistoryEntry(opts.historyDir, spec);
    if (entry !== undefined) return { figures: entry.figures, label: `history ${entry.figures.runId}` };
  }
  const baseline = await readBaseline(opts.baselinesFile, baselineName ?? spec);
  if (baseline !== undefined) return { figures: baseline.figures, label: `baseline ${baselineName ?? spec} (${opts.baselinesFile}, recorded ${baseline.updatedAt})` };
  throw new SquallError(
    'SQUALL_USAGE',
    `cannot find run "${spec}": it is not a results directory (no ${join(spec, 'summary.json')}), not a history entry ` +
      `(no run id like it in ${opts.historyDir}) and not a baseline in ${opts.baselinesFile}`,
  );
}
