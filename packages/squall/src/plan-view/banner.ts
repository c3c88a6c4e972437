import type { ResolvedOptions } from '../config/types.js';
import { maxVUsOf, scenarioDurationMs } from '../executors/plan.js';
import { formatRational } from '../executors/rational.js';
import { describeScenario, shortDuration } from './describe-scenario.js';

/** What the start banner shows. */
export interface BannerInput {
  readonly script: string;
  readonly options: ResolvedOptions;
  /** Output destinations (`--out`), described. */
  readonly outputs: readonly string[];
  /** The results directory, or undefined for --no-results. */
  readonly resultsDir: string | undefined;
  readonly workers: number;
  /** Extra lines for --verbose (e.g. where options came from). */
  readonly details?: readonly string[];
}

/** Longest a scenario can take, start time and graceful stop included (k6's "max duration"). */
function maxDurationMs(options: ResolvedOptions): number {
  let most = 0;
  for (const s of options.scenarios) {
    const rampDown = s.executor === 'ramping-vus' ? s.gracefulRampDownMs : 0;
    most = Math.max(most, s.startTimeMs + scenarioDurationMs(s) + Math.max(s.gracefulStopMs, rampDown));
  }
  return most;
}

/** The lines printed (to stderr) before the load starts, unless --quiet: what will run and where results go. */
export function formatBanner(b: BannerInput): string {
  const { scenarios, executionSegment } = b.options;
  const vus = scenarios.reduce((n, s) => n + maxVUsOf(s), 0);
  const full = executionSegment.from.num === 0 && executionSegment.to.num === executionSegment.to.den;
  const share = full ? '' : ` (execution segment ${formatRational(executionSegment.from)}:${formatRational(executionSegment.to)})`;
  const lines = [
    `   script: ${b.script}`,
    `   output: ${b.outputs.length > 0 ? b.outputs.join(', ') : '-'}`,
    `  results: ${b.resultsDir ?? '- (--no-results)'}`,
    `scenarios: ${scenarios.length} scenario${scenarios.length === 1 ? '' : 's'}, ${vus} max VUs, ${shortDuration(maxDurationMs(b.options))} max duration (incl. graceful stop), ${b.workers} worker${b.workers === 1 ? '' : 's'}${share}:`,
    ...scenarios.map((s) => `           * ${s.name}: ${describeScenario(s)} [${s.executor}]`),
    ...(b.details ?? []).map((d) => `  verbose: ${d}`),
  ];
  return `${lines.join('\n')}\n`;
}
