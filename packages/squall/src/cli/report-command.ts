import { resolve } from 'node:path';
import type { Command } from 'commander';
import { REGRESSION_EXIT_CODE } from '../compare/exit-code.js';
import { resolveRules } from '../compare/rules.js';
import { tryParseDurationMs } from '../config/duration.js';
import { SquallError } from '../errors.js';
import { DEFAULT_BASELINES_FILE } from '../history/baselines.js';
import type { ReportFormat } from '../reports/reporters.js';
import { writeReportFiles } from '../reports/write-reports.js';
import { exitCodeForError } from './exit-codes.js';
import type { CliIo } from './main.js';
import { collect } from './parse-flags.js';

interface ReportFlags {
  html?: string | boolean;
  markdown?: string | boolean;
  junit?: string | boolean;
  historyDir?: string;
  baseline?: string;
  baselinesFile: string;
  rule?: string[];
  defaultRules: boolean;
  warnBand: string;
  soakWindow?: string;
  test?: string;
  latencyMetric?: string;
}

/** Parses `--warn-band 10%` / `0.1` into a share. */
export function parseShare(flag: string, text: string): number {
  const pct = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(text);
  const v = pct ? Number(pct[1]) / 100 : Number(text);
  if (!Number.isFinite(v) || v < 0 || v >= 1) throw new SquallError('SQUALL_USAGE', `${flag} must be a share such as 10% or 0.1 (0 <= share < 1), but is ${JSON.stringify(text)}`);
  return v;
}

/** Adds `squall report RESULTS_DIR` to the program. */
export function registerReportCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('report')
    .description('Write HTML, Markdown and JUnit reports of a results directory')
    .argument('<results-dir>', 'a results directory written by `squall run`')
    .option('--html [file]', 'write the HTML report (default RESULTS_DIR/report.html)')
    .option('--markdown [file]', 'write the Markdown report (default RESULTS_DIR/report.md)')
    .option('--junit [file]', 'write JUnit XML (default RESULTS_DIR/junit.xml)')
    .option('--history-dir <dir>', 'history to find the previous run of the same test in (trends)')
    .option('--baseline <name>', 'compare against this baseline (regressions make the exit code 2)')
    .option('--baselines-file <file>', 'baselines file', DEFAULT_BASELINES_FILE)
    .option('--rule <rule>', 'regression rule, repeatable, e.g. latency_p99:+20% (see docs/regression.md)', collect)
    .option('--no-default-rules', 'only the --rule rules, not seed 000 defaults')
    .option('--warn-band <share>', 'a threshold that held within this share of its limit is WARN', '10%')
    .option('--soak-window <duration>', 'first/last window for soak analysis (default: a tenth of the run, at least 10s; 0 = off)')
    .option('--test <name>', 'test name for history and baselines (default: script file name)')
    .option('--latency-metric <metric>', 'Trend metric for latency figures (default http_req_duration)')
    .addHelpText('after', `
Without --html/--markdown/--junit, all three are written into the results directory. When the
GITHUB_STEP_SUMMARY variable is set, the Markdown report is appended to that file.
Exit codes: 0 reports written, ${REGRESSION_EXIT_CODE} a regression against --baseline, 1 usage or I/O error.`)
    .action(async (dir: string, flags: ReportFlags) => {
      try {
        setExit(await reportCommand(dir, flags, io));
      } catch (err) {
        if (!(err instanceof SquallError)) throw err;
        io.stderr.write(`squall: ${err.message}\n`);
        setExit(exitCodeForError(err));
      }
    });
}

async function reportCommand(dirArg: string, flags: ReportFlags, io: CliIo): Promise<number> {
  const dir = resolve(io.cwd, dirArg);
  const chosen = (['html', 'markdown', 'junit'] as const).filter((f) => flags[f] !== undefined);
  const formats: ReportFormat[] = chosen.length === 0 ? ['html', 'markdown', 'junit'] : [...chosen];
  const paths: Partial<Record<ReportFormat, string>> = {};
  for (const f of formats) {
    const v = flags[f];
    if (typeof v === 'string') paths[f] = resolve(io.cwd, v);
  }
  let soakWindowMs: number | undefined;
  if (flags.soakWindow !== undefined) {
    soakWindowMs = tryParseDurationMs(flags.soakWindow);
    if (soakWindowMs === undefined || soakWindowMs < 0) throw new SquallError('SQUALL_USAGE', `--soak-window must be a duration such as 10m, but is ${JSON.stringify(flags.soakWindow)}`);
  }
  const { paths: written, model } = await writeReportFiles(dir, formats, {
    paths,
    historyDir: flags.historyDir === undefined ? undefined : resolve(io.cwd, flags.historyDir),
    baselineName: flags.baseline,
    baselinesFile: resolve(io.cwd, flags.baselinesFile),
    rules: resolveRules(flags.rule ?? [], flags.defaultRules),
    warnBand: parseShare('--warn-band', flags.warnBand),
    soakWindowMs,
    test: flags.test,
    latencyMetric: flags.latencyMetric,
    githubStepSummary: io.env.GITHUB_STEP_SUMMARY,
  });
  for (const p of written) io.stdout.write(`${p}\n`);
  io.stderr.write(`overall status: ${model.overall}${model.baseline ? `; ${model.baseline.regressions} regression(s) against ${model.baseline.base.label}` : ''}\n`);
  return (model.baseline?.regressions ?? 0) > 0 ? REGRESSION_EXIT_CODE : 0;
}
