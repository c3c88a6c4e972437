import { resolve } from 'node:path';
import type { Command } from 'commander';
import { tryParseDurationMs } from '../config/duration.js';
import { ConfigError, SquallError, type ConfigProblem } from '../errors.js';
import { writeFileAtomic } from '../outputs/atomic-write.js';
import { findMaxRate, MAX_RATE_DEFAULTS, type MaxRateResult, type MaxRateStep } from '../pipeline/max-rate.js';
import { formatMaxRateStep } from '../pipeline/max-rate-step-line.js';
import { ExitCode, exitCodeForError } from './exit-codes.js';
import type { CliIo } from './main.js';
import { collect, parseKeyValues } from './parse-flags.js';

interface MaxRateFlags {
  scenario?: string;
  start?: string;
  max?: string;
  growth?: string;
  precision?: string;
  step?: string;
  confirm?: string;
  budget?: string;
  cooldown?: string;
  backlog?: string;
  maxBacklogGrowth?: string;
  maxDropped?: string;
  env?: string[];
  workers?: string;
  export?: string;
  systemEnvVars: boolean;
}

/** Adds `squall max-rate SCRIPT` to the program. */
export function registerMaxRateCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('max-rate')
    .description('Find the highest arrival rate at which the script\'s thresholds (SLOs) hold, step by step, in bounded time')
    .argument('<script>', 'test script with a constant-arrival-rate scenario and thresholds')
    .option('--scenario <name>', 'the constant-arrival-rate scenario whose rate is searched (required)')
    .option('--start <rate>', 'first rate (iterations per the scenario\'s timeUnit; required)')
    .option('--max <rate>', 'highest rate tried', '1000000')
    .option('--growth <factor>', 'rate multiplier between ramp steps', String(MAX_RATE_DEFAULTS.growth))
    .option('--precision <share>', 'stop bisecting when the bracket is within this share of the rate', String(MAX_RATE_DEFAULTS.precision))
    .option('--step <duration>', 'length of each step', '30s')
    .option('--confirm <duration>', 'length of the final confirmation at the best rate', '60s')
    .option('--budget <duration>', 'no step starts that would end later than this', '15m')
    .option('--cooldown <duration>', 'pause between steps', '5s')
    .option('--backlog <metric>', 'observed Gauge that must not grow during a step (default: the script\'s recovery.backlog)')
    .option('--max-backlog-growth <perSec>', 'backlog growth per second still accepted', '0')
    .option('--max-dropped <share>', 'share of iterations allowed to start late (dropped_iterations)', String(MAX_RATE_DEFAULTS.maxDroppedShare))
    .option('-e, --env <KEY=VALUE>', 'environment variable for the script (__ENV), repeatable', collect)
    .option('--workers <n>', 'worker threads (default: one per core)')
    .option('--export <file>', 'write every step\'s evidence and the result as JSON')
    .option('--no-system-env-vars', 'do not pass the process environment to the script')
    .addHelpText(
      'after',
      `
Each step is a full run of the script with only the chosen scenario, at one rate. A step holds when
every threshold passes, at most --max-dropped of its iterations start late, and the backlog does not
grow. The rate doubles (--growth) until a step fails, is bisected to --precision, and the best rate is
held for --confirm; a failed confirmation backs off to the next lower rate that held.

Exit codes: 0 a sustainable rate was found, 99 not even --start holds, 104 invalid options,
105 stopped by a signal, 107 script error.

Example:
  squall max-rate examples/activity/write-storm.ts --scenario ingest --start 20 --step 20s --budget 10m`,
    )
    .action(async (script: string, flags: MaxRateFlags) => {
      setExit(await maxRateCommand(script, flags, io));
    });
}

function positive(flag: string, text: string | undefined, problems: ConfigProblem[], rule: { min: number; max?: number; integer?: boolean }): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  const bad = text.trim() === '' || !Number.isFinite(n) || n < rule.min || (rule.max !== undefined && n > rule.max) || (rule.integer === true && !Number.isInteger(n));
  if (bad) {
    const range = rule.max === undefined ? `at least ${rule.min}` : `from ${rule.min} to ${rule.max}`;
    problems.push({ path: flag, message: `must be ${rule.integer ? 'an integer' : 'a number'} ${range}, but is ${JSON.stringify(text)}` });
    return undefined;
  }
  return n;
}

function duration(flag: string, text: string | undefined, problems: ConfigProblem[], minMs: number): number | undefined {
  if (text === undefined) return undefined;
  const ms = tryParseDurationMs(text);
  if (ms === undefined || ms < minMs) {
    problems.push({ path: flag, message: `must be a duration of at least ${minMs / 1000}s such as 30s or 2m, but is ${JSON.stringify(text)}` });
    return undefined;
  }
  return ms;
}

function rateText(rate: number, timeUnitMs: number): string {
  return timeUnitMs === 1000 ? `${rate}/s` : `${rate} per ${timeUnitMs / 1000}s`;
}


/** The closing lines: the rate found, how sure, and why the search ended. */
export function formatMaxRateResult(r: MaxRateResult): string {
  const unit = (rate: number) => rateText(rate, r.timeUnitMs);
  const lines: string[] = [];
  if (r.maxRate === undefined) {
    lines.push(`no sustainable rate: the first rate tried${r.firstFailingRate === undefined ? '' : ` (${unit(r.firstFailingRate)})`} did not hold (scenario ${r.scenario}); try a lower --start`);
  } else {
    const held = r.steps.find((s) => s.kind === 'confirm' && s.pass && s.rate === r.maxRate);
    lines.push(
      `max sustainable rate: ${unit(r.maxRate)} (scenario ${r.scenario})${held ? `, held for ${held.durationMs / 1000} s` : ', not confirmed by a longer step'}` +
        (r.firstFailingRate === undefined ? '' : `; ${unit(r.firstFailingRate)} did not hold`),
    );
  }
  const why: Record<MaxRateResult['ended'], string> = {
    converged: 'the search converged',
    'reached-max': 'the search reached --max: the system sustains at least this',
    'start-failed': 'the first rate failed',
    budget: 'the time budget ended the search early: the bracket may be wider than --precision',
    interrupted: 'the search was stopped',
  };
  lines.push(`${r.steps.length} step(s) in ${(r.elapsedMs / 1000).toFixed(0)} s; ${why[r.ended]}`);
  return lines.join('\n');
}

async function maxRateCommand(script: string, flags: MaxRateFlags, io: CliIo): Promise<number> {
  const problems: ConfigProblem[] = [];
  if (flags.scenario === undefined) problems.push({ path: '--scenario', message: 'is required: the constant-arrival-rate scenario whose rate is searched' });
  if (flags.start === undefined) problems.push({ path: '--start', message: 'is required: the first rate to try (iterations per the scenario\'s timeUnit)' });
  const startRate = positive('--start', flags.start, problems, { min: 1, integer: true });
  const maxRate = positive('--max', flags.max, problems, { min: 1, integer: true });
  if (startRate !== undefined && maxRate !== undefined && maxRate < startRate) problems.push({ path: '--max', message: `must be at least --start (${startRate}), but is ${maxRate}` });
  const growth = positive('--growth', flags.growth, problems, { min: 1.1, max: 10 });
  const precision = positive('--precision', flags.precision, problems, { min: 0.001, max: 1 });
  const stepMs = duration('--step', flags.step, problems, 1000);
  const confirmMs = duration('--confirm', flags.confirm, problems, 1000);
  const budgetMs = duration('--budget', flags.budget, problems, 1000);
  const cooldownMs = flags.cooldown === '0' ? 0 : duration('--cooldown', flags.cooldown, problems, 0);
  const maxBacklogGrowthPerSec = positive('--max-backlog-growth', flags.maxBacklogGrowth, problems, { min: 0 });
  const maxDroppedShare = positive('--max-dropped', flags.maxDropped, problems, { min: 0, max: 1 });
  const workers = positive('--workers', flags.workers, problems, { min: 1, integer: true });
  const cliEnv = parseKeyValues('--env', flags.env ?? [], problems);
  if (problems.length > 0) {
    io.stderr.write(`squall: ${new ConfigError(problems).message}\n`);
    return ExitCode.invalidConfig;
  }
  const env: Record<string, string> = {};
  if (flags.systemEnvVars) for (const [k, v] of Object.entries(io.env)) if (v !== undefined) env[k] = v;
  Object.assign(env, cliEnv);

  const stop = new AbortController();
  const kill = new AbortController();
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    signals++;
    io.stderr.write(signals === 1 ? `${sig} received: stopping the current step; no further steps\n` : `${sig} received again: stopping now\n`);
    (signals === 1 ? stop : kill).abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let timeUnitMs = 1000;
  const started = Date.now();
  io.stderr.write(
    `max-rate: scenario ${flags.scenario}, from ${startRate} x${growth} per step up to ${maxRate}, steps of ${(stepMs as number) / 1000}s, ` +
      `confirmation ${(confirmMs as number) / 1000}s, budget ${(budgetMs as number) / 1000}s\n`,
  );
  let result: MaxRateResult;
  try {
    result = await findMaxRate({
      script: resolve(io.cwd, script),
      scenario: flags.scenario as string,
      search: {
        startRate: startRate as number,
        maxRate: maxRate as number,
        growth: growth as number,
        precision: precision as number,
        stepMs: stepMs as number,
        confirmMs: confirmMs as number,
        budgetMs: budgetMs as number,
        cooldownMs: cooldownMs as number,
      },
      backlog: flags.backlog,
      maxBacklogGrowthPerSec,
      maxDroppedShare,
      env,
      workers,
      stopSignal: stop.signal,
      killSignal: kill.signal,
      events: {
        onWarning: (m) => io.stderr.write(`warning: ${m}\n`),
        onStepStart: (s) => io.stderr.write(`step ${s.index + 1} ${s.kind}: ${rateText(s.rate, timeUnitMs)} for ${s.durationMs / 1000}s (${((Date.now() - started) / 1000).toFixed(0)} s into the search)\n`),
        onStepEnd: (s) => {
          timeUnitMs = (s.rate * 1000) / s.targetRatePerSec;
          io.stderr.write(`${formatMaxRateStep(s, timeUnitMs)}\n`);
        },
      },
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  io.stdout.write(`${formatMaxRateResult(result)}\n`);
  if (flags.export !== undefined) {
    const path = resolve(io.cwd, flags.export);
    await writeFileAtomic(path, `${JSON.stringify(result, null, 2)}\n`);
    io.stderr.write(`evidence: ${path}\n`);
  }
  if (result.ended === 'interrupted') return ExitCode.externalAbort;
  return result.maxRate === undefined ? ExitCode.thresholdsFailed : ExitCode.ok;
}
