import { copyFile, mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SquallError } from '../errors.js';
import { writeFileAtomic } from '../outputs/atomic-write.js';
import { readResults } from '../reports/results-reader.js';
import { computeRunFigures, type FiguresOptions, type RunFigures } from '../reports/run-figures.js';

/** Default history directory (relative to the working directory). */
export const DEFAULT_HISTORY_DIR = '.squall/history';

/** A run kept in the history: `<historyDir>/<test>/<runId>/` holding figures.json, summary.json, meta.json. */
export interface HistoryEntry {
  readonly dir: string;
  readonly figures: RunFigures;
}

/**
 * Archives a results directory into the history: `<historyDir>/<test>/<runId>/` with the run's
 * figures (per-interval samples included, a few KB to a few hundred KB), summary.json and
 * meta.json. Archiving the same run again overwrites its entry. Returns the entry.
 */
export async function archiveRun(resultsDir: string, historyDir: string, opts: FiguresOptions = {}): Promise<HistoryEntry> {
  const results = await readResults(resultsDir);
  const figures = computeRunFigures(results, opts);
  const dir = join(historyDir, figures.test.replace(/[^A-Za-z0-9_.-]/g, '_'), figures.runId);
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(join(dir, 'figures.json'), `${JSON.stringify(figures)}\n`);
  for (const f of ['summary.json', 'meta.json']) await copyFile(join(resultsDir, f), join(dir, f));
  return { dir, figures };
}

/** Reads one history entry (a directory holding figures.json). */
export async function readHistoryEntry(dir: string): Promise<HistoryEntry> {
  let text: string;
  try {
    text = await readFile(join(dir, 'figures.json'), 'utf8');
  } catch (cause) {
    throw new SquallError('SQUALL_IO', `${dir} is not a history entry: figures.json is missing (entries are written by \`squall history add\` or \`squall run --history-dir\`)`, { cause });
  }
  try {
    const figures = JSON.parse(text) as RunFigures;
    if (figures.version !== 1 || typeof figures.metrics !== 'object') throw new Error('unexpected shape');
    return { dir, figures };
  } catch (cause) {
    throw new SquallError('SQUALL_IO', `${join(dir, 'figures.json')}: expected run figures (version 1), but the file is malformed`, { cause });
  }
}

async function subdirs(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new SquallError('SQUALL_IO', `cannot read history directory ${dir}: ${(cause as Error).message}`, { cause });
  }
}

/** Every entry of the history (of one test when `test` is given), oldest first. Missing history: empty. */
export async function listHistory(historyDir: string, test?: string): Promise<HistoryEntry[]> {
  const tests = test === undefined ? await subdirs(historyDir) : [test.replace(/[^A-Za-z0-9_.-]/g, '_')];
  const entries: HistoryEntry[] = [];
  for (const t of tests) {
    for (const id of await subdirs(join(historyDir, t))) {
      try {
        entries.push(await readHistoryEntry(join(historyDir, t, id)));
      } catch {
        // A half-written or foreign folder is not a run; listing skips it rather than failing.
      }
    }
  }
  return entries.sort((a, b) => Date.parse(a.figures.startedAt) - Date.parse(b.figures.startedAt));
}

/** The latest run of `test` that started before `beforeStartedAt` (ISO), if any. */
export async function findPrevious(historyDir: string, test: string, beforeStartedAt: string): Promise<HistoryEntry | undefined> {
  const before = Date.parse(beforeStartedAt);
  const earlier = (await listHistory(historyDir, test)).filter((e) => Date.parse(e.figures.startedAt) < before);
  return earlier.at(-1);
}

/** Finds an entry by run id (or a unique prefix of it) across all tests. */
export async function findHistoryEntry(historyDir: string, runId: string): Promise<HistoryEntry | undefined> {
  const matches = (await listHistory(historyDir)).filter((e) => e.figures.runId === runId || e.figures.runId.startsWith(runId));
  const exact = matches.find((e) => e.figures.runId === runId);
  if (exact !== undefined) return exact;
  if (matches.length > 1) {
    throw new SquallError('SQUALL_USAGE', `run id prefix "${runId}" matches ${matches.length} history entries (${matches.slice(0, 3).map((e) => e.figures.runId).join(', ')}...); give more of it`);
  }
  return matches[0];
}
