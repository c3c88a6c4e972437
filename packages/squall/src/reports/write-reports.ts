import { appendFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { SquallError } from '../errors.js';
import { DEFAULT_BASELINES_FILE, readBaseline } from '../history/baselines.js';
import { findPrevious } from '../history/history-store.js';
import { writeFileAtomic } from '../outputs/atomic-write.js';
import { REPORTERS, type ReportFormat } from './reporters.js';
import { computeReportModel, type ReportModel, type ReportOptions } from './report-model.js';
import { readResults } from './results-reader.js';
import { testNameOf } from './run-figures.js';

/** Options for writeReports. */
export interface WriteReportsOptions extends ReportOptions {
  /** Where each format goes (default: `report.html`, `report.md`, `junit.xml` in the results directory). */
  readonly paths?: Partial<Record<ReportFormat, string>>;
  /** History to find the previous run of the same test in (trends), unless `previous` is given. */
  readonly historyDir?: string;
  /** Compare against this baseline (name in `baselinesFile`) unless `baseline` is given. */
  readonly baselineName?: string;
  readonly baselinesFile?: string;
  /** When set (the `GITHUB_STEP_SUMMARY` path), the Markdown report is appended to this file. */
  readonly githubStepSummary?: string;
}

/** What writeReportFiles did. */
export interface WrittenReports {
  readonly paths: string[];
  readonly model: ReportModel;
}

/** Like writeReports, but also returns the model (for the CLI's verdict line). */
export async function writeReportFiles(resultsDir: string, formats: readonly ReportFormat[], opts: WriteReportsOptions = {}): Promise<WrittenReports> {
  const results = await readResults(resultsDir);
  let { previous, baseline } = opts;
  if (previous === undefined && opts.historyDir !== undefined) {
    const test = opts.test ?? testNameOf(results.meta.script);
    const entry = await findPrevious(opts.historyDir, test, results.meta.startedAt);
    if (entry !== undefined) previous = { figures: entry.figures, label: `history ${entry.figures.runId}` };
  }
  if (baseline === undefined && opts.baselineName !== undefined) {
    const file = opts.baselinesFile ?? DEFAULT_BASELINES_FILE;
    const b = await readBaseline(file, opts.baselineName);
    if (b === undefined) throw new SquallError('SQUALL_USAGE', `no baseline "${opts.baselineName}" in ${file}; record one with \`squall baseline update RESULTS_DIR --name ${opts.baselineName}\``);
    baseline = { figures: b.figures, label: `baseline ${opts.baselineName}` };
  }
  const model = computeReportModel(results, { ...opts, previous, baseline });
  const paths: string[] = [];
  let markdown: string | undefined;
  for (const format of formats) {
    const reporter = REPORTERS[format];
    const text = reporter.format(model);
    if (format === 'markdown') markdown = text;
    const path = resolve(opts.paths?.[format] ?? join(resultsDir, reporter.fileName));
    await writeFileAtomic(path, text);
    paths.push(path);
  }
  if (opts.githubStepSummary !== undefined && opts.githubStepSummary !== '') {
    await appendFile(opts.githubStepSummary, markdown ?? REPORTERS.markdown.format(model));
  }
  return { paths, model };
}

/**
 * Writes the reports of a results directory in each of `formats` and returns the paths written
 * (each file atomically). Reads the previous run from `historyDir` and a baseline when asked.
 */
export async function writeReports(resultsDir: string, formats: readonly ReportFormat[], opts: WriteReportsOptions = {}): Promise<string[]> {
  return (await writeReportFiles(resultsDir, formats, opts)).paths;
}
