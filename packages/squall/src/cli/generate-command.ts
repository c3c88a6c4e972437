import { resolve } from 'node:path';
import type { Command } from 'commander';
import { ConfigError, SquallError, type ConfigProblem } from '../errors.js';
import { openFileSink, streamSink, type LineSink } from '../generators/line-sink.js';
import { formatKindList } from '../generators/list-kinds.js';
import type { OptionSpecs } from '../generators/option-spec.js';
import { formatBytes, ProgressBar } from '../generators/progress-bar.js';
import { GENERATORS, GENERATOR_KINDS, assertGeneratorKind, isGeneratorKind, resolveGenerator } from '../generators/registry.js';
import { writeRecords } from '../generators/write-records.js';
import { exitCodeForError, ExitCode } from './exit-codes.js';
import type { CliIo } from './main.js';
import { parseIntFlag } from './parse-flags.js';

interface GenerateFlags {
  count?: string;
  seed?: string;
  out?: string;
  stream?: string;
  gzipLevel?: string;
  list?: boolean;
  quiet?: boolean;
}

/** `--foo-bar` -> `fooBar`. */
function keyOf(flag: string): string {
  return flag.replace(/^--/, '').replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Splits commander's leftover arguments into the kind and its `--option value` pairs. */
function parseKindArgs(args: readonly string[], problems: ConfigProblem[]): { kind: string | undefined; raw: Record<string, string> } {
  const kind = args.find((a) => !a.startsWith('-') && isGeneratorKind(a)) ?? args.find((a) => !a.startsWith('-'));
  const specs: OptionSpecs | undefined = kind !== undefined && isGeneratorKind(kind) ? GENERATORS[kind].options : undefined;
  const raw: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === kind) continue;
    if (!arg.startsWith('--')) {
      problems.push({ path: arg, message: `is not an option; options start with -- (see \`squall generate --list${kind ? ` ${kind}` : ''}\`)` });
      continue;
    }
    const eq = arg.indexOf('=');
    const key = keyOf(eq > 0 ? arg.slice(0, eq) : arg);
    if (eq > 0) raw[key] = arg.slice(eq + 1);
    else if (specs?.[key]?.type === 'bool' && !['true', 'false'].includes(args[i + 1] ?? '')) raw[key] = 'true';
    else if (i + 1 < args.length) raw[key] = args[++i] as string;
    else problems.push({ path: arg, message: 'needs a value' });
  }
  return { kind, raw };
}

/** Adds `squall generate KIND` to the program. */
export function registerGenerateCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('generate')
    .description('Write deterministic test data (audit events, orders, logs, components, CRUD operations) as JSON Lines')
    .argument('[kind]', `what to generate: ${GENERATOR_KINDS.join(', ')}`)
    .option('-n, --count <n>', 'records to write', '1000')
    .option('--seed <seed>', 'seed: the same seed and options give byte-identical output', '1')
    .option('-o, --out <file>', 'output file (.jsonl/.ndjson; .gz compresses); stdout when absent')
    .option('--stream <n>', 'stream number; parallel runs with distinct streams never share ids', '0')
    .option('--gzip-level <n>', 'gzip level 1 (fast) to 9 (small) for .gz output', '6')
    .option('--list', 'list the kinds and every option they take (with `--list KIND`: one kind)')
    .option('-q, --quiet', 'no progress bar or final line')
    .allowUnknownOption()
    .allowExcessArguments()
    .addHelpText(
      'after',
      `
Kind options follow the kind (see --list), e.g.:
  squall generate audit --count 1000000 --tenants 200 --skew zipf --from -90d --to now --out audit.jsonl.gz
  squall generate orders -n 2500 --tiers free=50,premium=50 > orders.jsonl

Exit codes: 0 ok, 1 usage error (unknown kind), 104 invalid options (all listed), 105 interrupted.`,
    )
    .action(async (_kind: string | undefined, flags: GenerateFlags, cmd: Command) => {
      try {
        setExit(await generateCommand(cmd.args, flags, io));
      } catch (err) {
        if (!(err instanceof SquallError)) throw err;
        io.stderr.write(`squall: ${err.message}\n`);
        setExit(exitCodeForError(err));
      }
    });
}

async function generateCommand(args: readonly string[], flags: GenerateFlags, io: CliIo): Promise<number> {
  const problems: ConfigProblem[] = [];
  const { kind, raw } = parseKindArgs(args, problems);
  if (flags.list) {
    if (kind !== undefined) assertGeneratorKind(kind);
    io.stdout.write(formatKindList(kind));
    return ExitCode.ok;
  }
  if (kind === undefined) throw new SquallError('SQUALL_USAGE', `which kind? run \`squall generate KIND\` with one of: ${GENERATOR_KINDS.join(', ')} (see \`squall generate --list\`)`);
  assertGeneratorKind(kind);
  const count = parseIntFlag('--count', flags.count, 0, problems) ?? 0;
  const stream = parseIntFlag('--stream', flags.stream, 0, problems) ?? 0;
  if (stream > 0xffffffff) problems.push({ path: '--stream', message: `must be below 2^32, but is ${stream}` });
  const level = parseIntFlag('--gzip-level', flags.gzipLevel, 1, problems);
  if (level !== undefined && level > 9) problems.push({ path: '--gzip-level', message: `must be an integer from 1 to 9, but is ${level}` });
  const seed = flags.seed ?? '1';
  if (seed === '') problems.push({ path: '--seed', message: 'must not be empty' });
  const config = resolveGenerator(kind, raw, 'cli', '', problems);
  if (problems.length > 0) throw new ConfigError(problems);

  const outPath = flags.out === undefined || flags.out === '-' ? undefined : resolve(io.cwd, flags.out);
  const gzip = outPath !== undefined && /\.gz$/i.test(outPath);
  const sink: LineSink = outPath === undefined ? streamSink(io.stdout) : openFileSink(outPath, gzip ? (level ?? 6) : undefined);
  const showBar = !flags.quiet && Boolean(io.stderr.isTTY) && !(outPath === undefined && io.stdout.isTTY);
  const bar = showBar ? new ProgressBar((t) => io.stderr.write(t)) : undefined;
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const started = performance.now();
  try {
    const result = await writeRecords({
      config,
      seed,
      count,
      stream,
      sink,
      signal: stop.signal,
      onProgress: bar && ((records, bytes) => bar.update({ kind, records, total: count, bytes, elapsedMs: performance.now() - started })),
    });
    const elapsedMs = performance.now() - started;
    bar?.update({ kind, records: result.records, total: count, bytes: result.bytes, elapsedMs }, true);
    bar?.done();
    if (!flags.quiet && outPath !== undefined) {
      const rate = Math.round((result.records / Math.max(1, elapsedMs)) * 1000);
      io.stderr.write(`wrote ${result.records} ${kind} records (${formatBytes(result.bytes)} uncompressed) to ${outPath} in ${(elapsedMs / 1000).toFixed(1)}s (${rate}/s)\n`);
    }
    return ExitCode.ok;
  } finally {
    bar?.done();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
