import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { ConfigProblem } from '../errors.js';
import { inspectScript } from '../inspect/index.js';
import { ExitCode } from './exit-codes.js';
import type { CliIo } from './main.js';
import { addOptionFlags, layerCommandOptions, type OptionFlags } from './run-sources.js';

interface InspectFlags extends OptionFlags {
  config?: string;
}

/** Adds `squall inspect SCRIPT`: the resolved options and scenario plan as JSON, without running. */
export function registerInspectCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const cmd = program
    .command('inspect')
    .description('Print the fully resolved options and the scenario plan (executor, VUs over time, planned iterations) as JSON, without running')
    .argument('<script>', 'test script: a .ts or .js ES module');
  addOptionFlags(cmd)
    .addHelpText('after', '\nExample:\n  squall inspect examples/quickstart.ts --vus 5 --duration 10s')
    .action(async (script: string, flags: InspectFlags) => {
      setExit(await inspectCommand(script, flags, io));
    });
}

async function inspectCommand(script: string, flags: InspectFlags, io: CliIo): Promise<number> {
  const problems: ConfigProblem[] = [];
  const sources = layerCommandOptions({ ...flags, summary: true }, io, problems);
  const env = sources.env;
  const result = await inspectScript({ script: resolve(io.cwd, script), baseOptions: sources.baseOptions, overrides: sources.overrides, problems, env });
  for (const w of [...sources.warnings, ...result.warnings]) io.stderr.write(`warning: ${w}\n`);
  const doc = { script: result.script, configFile: sources.configPath ?? null, options: result.options, plan: result.plan };
  io.stdout.write(`${JSON.stringify(doc, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`);
  return ExitCode.ok;
}
