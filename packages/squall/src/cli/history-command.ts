import { resolve } from 'node:path';
import type { Command } from 'commander';
import { computeHistoryChanges, formatHistoryChanges } from '../compare/history-changes.js';
import { SquallError } from '../errors.js';
import { archiveRun, DEFAULT_HISTORY_DIR, listHistory } from '../history/history-store.js';
import { formatDuration, formatFigure } from '../reports/format-value.js';
import { exitCodeForError } from './exit-codes.js';
import type { CliIo } from './main.js';
import { printSuiteRuns } from './suite-command.js';

interface HistoryFlags {
  historyDir: string;
  test?: string;
  json?: boolean;
  changes?: boolean;
  metric?: string[];
  suite?: string;
  suiteDir?: string;
}

const KEYS = ['throughput', 'latency_p95', 'latency_p99', 'error_rate'] as const;

/** Adds `squall history [--test NAME]` and `squall history add RESULTS_DIR` to the program. */
export function registerHistoryCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const fail = (err: unknown) => {
    if (!(err instanceof SquallError)) throw err;
    io.stderr.write(`squall: ${err.message}\n`);
    setExit(exitCodeForError(err));
  };
  const history = program
    .command('history')
    .description('List archived runs with their key figures')
    .option('--history-dir <dir>', 'history directory', DEFAULT_HISTORY_DIR)
    .option('--test <name>', 'only runs of this test')
    .option('--json', 'print the entries as JSON')
    .option('--changes', 'find change points in the series of runs (needs --test and at least 6 runs)')
    .option('--metric <key>', 'figure for --changes, repeatable (default throughput, latency_p95, latency_p99, error_rate)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--suite <name>', 'list the archived runs of this suite (docs/suites.md)')
    .option('--suite-dir <dir>', 'suite archive folder', '.squall/suites')
    .action(async (flags: HistoryFlags) => {
      if (flags.suite !== undefined) return printSuiteRuns(io, resolve(io.cwd, flags.suiteDir ?? '.squall/suites'), flags.suite, flags.json === true);
      try {
        const entries = await listHistory(resolve(io.cwd, flags.historyDir), flags.test);
        if (flags.changes) {
          if (flags.test === undefined) throw new SquallError('SQUALL_USAGE', '--changes needs --test NAME: change points only mean something within one test\'s runs');
          const report = computeHistoryChanges(entries, flags.metric ?? [...KEYS]);
          io.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : formatHistoryChanges(report, flags.test));
          return;
        }
        if (flags.json) {
          io.stdout.write(`${JSON.stringify(entries.map((e) => ({ dir: e.dir, ...e.figures, intervals: undefined })), null, 2)}\n`);
          return;
        }
        if (entries.length === 0) {
          io.stdout.write(`no runs in ${flags.historyDir}${flags.test ? ` for test ${flags.test}` : ''}\n`);
          return;
        }
        const rows = entries.map((e) => [e.figures.runId, e.figures.startedAt.replace(/\.\d+Z$/, 'Z'), formatDuration(e.figures.durationMs), ...KEYS.map((k) => (e.figures.metrics[k] === undefined ? '—' : formatFigure(k, e.figures.metrics[k] as number))), String(e.figures.exitCode)]);
        const head = ['run', 'started', 'duration', 'req/s', 'p95', 'p99', 'errors', 'exit'];
        const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
        for (const r of [head, ...rows]) io.stdout.write(`${r.map((c, i) => c.padEnd(widths[i] as number)).join('  ').trimEnd()}\n`);
      } catch (err) {
        fail(err);
      }
    });
  history
    .command('add')
    .description('Archive a results directory into the history')
    .argument('<results-dir>', 'a results directory written by `squall run`')
    .addHelpText('after', '\nOptions of `squall history` apply: --history-dir DIR, --test NAME (default: script file name).')
    .action(async (dir: string) => {
      // --history-dir and --test belong to the parent command (commander parses them there).
      const flags = history.opts<HistoryFlags>();
      try {
        const entry = await archiveRun(resolve(io.cwd, dir), resolve(io.cwd, flags.historyDir), { test: flags.test });
        io.stdout.write(`${entry.dir}\n`);
      } catch (err) {
        fail(err);
      }
    });
}
