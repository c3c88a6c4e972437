import { resolve } from 'node:path';
import type { OptionOverrides } from '../config/resolve.js';
import type { ConfigProblem } from '../errors.js';
import { layerOverrides, optionsFromEnv, readConfigFile } from '../option-sources/index.js';
import type { CliIo } from './main.js';

/** The flags of `squall run` that other sources (environment, config file) may also set. */
export interface SourcedFlags {
  config?: string;
  out?: string[];
  summaryExport?: string;
  resultsDir?: string;
  quiet?: boolean;
  summary: boolean;
}

/** What a run uses after layering defaults < config file < script < environment < flags. */
export interface RunSources {
  readonly overrides: OptionOverrides;
  /** Config-file options, under the script's. */
  readonly baseOptions: Record<string, unknown> | undefined;
  readonly configPath: string | undefined;
  readonly out: string[];
  readonly summaryExport: string | undefined;
  readonly resultsDir: string | undefined;
  readonly quiet: boolean;
  readonly summary: boolean;
  readonly warnings: string[];
  /** Where options came from, for --verbose. */
  readonly details: string[];
}

/**
 * Layers the environment (SQUALL_*, else K6_*) and `--config FILE` under the flags. Overrides
 * from flags come in already parsed; problems from every source go into `problems`.
 */
export function layerRunSources(flags: SourcedFlags, fromFlags: OptionOverrides, io: CliIo, problems: ConfigProblem[]): RunSources {
  const env = optionsFromEnv(io.env, problems);
  const configName = flags.config ?? env.settings.config;
  const configPath = configName === undefined ? undefined : resolve(io.cwd, configName);
  const file = configPath === undefined ? undefined : readConfigFile(configPath, problems);
  return {
    overrides: layerOverrides(env.overrides, fromFlags),
    baseOptions: file?.options,
    configPath,
    out: flags.out ?? env.settings.out ?? file?.out ?? [],
    summaryExport: flags.summaryExport ?? env.settings.summaryExport,
    resultsDir: flags.resultsDir ?? env.settings.resultsDir,
    quiet: Boolean(flags.quiet) || env.settings.quiet === true,
    summary: flags.summary && env.settings.noSummary !== true,
    warnings: file?.warnings ?? [],
    details: [
      `config file: ${configPath ?? '- (none)'}`,
      `from the environment: ${Object.entries(env.sources).map(([k, v]) => `${k} (${v})`).join(', ') || '- (none)'}`,
      `from flags: ${Object.keys(fromFlags).join(', ') || '- (none)'}`,
    ],
  };
}
