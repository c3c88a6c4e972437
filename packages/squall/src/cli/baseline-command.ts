import { resolve } from 'node:path';
import type { Command } from 'commander';
import { SquallError } from '../errors.js';
import { DEFAULT_BASELINES_FILE, readBaselines, updateBaseline } from '../history/baselines.js';
import { formatFigure } from '../reports/format-value.js';
import { readResults } from '../reports/results-reader.js';
import { computeRunFigures } from '../reports/run-figures.js';
import { exitCodeForError } from './exit-codes.js';
import type { CliIo } from './main.js';

interface BaselineFlags {
  file: string;
  name?: string;
  test?: string;
  latencyMetric?: string;
}

function guard(io: CliIo, setExit: (code: number) => void, fn: () => Promise<number>): Promise<void> {
  return fn().then(setExit, (err: unknown) => {
    if (!(err instanceof SquallError)) throw err;
    io.stderr.write(`squall: ${err.message}\n`);
    setExit(exitCodeForError(err));
  });
}

/** Adds `squall baseline update|show` to the program. */
export function registerBaselineCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const baseline = program.command('baseline').description('Record or show baselines (only `baseline update` ever writes them)');
  baseline
    .command('update')
    .description("Record a run's figures as the baseline of its test")
    .argument('<results-dir>', 'a results directory written by `squall run`')
    .option('--file <file>', 'baselines file (commit it)', DEFAULT_BASELINES_FILE)
    .option('--name <name>', 'baseline name (default: the test name)')
    .option('--test <name>', 'test name (default: script file name)')
    .option('--latency-metric <metric>', 'Trend metric for latency figures (default http_req_duration)')
    .action((dir: string, flags: BaselineFlags) =>
      guard(io, setExit, async () => {
        const results = await readResults(resolve(io.cwd, dir));
        const figures = computeRunFigures(results, { test: flags.test, latencyMetric: flags.latencyMetric });
        const file = resolve(io.cwd, flags.file);
        const name = flags.name ?? figures.test;
        await updateBaseline(file, figures, dir, name);
        io.stdout.write(`baseline "${name}" recorded in ${file} from ${figures.runId}\n`);
        return 0;
      }),
    );
  baseline
    .command('show')
    .description('List baselines, or show the figures of one')
    .argument('[name]', 'baseline name')
    .option('--file <file>', 'baselines file', DEFAULT_BASELINES_FILE)
    .action((name: string | undefined, flags: BaselineFlags) =>
      guard(io, setExit, async () => {
        const file = resolve(io.cwd, flags.file);
        const doc = await readBaselines(file);
        if (name === undefined) {
          const names = Object.keys(doc.baselines);
          io.stdout.write(names.length === 0 ? `no baselines in ${file}\n` : names.map((n) => `${n}\t${doc.baselines[n]?.figures.runId ?? ''}\trecorded ${doc.baselines[n]?.updatedAt ?? ''}\n`).join(''));
          return 0;
        }
        const b = doc.baselines[name];
        if (b === undefined) throw new SquallError('SQUALL_USAGE', `no baseline "${name}" in ${file} (have: ${Object.keys(doc.baselines).join(', ') || 'none'})`);
        io.stdout.write(`${name}: ${b.figures.runId}, recorded ${b.updatedAt} from ${b.source}\n`);
        for (const [k, v] of Object.entries(b.figures.metrics)) io.stdout.write(`  ${k.padEnd(32)} ${formatFigure(k, v)}\n`);
        return 0;
      }),
    );
}
