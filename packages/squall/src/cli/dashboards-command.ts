import { resolve } from 'node:path';
import type { Command } from 'commander';
import { SquallError } from '../errors.js';
import { exitCodeForError } from './exit-codes.js';
import type { CliIo } from './main.js';

interface DashboardsFlags {
  out: string;
  baseline?: string;
}

/** Adds `squall dashboards [--out DIR] [--baseline TESTID]`: Grafana boards and Prometheus alert rules. */
export function registerDashboardsCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('dashboards')
    .description('Write Grafana dashboards (ingestion pipeline, query performance, system resources, load test) and prometheus-rules.yaml')
    .option('--out <dir>', 'directory to write into', 'dashboards')
    .option('--baseline <testid>', 'testid of a baseline run preset as the load-test board overlay')
    .addHelpText('after', '\nImport the JSON files into Grafana (Dashboards > New > Import); load the rules with rule_files. See docs/dashboards.md.')
    .action(async (flags: DashboardsFlags) => {
      try {
        const { writeDashboards } = await import('../dashboards/index.js');
        const written = await writeDashboards(resolve(io.cwd, flags.out), { baselineTestId: flags.baseline });
        for (const f of written.files) io.stdout.write(`${f}\n`);
      } catch (err) {
        if (!(err instanceof SquallError)) {
          const e = err as NodeJS.ErrnoException;
          io.stderr.write(`squall: dashboards: cannot write into ${flags.out} (${e.code ?? e.message}); pick a writable directory with --out DIR\n`);
          setExit(1);
          return;
        }
        io.stderr.write(`squall: ${err.message}\n`);
        setExit(exitCodeForError(err));
      }
    });
}
