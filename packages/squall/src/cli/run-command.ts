import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import pc from 'picocolors';
import type { OptionOverrides } from '../config/resolve.js';
import { runTest, type RunTestResult } from '../engine/run-test.js';
import { SquallError, type ConfigProblem } from '../errors.js';
import { writeFileAtomic } from '../outputs/atomic-write.js';
import { ProgressPrinter } from '../outputs/progress-printer.js';
import { defaultResultsDir, writeResultsDir } from '../outputs/results-dir.js';
import { checkWritable, writeAfterRun } from './writable.js';
import { scrubText, secretValues } from '../outputs/redact.js';
import { formatSummary } from '../outputs/summary-text.js';
import { createOutputs } from '../outputs/outputs-registry.js';
import { archiveRun, DEFAULT_HISTORY_DIR, parseReportFormats, writeReports, type ReportFormat } from '../reports/index.js';
import type { parseInstance as ParseInstance } from '../distributed/index.js';
import type { FleetResult, InstanceLink } from '../distributed/coordination/index.js';
import { exitCodeFor, exitCodeForError } from './exit-codes.js';
import type { CliIo } from './main.js';
import { collect, parseIntFlag, parseKeyValues } from './parse-flags.js';
import { layerCommandOptions, type OptionFlags } from './run-sources.js';
import { formatBanner } from '../plan-view/index.js';
import type { OpenedArchive } from '../archive/index.js';

interface RunFlags extends OptionFlags {
  vus?: string;
  duration?: string;
  iterations?: string;
  stage?: string[];
  env?: string[];
  tag?: string[];
  summaryExport?: string;
  executionSegment?: string;
  executionSegmentSequence?: string;
  instance?: string;
  instances?: string;
  nats?: string;
  coordinator?: string;
  runId?: string;
  quiet?: boolean;
  color: boolean;
  workers?: string;
  connections?: string;
  resultsDir?: string;
  results: boolean;
  summary: boolean;
  summaryTrendStats?: string;
  summaryTimeUnit?: string;
  systemEnvVars: boolean;
  discardResponseBodies?: boolean;
  report?: string;
  historyDir: string;
  history: boolean;
  out?: string[];
  config?: string;
  verbose?: boolean;
}

/** Adds `squall run SCRIPT` to the program. */
export function registerRunCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('run')
    .description('Run a test script (k6-style options, async VU code) and print its summary')
    .argument('<script>', 'test script: a .ts or .js ES module')
    .option('-u, --vus <n>', 'VUs for the shortcut executors')
    .option('-d, --duration <duration>', 'test duration, e.g. 30s, 5m (constant-vus shortcut)')
    .option('-i, --iterations <n>', 'total iterations (shared-iterations shortcut)')
    .option('-s, --stage <duration:target>', 'a ramping-vus stage, repeatable, e.g. -s 30s:10 -s 1m:10', collect)
    .option('-e, --env <KEY=VALUE>', 'environment variable for the script (__ENV), repeatable', collect)
    .option('--tag <KEY=VALUE>', 'tag added to every sample, repeatable', collect)
    .option(
      '-o, --out <output>',
      'stream metrics while the test runs, repeatable: prometheus[=HOST:PORT] (endpoint to scrape, default 127.0.0.1:5656), experimental-prometheus-rw (remote write, K6_PROMETHEUS_RW_* settings), json=FILE, csv=FILE (every sample; FILE.gz for gzip)',
      collect,
    )
    .option('-c, --config <file>', 'JSON file of options (k6 config file shape), under the script options; SQUALL_CONFIG also names one')
    .option('--summary-export <file>', 'write the end-of-test summary as JSON')
    .option('--execution-segment <segment>', 'run only this part of the test, e.g. 0:1/2')
    .option('--execution-segment-sequence <sequence>', 'all segments of a distributed run, e.g. 0,1/2,1')
    .option('--instance <index/count>', 'run instance INDEX (0-based) of COUNT equal segments, e.g. 2/10 (what `squall k8s` pods run)')
    .option('--instances <n>', 'run the test as N local instances coordinated through NATS JetStream, with one merged summary (docs/distributed.md)')
    .option('--nats <url>', 'with --instances: an existing NATS server with JetStream (default: a private nats-server is started)')
    .option('--coordinator <url>', 'with --instance: the NATS URL the fleet meets at (env SQUALL_COORDINATOR)')
    .option('--run-id <id>', 'with --coordinator: the id every instance of the run shares (env SQUALL_RUN_ID)')
    .option('--workers <n>', 'worker threads (default: one per core)')
    .option('--connections <n>', 'most connections per origin per worker (default: unbounded)')
    .option('--results-dir <dir>', 'where to write summary.json, timeseries.jsonl, meta.json (default results/<UTC time>-<script>/)')
    .option('--no-results', 'do not write a results directory')
    .option('--report <formats>', 'also write reports into the results directory: html,markdown,junit')
    .option('--history-dir <dir>', 'archive the run here (trends against the previous run of the same test)', DEFAULT_HISTORY_DIR)
    .option('--no-history', 'do not archive the run in the history')
    .option('--summary-trend-stats <list>', 'Trend stats in the summary, e.g. avg,p(95),p(99.9)')
    .option('--summary-time-unit <unit>', 'show all times in this unit: s, ms or us')
    .option('--discard-response-bodies', 'do not keep response bodies (less memory)')
    .option('--no-summary', 'do not print the end-of-test summary')
    .option('--no-system-env-vars', 'do not pass the process environment to the script')
    .option('-q, --quiet', 'no start banner, no progress output')
    .option('-v, --verbose', 'also say where each option came from (config file, environment, flags)')
    .option('--no-color', 'no colours in output')
    .addHelpText(
      'after',
      `
Options come from, lowest first: defaults < --config file < script options < SQUALL_* (or K6_*)
environment variables < flags (docs/scripts.md, "Where options come from").

Exit codes: 0 ok, 99 thresholds failed, 104 invalid options, 105 stopped by a signal,
107 script error (load, setup, teardown), 108 aborted by the script,
109 distributed run incomplete (an instance missed the start or stopped reporting).

Example:
  squall run examples/quickstart.ts -e BASE_URL=http://127.0.0.1:8080 --vus 5 --duration 10s`,
    )
    .action(async (script: string, flags: RunFlags) => {
      setExit(await runCommand(script, flags, io));
    });
}

/** Overrides only `squall run` has, on top of the shared option flags (run-sources.ts). */
function runOnlyOverrides(flags: RunFlags, problems: ConfigProblem[], parseInstance: typeof ParseInstance | undefined): OptionOverrides {
  const o: OptionOverrides = {};
  if (flags.instance !== undefined && parseInstance !== undefined) applyInstance(flags, o, problems, parseInstance);
  if (flags.summaryTrendStats !== undefined) o.summaryTrendStats = flags.summaryTrendStats.split(',').map((s) => s.trim()).filter(Boolean);
  if (flags.summaryTimeUnit !== undefined) o.summaryTimeUnit = flags.summaryTimeUnit;
  if (flags.discardResponseBodies) o.discardResponseBodies = true;
  if (!flags.color) o.noColor = true;
  return o;
}

/** `--instance I/N` is shorthand for the segment I/N:(I+1)/N of the sequence 0,1/N,...,1. */
function applyInstance(flags: RunFlags, o: OptionOverrides, problems: ConfigProblem[], parseInstance: typeof ParseInstance): void {
  if (flags.executionSegment !== undefined || flags.executionSegmentSequence !== undefined) {
    problems.push({ path: '--instance', message: 'sets the execution segment itself; drop --execution-segment / --execution-segment-sequence' });
    return;
  }
  try {
    const seg = parseInstance(flags.instance ?? '');
    o.executionSegment = seg.segment;
    o.executionSegmentSequence = seg.sequence;
  } catch (err) {
    problems.push({ path: '--instance', message: (err as Error).message });
  }
}

async function runCommand(script: string, given: RunFlags, io: CliIo): Promise<number> {
  if (given.instances !== undefined) return runFleet(given, io);
  const problems: ConfigProblem[] = [];
  // The distributed, coordination and archive modules (Kubernetes models, NATS, tar) load only when
  // a run uses them: together they are about half a second of every start.
  const parseInstance = given.instance !== undefined ? (await import('../distributed/index.js')).parseInstance : undefined;
  const sources = layerCommandOptions(given, io, problems, runOnlyOverrides(given, problems, parseInstance));
  const overrides = sources.overrides;
  const flags: RunFlags = { ...given, out: sources.out, summaryExport: sources.summaryExport, resultsDir: sources.resultsDir, quiet: sources.quiet, summary: sources.summary };
  const cliEnv = sources.cliEnv;
  // Values of secret-looking -e names never reach a log line or a file squall writes.
  const secrets = secretValues(cliEnv);
  const workers = parseIntFlag('--workers', flags.workers, 1, problems);
  const connections = parseIntFlag('--connections', flags.connections, 1, problems);
  let reportFormats: ReportFormat[] = [];
  try {
    reportFormats = flags.report === undefined ? [] : parseReportFormats(flags.report);
  } catch (err) {
    problems.push({ path: '--report', message: (err as Error).message });
  }
  if (reportFormats.length > 0 && !flags.results) {
    problems.push({ path: '--report', message: 'reports are written into the results directory, but --no-results was given; drop one of them' });
  }
  if (flags.summaryExport) checkWritable(resolve(io.cwd, flags.summaryExport), '--summary-export', false, problems);
  if (flags.results) checkWritable(resolve(io.cwd, flags.resultsDir ?? 'results'), '--results-dir', true, problems);
  const color = flags.color && !('NO_COLOR' in io.env) && Boolean(io.stdout.isTTY);
  const errColor = flags.color && !('NO_COLOR' in io.env) && Boolean(io.stderr.isTTY);
  const env = sources.env;
  // `squall run FILE.tar`: the archive's script, data files and options under this run's (src/archive).
  let archive: OpenedArchive | undefined;
  try {
    archive = /\.tar$/i.test(script) ? await (await import('../archive/index.js')).openArchive(resolve(io.cwd, script)) : undefined;
  } catch (err) {
    if (!(err instanceof SquallError)) throw err;
    io.stderr.write(`squall: ${err.message}\n`);
    return exitCodeForError(err);
  }
  const inputs = archive ? (await import('../archive/index.js')).archiveRunInputs(archive, { baseOptions: sources.baseOptions, overrides, env, cliEnv }) : { baseOptions: sources.baseOptions, overrides, env };

  const stop = new AbortController();
  const kill = new AbortController();
  const printer = new ProgressPrinter({ write: (t) => io.stderr.write(t), tty: Boolean(io.stderr.isTTY), color: errColor, columns: io.stderr.columns });
  for (const w of sources.warnings) printer.message(`${errColor ? pc.yellow('warning') : 'warning'}: ${w}`);
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    signals++;
    if (signals === 1) {
      printer.message(`${sig} received: stopping gracefully (iterations get their gracefulStop; teardown and summary follow). Press Ctrl+C again to stop at once.`);
      stop.abort();
    } else {
      printer.message(`${sig} received again: stopping now`);
      kill.abort();
    }
  };
  const afterRunSignal = (sig: NodeJS.Signals) => {
    if (!flags.quiet) io.stderr.write(`${sig} received: the run is over, writing its results first\n`);
  };
  // Removed after bin/squall.js has put on its own (it does so as soon as main() resolves).
  const dropAfterRunSignal = () =>
    setImmediate(() => {
      process.off('SIGINT', afterRunSignal);
      process.off('SIGTERM', afterRunSignal);
    });
  const outputs = createOutputs(flags.out ?? [], { env: io.env, log: (m) => printer.message(m), cwd: io.cwd }, problems);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const scriptPath = archive?.scriptPath ?? resolve(io.cwd, script);
  let plannedResultsDir: string | undefined;
  let result: RunTestResult;
  let link: InstanceLink | undefined;
  let fleet: FleetResult | undefined;
  try {
    link = await joinFleet(flags, io, (m) => printer.message(m));
    result = await runTest({
      coordinator: link,
      script: scriptPath,
      baseOptions: inputs.baseOptions,
      overrides: inputs.overrides,
      problems,
      env: inputs.env,
      workers,
      connectionsPerOrigin: connections,
      outputs,
      stopSignal: stop.signal,
      killSignal: kill.signal,
      tty: { stdout: Boolean(io.stdout.isTTY), stderr: Boolean(io.stderr.isTTY) },
      events: {
        onWarning: (m) => printer.message(`${errColor ? pc.yellow('warning') : 'warning'}: ${scrubText(m, secrets)}`),
        onIterationError: (text, scenario) =>
          printer.message(`${errColor ? pc.red('iteration error') : 'iteration error'} [${scenario}]: ${scrubText(text, secrets)} (shown once; the total is counted in iteration_errors)`),
        onPhase: (phase) => {
          if (flags.quiet) return;
          if (phase === 'stopping') printer.message('stopping: waiting for in-flight iterations (gracefulStop)');
          if (phase === 'baseline') printer.message('recovery: measuring the pre-load levels (recovery.baseline) before the load starts');
          if (phase === 'recovering') printer.message('recovery: load ended; waiting for the backlog and latency to return to their pre-load levels');
        },
        onInfo: (m) => printer.message(m),
        onPlan: (plan) => {
          if (flags.results && flags.resultsDir !== undefined) plannedResultsDir = resolve(io.cwd, flags.resultsDir);
          if (flags.quiet) return;
          const banner = formatBanner({
            script: script,
            options: plan.options,
            outputs: outputs.map((o) => o.description),
            resultsDir: flags.results ? (plannedResultsDir ?? `${resolve(io.cwd, 'results')}/<run id>/ (run id: UTC start time and script name)`) : undefined,
            workers: plan.workers,
            details: flags.verbose ? sources.details : undefined,
          });
          printer.message(banner.trimEnd());
        },
        onProgress: flags.quiet ? undefined : (u) => printer.update(u),
      },
    });
    fleet = await link?.complete({ exitCode: instanceExitCode(result), durationMs: result.summary.state.testRunDurationMs });
  } catch (err) {
    if (link !== undefined) await link.complete({ exitCode: exitCodeForError(err), durationMs: 0, error: (err as Error).message }).catch(() => undefined);
    dropAfterRunSignal();
    if (err instanceof SquallError) {
      io.stderr.write(`squall: ${err.message}\n`);
      return exitCodeForError(err);
    }
    throw err;
  } finally {
    await link?.close();
    // A signal after the run (while the summary and results are written) must not end the process
    // with the default 130/143: the exit code stays the one the summary and meta.json record. The
    // next listener goes on before the last one comes off: with none, the OS default (kill) holds
    // for that instant, and a repeated Ctrl-C landing in it ends the process with 130.
    process.on('SIGINT', afterRunSignal);
    process.on('SIGTERM', afterRunSignal);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await archive?.dispose();
  }

  const exitCode = fleet?.exitCode ?? (link === undefined ? exitCodeFor(result) : instanceExitCode(result));
  if (fleet !== undefined) io.stderr.write(`${(await import('../distributed/coordination/index.js')).describeCoverage(fleet)}\n`);
  const summary = fleet?.summary ?? result.summary;
  if (result.handleSummaryOutput !== undefined) {
    for (const [target, content] of Object.entries(result.handleSummaryOutput)) {
      const text = typeof content === 'string' ? content : JSON.stringify(content, null, 2);
      if (target === 'stdout') io.stdout.write(text);
      else if (target === 'stderr') io.stderr.write(text);
      else await writeFileAtomic(resolve(io.cwd, target), text);
    }
  } else if (flags.summary) {
    io.stdout.write(`\n${formatSummary(summary, { color, thresholdResults: [...(fleet?.thresholdResults ?? result.thresholdResults)] })}\n`);
  }
  for (const e of result.iterationErrors) {
    io.stderr.write(scrubText(`iteration error [${e.scenario}] x${e.count}: ${e.text}\n`, secrets));
  }
  // A write that fails now says which file and why, and the test's own exit code stands.
  if (flags.summaryExport) {
    const path = resolve(io.cwd, flags.summaryExport);
    await writeAfterRun(`the summary export ${path}`, () => writeFileAtomic(path, scrubText(`${JSON.stringify(summary, null, 2)}\n`, secrets)), io.stderr);
  }
  const dir = plannedResultsDir ?? resolve(io.cwd, flags.resultsDir ?? defaultResultsDir(scriptPath, result.startedAtEpochMs));
  if (flags.results && !(await writeAfterRun(`the results dir ${dir}`, async () => void (await writeResultsDir(dir, result, { scriptPath, env: cliEnv, argv: process.argv.slice(2), exitCode, workers })), io.stderr))) {
    // Nothing to report on or archive.
  } else if (flags.results) {
    if (!flags.quiet) io.stderr.write(`results: ${dir}\n`);
    const historyDir = flags.history ? resolve(io.cwd, flags.historyDir) : undefined;
    if (reportFormats.length > 0) {
      const paths = await writeReports(dir, reportFormats, { historyDir, githubStepSummary: io.env.GITHUB_STEP_SUMMARY });
      for (const p of paths) io.stderr.write(`report: ${p}\n`);
    }
    // After the reports, so their trend compares with the run before this one.
    if (historyDir !== undefined) {
      const first = !existsSync(historyDir);
      const archived = await archiveRun(dir, historyDir).then(
        () => true,
        (err: Error) => {
          io.stderr.write(`warning: the run was not archived in the history (${historyDir}): ${err.message}\n`);
          return false;
        },
      );
      if (archived && first) io.stderr.write(`history: created ${historyDir} and archived this run there (trends compare against it; --history-dir DIR or --no-history to change)\n`);
    }
  }
  const why = describeEnd(result, exitCode);
  if (why) io.stderr.write(`${why}\n`);
  dropAfterRunSignal();
  return exitCode;
}

function describeEnd(r: RunTestResult, code: number): string | undefined {
  if (r.interruption?.by === 'script') return `test aborted by the script: ${r.interruption.message} (exit ${code})`;
  if (r.interruption?.by === 'signal') return `test stopped by a signal${r.interruption.hard ? ' (at once)' : ''} (exit ${code})`;
  if (r.interruption?.by === 'threshold') return `test aborted: threshold ${r.interruption.key}: '${r.interruption.source}' failed with abortOnFail (exit ${code})`;
  if (!r.thresholdsOk) {
    const failed = r.thresholdResults.filter((t) => !t.ok).map((t) => `${t.key}: '${t.source}'`);
    return `thresholds failed: ${failed.join(', ')} (exit ${code})`;
  }
  return undefined;
}

/** `--coordinator URL` (or SQUALL_COORDINATOR) with `--instance I/N`: this process joins a fleet. */
async function joinFleet(flags: RunFlags, io: CliIo, log: (m: string) => void): Promise<InstanceLink | undefined> {
  const url = flags.coordinator ?? io.env.SQUALL_COORDINATOR;
  if (url === undefined || url === '') return undefined;
  if (flags.instance === undefined) throw new SquallError('SQUALL_CONFIG_INVALID', '--coordinator: give --instance INDEX/COUNT too (which instance of the fleet this is)');
  const { parseInstance } = await import('../distributed/index.js');
  const { InstanceLink } = await import('../distributed/coordination/index.js');
  const seg = parseInstance(flags.instance);
  const runId = flags.runId ?? io.env.SQUALL_RUN_ID ?? 'default';
  return InstanceLink.connect({ url, runId, index: seg.index, count: seg.count, log });
}

/** An instance's own code: thresholds are judged on the fleet's merge, not on one segment. */
function instanceExitCode(r: RunTestResult): number {
  if (r.interruption?.by === 'threshold') return exitCodeFor({ interruption: undefined, thresholdsOk: false });
  return exitCodeFor({ interruption: r.interruption, thresholdsOk: true });
}

async function runFleet(flags: RunFlags, io: CliIo): Promise<number> {
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const { runFleetCommand } = await import('../distributed/coordination/index.js');
    return await runFleetCommand({ instances: flags.instances ?? '', nats: flags.nats, summaryExport: flags.summaryExport, summary: flags.summary, argv: process.argv, io, stopSignal: stop.signal });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
