import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { OptionOverrides } from '../config/resolve.js';
import type { ConfigProblem } from '../errors.js';
import { layerOverrides, optionsFromEnv, readConfigFile } from '../option-sources/index.js';
import type { CliIo } from './main.js';
import { collect, parseIntFlag, parseKeyValues } from './parse-flags.js';

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

/** The option flags `squall run`, `squall inspect` and `squall archive` share. */
export interface OptionFlags {
  vus?: string;
  duration?: string;
  iterations?: string;
  stage?: string[];
  tag?: string[];
  executionSegment?: string;
  executionSegmentSequence?: string;
  env?: string[];
  systemEnvVars: boolean;
}

/** The shared option flags as overrides (the top layer); bad values go into `problems`. */
export function optionFlagOverrides(flags: OptionFlags, problems: ConfigProblem[]): OptionOverrides {
  const o: OptionOverrides = {};
  const vus = parseIntFlag('--vus', flags.vus, 1, problems);
  if (vus !== undefined) o.vus = vus;
  const iterations = parseIntFlag('--iterations', flags.iterations, 1, problems);
  if (iterations !== undefined) o.iterations = iterations;
  if (flags.duration !== undefined) o.duration = flags.duration;
  if (flags.stage !== undefined) o.stages = flags.stage;
  if (flags.executionSegment !== undefined) o.executionSegment = flags.executionSegment;
  if (flags.executionSegmentSequence !== undefined) o.executionSegmentSequence = flags.executionSegmentSequence;
  if (flags.tag !== undefined) o.tags = parseKeyValues('--tag', flags.tag, problems);
  return o;
}

/** The script's `__ENV`: the process environment (unless --no-system-env-vars) under the `-e` flags. */
export function scriptEnv(flags: OptionFlags, io: CliIo, problems: ConfigProblem[]): { env: Record<string, string>; cliEnv: Record<string, string> } {
  const cliEnv = parseKeyValues('--env', flags.env ?? [], problems);
  const env: Record<string, string> = {};
  if (flags.systemEnvVars) for (const [k, v] of Object.entries(io.env)) if (v !== undefined) env[k] = v;
  Object.assign(env, cliEnv);
  return { env, cliEnv };
}

/**
 * One layering for every command that resolves a script's options: defaults < config file <
 * script options < environment < flags (`extra` adds a command's own flag overrides on top).
 */
export function layerCommandOptions(
  flags: OptionFlags & SourcedFlags,
  io: CliIo,
  problems: ConfigProblem[],
  extra: OptionOverrides = {},
): RunSources & { env: Record<string, string>; cliEnv: Record<string, string> } {
  const sources = layerRunSources(flags, { ...optionFlagOverrides(flags, problems), ...extra }, io, problems);
  return { ...sources, ...scriptEnv(flags, io, problems) };
}

/**
 * Declares the option flags that `layerCommandOptions` reads, the same on every command that
 * resolves a script's options without running it (inspect, archive). `what` ends each
 * description where the command does something particular with the value.
 */
export function addOptionFlags(cmd: Command, what: { stored?: string; env?: string } = {}): Command {
  const stored = what.stored ?? '';
  return cmd
    .option('-u, --vus <n>', `VUs for the shortcut executors${stored}`)
    .option('-d, --duration <duration>', `test duration, e.g. 30s (constant-vus shortcut)${stored}`)
    .option('-i, --iterations <n>', `total iterations (shared-iterations shortcut)${stored}`)
    .option('-s, --stage <duration:target>', 'a ramping-vus stage, repeatable', collect)
    .option('-e, --env <KEY=VALUE>', what.env ?? 'environment variable for the script (__ENV), repeatable', collect)
    .option('--tag <KEY=VALUE>', 'tag added to every sample, repeatable', collect)
    .option('-c, --config <file>', 'JSON file of options (k6 config file shape)')
    .option('--execution-segment <segment>', 'the part of the test this instance runs, e.g. 0:1/2')
    .option('--execution-segment-sequence <sequence>', 'all segments of a distributed run')
    .option('--no-system-env-vars', 'do not pass the process environment to the script while it is loaded');
}
