import { Command, CommanderError } from 'commander';
import { SquallError } from '../errors.js';
import { SQUALL_VERSION } from '../version.js';
import { ExitCode, exitCodeForError } from './exit-codes.js';
import { registerMergeCommand } from './merge-command.js';
import { registerRunCommand } from './run-command.js';
import { registerGenerateCommand } from './generate-command.js';
import { registerReportCommand } from './report-command.js';
import { registerCompareCommand } from './compare-command.js';
import { registerBaselineCommand } from './baseline-command.js';
import { registerHistoryCommand } from './history-command.js';
import { registerTargetCommand } from './target-command.js';
import { registerBackfillCommand } from './backfill-command.js';
import { registerMaxRateCommand } from './max-rate-command.js';
import { registerK8sCommand } from './k8s-command.js';
import { registerDashboardsCommand } from './dashboards-command.js';
import { registerInspectCommand } from './inspect-command.js';
import { registerArchiveCommand } from './archive-command.js';
import { registerSuiteCommand } from './suite-command.js';
import { registerInitCommand, registerNewCommand } from './new-command.js';

/** Terminal I/O the CLI uses; tests pass their own. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

/** Runs the CLI with `argv` (process.argv shape) and resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() }): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const program = new Command('squall')
    .description('Performance testing for HTTP services and event pipelines (k6-compatible scripts, truthful numbers).')
    .version(SQUALL_VERSION, '--version', 'print the version (also: squall version)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError('(run `squall --help` or `squall run --help` for usage)');
  program
    .command('version')
    .description('Print the squall version, Node.js version and platform')
    .action(() => {
      io.stdout.write(`squall ${SQUALL_VERSION} (node ${process.version}, ${process.platform}/${process.arch})\n`);
    });
  registerRunCommand(program, io, (code) => {
    exitCode = code;
  });
  registerMergeCommand(program, io, (code) => (exitCode = code));
  registerInspectCommand(program, io, (code) => (exitCode = code));
  registerArchiveCommand(program, io, (code) => (exitCode = code));
  registerGenerateCommand(program, io, (code) => {
    exitCode = code;
  });
  registerReportCommand(program, io, (code) => (exitCode = code));
  registerCompareCommand(program, io, (code) => (exitCode = code));
  registerBaselineCommand(program, io, (code) => (exitCode = code));
  registerHistoryCommand(program, io, (code) => (exitCode = code));
  registerBackfillCommand(program, io, (code) => (exitCode = code));
  registerMaxRateCommand(program, io, (code) => (exitCode = code));
  registerK8sCommand(program, io, (code) => (exitCode = code));
  registerDashboardsCommand(program, io, (code) => (exitCode = code));
  registerSuiteCommand(program, io, (code) => (exitCode = code));
  registerNewCommand(program, io, (code) => (exitCode = code));
  registerInitCommand(program, io, (code) => (exitCode = code));
  registerTargetCommand(program, io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return ExitCode.ok;
      return ExitCode.usage;
    }
    if (err instanceof SquallError) {
      io.stderr.write(`squall: ${err.message}\n`);
      return exitCodeForError(err);
    }
    io.stderr.write(`squall: internal error: ${(err as Error)?.stack ?? String(err)}\n`);
    return ExitCode.usage;
  }
}
