import type { Command } from 'commander';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { SquallError } from '../errors.js';
import { ExitCode } from './exit-codes.js';
import type { CliIo } from './main.js';

interface SuiteFlags {
  env?: string;
  only?: string;
  vus?: string;
  duration?: string;
  baseUrl?: string;
  allowProduction?: boolean;
  archive?: string;
  html?: boolean;
  summary?: boolean;
  schema?: boolean;
  history?: boolean;
  junit?: string;
}

/**
 * `squall suite [FILE]`. Exit codes: 0 every test passed; 99 an SLO or threshold failed (or the
 * smoke gate stopped the suite); 104 the suite could not run (bad file, not ready, production guard);
 * 105 interrupted (Ctrl-C) after writing the report for what ran.
 */
export function registerSuiteCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('suite')
    .description('Run a suite file: ready checks, smoke gate, data back-fill, tests, report, archive (docs/suites.md)')
    .argument('[file]', 'suite file', 'squall.suite.yaml')
    .option('--env <name>', 'environment from the suite file')
    .option('--only <names>', 'comma-separated test names (smoke, or all)')
    .option('--vus <n>', 'override every test\'s VUs')
    .option('--duration <d>', 'override every test\'s duration')
    .option('--base-url <url>', 'override the environment\'s base URL')
    .option('--allow-production', 'allow non-smoke tests in a production environment')
    .option('--archive <dir>', 'archive folder (default: the suite\'s archive.dir, else .squall/suites)')
    .option('--html', 'also write reports/<type>_<env>_<stamp>.html')
    .option('--summary', 'also write reports/<type>_<env>_<stamp>_summary.json and _output.txt')
    .option('--junit <file>', 'also write a JUnit XML file (one testcase per test)')
    .option('--schema', 'print the suite file JSON Schema and exit')
    .option('--history', 'list this suite\'s archived runs and exit')
    .action(async (file: string, flags: SuiteFlags) => {
      setExit(await suiteAction(file, flags, io));
    });
}

async function suiteAction(file: string, flags: SuiteFlags, io: CliIo): Promise<number> {
  // Loaded on use, not at every squall start: the suite layer brings the YAML and schema stack.
  const { suiteJunit, notifyAll, substitute, archiveRun, listSuiteRuns, loadSuite, overallStatus, runSuite, SUITE_SCHEMA, SuiteError, reportHtml, reportMarkdown, suiteReport } = await import('../suite/index.js');
  if (flags.schema) {
    io.stdout.write(`${JSON.stringify(SUITE_SCHEMA, null, 2)}\n`);
    return ExitCode.ok;
  }
  const controller = new AbortController();
  const onSig = () => {
    io.stderr.write('suite: interrupted, stopping the current test gracefully\n');
    controller.abort();
  };
  process.on('SIGINT', onSig);
  process.on('SIGTERM', onSig);
  const output: string[] = [];
  const log = (l: string) => {
    output.push(l);
    io.stderr.write(`${l}\n`);
  };
  try {
    const loaded = loadSuite(resolve(io.cwd, file));
    const archiveDir = resolve(io.cwd, flags.archive ?? loaded.suite.archive?.dir ?? '.squall/suites');
    if (flags.history) {
      await printSuiteRuns(io, archiveDir, loaded.suite.name, false);
      return ExitCode.ok;
    }
    const num = (s: string | undefined) => (s === undefined ? undefined : Number(s));
    const vus = num(flags.vus);
    if (vus !== undefined && !(Number.isInteger(vus) && vus > 0)) throw new SuiteError([`--vus: must be a positive integer, but is ${flags.vus}`]);
    const only = flags.only?.split(',').map((s) => s.trim()).filter(Boolean);
    const outcome = await runSuite({ loaded, envName: flags.env, only, vus, duration: flags.duration, baseUrl: flags.baseUrl, allowProduction: flags.allowProduction, stopSignal: controller.signal, log, processEnv: io.env });
    const previous = listSuiteRuns(archiveDir, loaded.suite.name).at(-1)?.figures;
    const stamp = outcome.startedAt.toISOString().replace(/[-:]/g, '').replace('T', '_').slice(0, 15);
    const runId = `${stamp}-${process.pid}`;
    const report = suiteReport(loaded.suite, outcome, runId, previous);
    const md = reportMarkdown(report);
    const runDir = await archiveRun(archiveDir, loaded.suite, outcome, runId, report);
    const status = overallStatus(outcome);
    log(`suite: ${status}; report ${join(runDir, 'report.md')}`);
    const vars: Record<string, string> = outcome.baseUrl ? { BASE_URL: outcome.baseUrl } : {};
    for (const w of await notifyAll(loaded.suite, outcome, runId, md, io.env, (s) => substitute(s, vars, io.env))) log(`suite: warning: ${w}`);
    if (flags.junit) {
      mkdirSync(dirname(resolve(io.cwd, flags.junit)), { recursive: true });
      writeFileSync(resolve(io.cwd, flags.junit), suiteJunit(outcome));
    }
    if (flags.html || flags.summary) {
      const reports = resolve(io.cwd, loaded.suite.report?.dir ?? 'reports');
      mkdirSync(reports, { recursive: true });
      const base = join(reports, `${only?.join('+') ?? 'all'}_${flags.env ?? 'default'}_${stamp}`);
      if (flags.html) writeFileSync(`${base}.html`, reportHtml(report));
      if (flags.summary) {
        writeFileSync(`${base}_summary.json`, JSON.stringify({ status, tests: outcome.tests.map((t) => ({ name: t.name, ok: t.ok, metrics: t.result.summary.metrics })) }, null, 2));
        writeFileSync(`${base}_output.txt`, `${output.join('\n')}\n`);
      }
    }
    if (outcome.interrupted) return ExitCode.externalAbort;
    return status === 'FAIL' ? ExitCode.thresholdsFailed : ExitCode.ok;
  } catch (err) {
    if (err instanceof SquallError) {
      io.stderr.write(`squall suite: ${err.message}\n`);
      return ExitCode.invalidConfig;
    }
    throw err;
  } finally {
    process.off('SIGINT', onSig);
    process.off('SIGTERM', onSig);
  }
}

/** `squall history --suite NAME`: the suite's archived runs, oldest first. */
export async function printSuiteRuns(io: CliIo, archiveDir: string, name: string, json: boolean): Promise<void> {
  const { listSuiteRuns } = await import('../suite/index.js');
  const runs = listSuiteRuns(archiveDir, name);
  if (json) return void io.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
  if (runs.length === 0) return void io.stdout.write(`no archived runs of suite ${name} in ${archiveDir}\n`);
  for (const r of runs) io.stdout.write(`${r.runId}  ${r.status}  ${r.env ?? '-'}  ${r.startedAt}\n`);
}
