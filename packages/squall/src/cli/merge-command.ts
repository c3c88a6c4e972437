import { resolve } from 'node:path';
import type { Command } from 'commander';
import { mergeResults } from '../merge/merge-results.js';
import { readResultsDir } from '../merge/read-results.js';
import { writeFileAtomic } from '../outputs/atomic-write.js';
import { writeResultsDir } from '../outputs/results-dir.js';
import { formatSummary } from '../outputs/summary-text.js';
import { exitCodeFor } from './exit-codes.js';
import type { CliIo } from './main.js';

interface MergeFlags {
  resultsDir?: string;
  summaryExport?: string;
  summary: boolean;
  color: boolean;
}

/** Adds `squall merge DIR DIR...`: one exact summary from instances that ran execution segments. */
export function registerMergeCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('merge')
    .description('Merge the results directories of instances that ran parts (execution segments) of one test into one exact summary; thresholds are judged on the merge')
    .argument('<dirs...>', 'results directories (each written by `squall run --results-dir`)')
    .option('--results-dir <dir>', 'write the merged summary.json, timeseries.jsonl and meta.json here')
    .option('--summary-export <file>', 'write the merged summary as JSON')
    .option('--no-summary', 'do not print the merged summary')
    .option('--no-color', 'no colours in output')
    .addHelpText(
      'after',
      `
Exit codes: 0 thresholds hold on the merge, 99 a threshold failed, 1 a directory could not be read.

Example:
  squall run test.ts --execution-segment 0:1/2 --execution-segment-sequence 0,1/2,1 --results-dir a
  squall run test.ts --execution-segment 1/2:1 --execution-segment-sequence 0,1/2,1 --results-dir b
  squall merge a b --results-dir merged`,
    )
    .action(async (dirs: string[], flags: MergeFlags) => {
      const parts = await Promise.all(dirs.map((d) => readResultsDir(resolve(io.cwd, d))));
      const merged = mergeResults(parts);
      for (const w of merged.warnings) io.stderr.write(`warning: ${w}\n`);
      const code = exitCodeFor({ interruption: undefined, thresholdsOk: merged.thresholdsOk });
      if (flags.summary) {
        const color = flags.color && !('NO_COLOR' in io.env) && Boolean(io.stdout.isTTY);
        io.stdout.write(`\n${formatSummary(merged.summary, { color, thresholdResults: [...merged.thresholdResults] })}\n`);
      }
      if (flags.summaryExport) await writeFileAtomic(resolve(io.cwd, flags.summaryExport), `${JSON.stringify(merged.summary, null, 2)}\n`);
      if (flags.resultsDir) {
        const out = resolve(io.cwd, flags.resultsDir);
        await writeResultsDir(
          out,
          {
            summary: merged.summary,
            options: merged.options,
            thresholdResults: merged.thresholdResults,
            thresholdsOk: merged.thresholdsOk,
            recovery: undefined,
            interruption: undefined,
            timeSeries: merged.timeSeries,
            handleSummaryOutput: undefined,
            iterationErrors: [],
            startedAtEpochMs: merged.startedAtEpochMs,
            warnings: [...merged.warnings, `merged from ${dirs.length} results directories: ${dirs.join(', ')}`],
          },
          { scriptPath: String(parts[0]?.meta.script ?? ''), env: {}, argv: ['merge', ...dirs], exitCode: code, workers: undefined },
        );
        io.stderr.write(`results: ${out}\n`);
      }
      if (!merged.thresholdsOk) {
        const failed = merged.thresholdResults.filter((t) => !t.ok).map((t) => `${t.key}: '${t.source}'`);
        io.stderr.write(`thresholds failed on the merge: ${failed.join(', ')} (exit ${code})\n`);
      }
      setExit(code);
    });
}
