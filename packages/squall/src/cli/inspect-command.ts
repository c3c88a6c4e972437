import { resolve } from 'node:path';
import type { Command } from 'commander';
import { SquallError, type ConfigProblem } from '../errors.js';
import { inspectScript } from '../inspect/index.js';
import { ExitCode, exitCodeForError } from './exit-codes.js';
import type { CliIo } from './main.js';
import { collect } from './parse-flags.js';
import { layerCommandOptions, type OptionFlags } from './run-sources.js';

interface InspectFlags extends OptionFlags {
  config?: string;
}

/** Adds `squall inspect SCRIPT`: the resolved options and scenario plan as JSON, without running. */
export function registerInspectCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('inspect')
    .description('Print the fully resolved options and the scenario plan (executor, VUs over time, planned iterations) as JSON, without running')
    .argument('<script>', 'test script: a .ts or .js ES module')
    .option('-u, --vus <n>', 'VUs for the shortcut executors')
    .option('-d, --duration <duration>', 'test duration (constant-vus shortcut)')
    .option('-i, --iterations <n>', 'total iterations (shared-iterations shortcut)')
    .option('-s, --stage <duration:target>', 'a ramping-vus stage, repeatable', collect)
    .option('-e, --env <KEY=VALUE>', 'environment variable for the script (__ENV), repeatable', collect)
    .option('--tag <KEY=VALUE>', 'tag added to every sample, repeatable', collect)
    .option('-c, --config <file>', 'JSON file of options (k6 config file shape)')
    .option('--execution-segment <segment>', 'the part of the test this instance runs, e.g. 0:1/2')
    .option('--execution-segment-sequence <sequence>', 'all segments of a distributed run')
    .option('--no-system-env-vars', 'do not pass the process environment to the script')
    .addHelpText('after', '\nExample:\n  squall inspect examples/quickstart.ts --vus 5 --duration 10s')
    .action(async (script: string, flags: InspectFlags) => {
      setExit(await inspectCommand(script, flags, io));
    });
}

async function inspectCommand(script: string, flags: InspectFlags, io: CliIo): Promise<number> {
  const problems: ConfigProblem[] = [];
  const sources = layerCommandOptions({ ...flags, summary: true }, io, problems);
  const env = sources.env;
  try {
    const result = await inspectScript({ script: resolve(io.cwd, script), baseOptions: sources.baseOptions, overrides: sources.overrides, problems, env });
    for (const w of [...sources.warnings, ...result.warnings]) io.stderr.write(`warning: ${w}\n`);
    const doc = { script: result.script, configFile: sources.configPath ?? null, options: result.options, plan: result.plan };
    io.stdout.write(`${JSON.stringify(doc, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`);
    return ExitCode.ok;
  } catch (err) {
    if (err instanceof SquallError) {
      io.stderr.write(`squall: ${err.message}\n`);
      return exitCodeForError(err);
    }
    throw err;
  }
}
