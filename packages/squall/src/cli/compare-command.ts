import { resolve } from 'node:path';
import type { Command } from 'commander';
import { computeComparison } from '../compare/compute-comparison.js';
import { REGRESSION_EXIT_CODE } from '../compare/exit-code.js';
import { formatComparisonMarkdown, formatComparisonText } from '../compare/format-comparison.js';
import { resolveRun } from '../compare/resolve-run.js';
import { checkRuleNames, resolveRules } from '../compare/rules.js';
import { SquallError } from '../errors.js';
import { DEFAULT_BASELINES_FILE } from '../history/baselines.js';
import { DEFAULT_HISTORY_DIR } from '../history/history-store.js';
import { writeFileAtomic } from '../outputs/atomic-write.js';
import { exitCodeForError } from './exit-codes.js';
import type { CliIo } from './main.js';
import { collect } from './parse-flags.js';
import { parseShare } from './report-command.js';

interface CompareFlags {
  rule?: string[];
  defaultRules: boolean;
  confidence: string;
  noiseAware: boolean;
  historyDir: string;
  baselinesFile: string;
  json?: string;
  markdown?: string;
  test?: string;
  latencyMetric?: string;
}

/** Adds `squall compare BASE CURRENT` to the program. */
export function registerCompareCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('compare')
    .description('Compare two runs with regression rules; exit 2 when the current run regressed')
    .argument('<base>', 'a results directory, a history entry (directory or run id) or a baseline name (baseline:NAME)')
    .argument('<current>', 'the same kinds, usually the results directory of the run to judge')
    .option('--rule <rule>', 'regression rule, repeatable, overrides the default for its figure, e.g. latency_p99:+20%', collect)
    .option('--no-default-rules', "only the --rule rules, not seed 000's defaults")
    .option('--confidence <share>', 'confidence a change must reach to be a regression (rank test across intervals)', '95%')
    .option('--no-noise-aware', 'flag every change beyond its rule, however noisy')
    .option('--history-dir <dir>', 'history directory for run ids', DEFAULT_HISTORY_DIR)
    .option('--baselines-file <file>', 'baselines file for baseline names', DEFAULT_BASELINES_FILE)
    .option('--json <file>', 'write the comparison as JSON')
    .option('--markdown <file>', 'write the comparison as a Markdown table')
    .option('--test <name>', 'test name when reading a results directory')
    .option('--latency-metric <metric>', 'Trend metric for latency figures (default http_req_duration)')
    .addHelpText('after', `
Default rules (seed 000): throughput:-10%  latency_p95:+20%  resource:*:+15%  error_rate:+1pt
A change beyond its rule is a regression only when a one-sided Mann-Whitney test across the runs'
per-interval samples gives at least --confidence that it is worse (docs/regression.md).
Exit codes: 0 no regression, ${REGRESSION_EXIT_CODE} regression found, 1 usage or I/O error.`)
    .action(async (base: string, current: string, flags: CompareFlags) => {
      try {
        setExit(await compareCommand(base, current, flags, io));
      } catch (err) {
        if (!(err instanceof SquallError)) throw err;
        io.stderr.write(`squall: ${err.message}\n`);
        setExit(exitCodeForError(err));
      }
    });
}

async function compareCommand(baseArg: string, currentArg: string, flags: CompareFlags, io: CliIo): Promise<number> {
  const where = {
    historyDir: resolve(io.cwd, flags.historyDir),
    baselinesFile: resolve(io.cwd, flags.baselinesFile),
    test: flags.test,
    latencyMetric: flags.latencyMetric,
  };
  const pathOrName = (s: string) => (s.startsWith('baseline:') ? s : resolve(io.cwd, s));
  const [base, current] = await Promise.all([resolveRunLoose(baseArg, pathOrName, where), resolveRunLoose(currentArg, pathOrName, where)]);
  const rules = resolveRules(flags.rule ?? [], flags.defaultRules);
  if (rules.length === 0) throw new SquallError('SQUALL_USAGE', 'no regression rules: give --rule, or drop --no-default-rules');
  checkRuleNames(resolveRules(flags.rule ?? [], false), [...Object.keys(base.figures.metrics), ...Object.keys(current.figures.metrics)]);
  const c = computeComparison(base.figures, current.figures, { base: base.label, current: current.label }, {
    rules,
    confidence: parseShare('--confidence', flags.confidence),
    noiseAware: flags.noiseAware,
  });
  io.stdout.write(formatComparisonText(c));
  if (flags.json !== undefined) await writeFileAtomic(resolve(io.cwd, flags.json), `${JSON.stringify(c, null, 2)}\n`);
  if (flags.markdown !== undefined) await writeFileAtomic(resolve(io.cwd, flags.markdown), formatComparisonMarkdown(c, true));
  return c.regressions > 0 ? REGRESSION_EXIT_CODE : 0;
}

/** Tries the argument as a path first (relative to cwd), then as a run id or baseline name. */
async function resolveRunLoose(arg: string, toPath: (s: string) => string, where: Parameters<typeof resolveRun>[1]) {
  try {
    return await resolveRun(toPath(arg), where);
  } catch (err) {
    if (toPath(arg) === arg) throw err;
    return resolveRun(arg, where);
  }
}
