import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { ConfigProblem } from '../errors.js';
import { ExitCode } from './exit-codes.js';
import type { CliIo } from './main.js';
import { addOptionFlags, layerCommandOptions, type OptionFlags } from './run-sources.js';

interface ArchiveFlags extends OptionFlags {
  archiveOut: string;
  config?: string;
}

/** Adds `squall archive SCRIPT [-O FILE]`: script, data files and options in one tar for `squall run FILE.tar`. */
export function registerArchiveCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const cmd = program
    .command('archive')
    .description('Pack a script, the data files it reads and its options into one tar that `squall run FILE.tar` runs anywhere')
    .argument('<script>', 'test script: a .ts or .js ES module')
    .option('-O, --archive-out <file>', 'the archive to write', 'archive.tar');
  addOptionFlags(cmd, {
    stored: ' (stored in the archive)',
    env: 'environment variable for the script, stored in the archive (not secret-looking names), repeatable',
  })
    .addHelpText('after', '\nThe script is loaded (its init code runs, nothing is sent) to find the files it reads.\n\nExample:\n  squall archive examples/quickstart.ts -O quickstart.tar --vus 2 && squall run quickstart.tar')
    .action(async (script: string, flags: ArchiveFlags) => {
      setExit(await archiveCommand(script, flags, io));
    });
}

async function archiveCommand(script: string, flags: ArchiveFlags, io: CliIo): Promise<number> {
  const problems: ConfigProblem[] = [];
  const sources = layerCommandOptions({ ...flags, summary: true }, io, problems);
  const outPath = resolve(io.cwd, flags.archiveOut);
  // Loaded on use: tar, the pod bundler and the inspector are not needed by other commands.
  const { createArchive } = await import('../archive/index.js');
  const { manifest, warnings } = await createArchive({
    scriptPath: resolve(io.cwd, script), outPath, baseOptions: sources.baseOptions, overrides: sources.overrides, problems, env: sources.env, cliEnv: sources.cliEnv,
  });
  for (const w of [...sources.warnings, ...warnings]) io.stderr.write(`warning: ${w}\n`);
  const kib = Math.ceil(statSync(outPath).size / 1024);
  io.stderr.write(`archive: ${outPath} (${kib} KiB): ${manifest.script.entry}${manifest.files.map((f) => `, ${f.path}`).join('')}\n`);
  return ExitCode.ok;
}
