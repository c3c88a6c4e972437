import type { Command } from 'commander';
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { TEST_TYPES, testTemplate, type TestType } from '../suite/templates.js';
import { writeScaffold } from '../suite/scaffold.js';
import { ExitCode } from './exit-codes.js';
import type { CliIo } from './main.js';

/** Adds `squall new TYPE [FILE] [--ts]`. */
export function registerNewCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('new')
    .description(`Write a commented test script for a test type (${TEST_TYPES.join(', ')})`)
    .argument('<type>', 'test type')
    .argument('[file]', 'where to write it (default: TYPE.js, or TYPE.ts with --ts)')
    .option('--ts', 'TypeScript')
    .option('--force', 'overwrite an existing file')
    .action((type: string, file: string | undefined, flags: { ts?: boolean; force?: boolean }) => {
      if (!(TEST_TYPES as readonly string[]).includes(type)) {
        io.stderr.write(`squall new: unknown test type "${type}"; one of: ${TEST_TYPES.join(', ')}\n`);
        return setExit(ExitCode.invalidConfig);
      }
      const path = resolve(io.cwd, file ?? `${type}.${flags.ts ? 'ts' : 'js'}`);
      if (existsSync(path) && !flags.force) {
        io.stderr.write(`squall new: ${path} exists; pass --force to overwrite it\n`);
        return setExit(ExitCode.invalidConfig);
      }
      writeFileSync(path, testTemplate(type as TestType, flags.ts === true || path.endsWith('.ts')));
      io.stdout.write(`wrote ${path}\n`);
      setExit(ExitCode.ok);
    });
}

/** Adds `squall init [DIR]`: suite file, environments, one script per test type, CI files. */
export function registerInitCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('init')
    .description('Scaffold a suite: squall.suite.yaml, tests/<type>.ts, a GitHub Actions workflow and a GitLab CI file')
    .argument('[dir]', 'project folder', '.')
    .option('--force', 'overwrite existing files')
    .action((dir: string, flags: { force?: boolean }) => {
      const r = writeScaffold(resolve(io.cwd, dir), flags.force === true);
      for (const f of r.written) io.stdout.write(`wrote ${f}\n`);
      for (const f of r.kept) io.stdout.write(`kept ${f} (exists; --force overwrites)\n`);
      setExit(ExitCode.ok);
    });
}
