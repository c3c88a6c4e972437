import { isRecord } from '../config/describe-value.js';
import { runTest, type RunEvents, type RunTestResult } from '../engine/run-test.js';
import { ConfigError } from '../errors.js';
import { backlogGrew, backlogTrend, type BacklogTrend } from './backlog-trend.js';
import { searchMaxRate, type MaxRateSearchConfig, type MaxRateSearchResult, type StepKind, type StepVerdict } from './max-rate-search.js';

/** Defaults of the search (docs/max-rate.md). */
export const MAX_RATE_DEFAULTS = {
  growth: 2,
  precision: 0.1,
  stepMs: 30_000,
  confirmMs: 60_000,
  budgetMs: 15 * 60_000,
  cooldownMs: 5_000,
  maxConfirmations: 3,
  maxDroppedShare: 0.01,
  maxBacklogGrowthPerSec: 0,
} as const;

/** What `findMaxRate` needs. */
export interface MaxRateInput {
  readonly script: string;
  /** The constant-arrival-rate scenario whose rate is searched; the other scenarios are left out. */
  readonly scenario: string;
  readonly search: Pick<MaxRateSearchConfig, 'startRate' | 'maxRate'> & Partial<MaxRateSearchConfig>;
  /** Observed Gauge that must not grow during a step (default: the script's recovery.backlog). */
  readonly backlog?: string | undefined;
  readonly maxBacklogGrowthPerSec?: number | undefined;
  /** A step fails when more than this share of its iterations could not start on time. */
  readonly maxDroppedShare?: number | undefined;
  readonly env?: Readonly<Record<string, string>> | undefined;
  readonly workers?: number | undefined;
  readonly stopSignal?: AbortSignal | undefined;
  readonly killSignal?: AbortSignal | undefined;
  readonly events?: MaxRateEvents | undefined;
}

/** Callbacks for the person watching the search. */
export interface MaxRateEvents extends Pick<RunEvents, 'onWarning'> {
  onStepStart?(step: { index: number; rate: number; kind: StepKind; durationMs: number }): void;
  onStepEnd?(step: MaxRateStep & { index: number; rate: number; kind: StepKind; durationMs: number }): void;
}

/** Evidence of one step. Rates are iterations per second. */
export interface MaxRateStep extends StepVerdict {
  readonly targetRatePerSec: number;
  readonly achievedRatePerSec: number;
  readonly iterations: number;
  readonly droppedIterations: number;
  readonly httpReqDurationP95Ms: number | undefined;
  readonly httpReqFailedRate: number | undefined;
  readonly thresholds: readonly { key: string; source: string; ok: boolean; actual: number | undefined }[];
  readonly backlog: BacklogTrend | undefined;
  readonly recoveryMs: number | undefined;
}

export type MaxRateResult = MaxRateSearchResult<MaxRateStep> & { readonly scenario: string; readonly timeUnitMs: number };

/**
 * Finds the highest arrival rate of one scenario at which the script's thresholds (its SLOs:
 * error rate, latency, ingest lag, ...) hold, no iterations are dropped and the backlog does not
 * grow. Each step is a whole run of the script (setup, the scenario at one rate, recovery wait
 * when the script asks for one, teardown).
 */
export async function findMaxRate(input: MaxRateInput): Promise<MaxRateResult> {
  const config: MaxRateSearchConfig = {
    growth: MAX_RATE_DEFAULTS.growth,
    precision: MAX_RATE_DEFAULTS.precision,
    stepMs: MAX_RATE_DEFAULTS.stepMs,
    confirmMs: MAX_RATE_DEFAULTS.confirmMs,
    budgetMs: MAX_RATE_DEFAULTS.budgetMs,
    cooldownMs: MAX_RATE_DEFAULTS.cooldownMs,
    maxConfirmations: MAX_RATE_DEFAULTS.maxConfirmations,
    ...input.search,
  };
  const events = input.events ?? {};
  const maxDropped = input.maxDroppedShare ?? MAX_RATE_DEFAULTS.maxDroppedShare;
  const growthTolerance = input.maxBacklogGrowthPerSec ?? MAX_RATE_DEFAULTS.maxBacklogGrowthPerSec;
  let timeUnitMs = 1000;
  let warnedOthers = false;

  const runStep = async (rate: number, durationMs: number, kind: StepKind, index: number): Promise<MaxRateStep> => {
    events.onStepStart?.({ index, rate, kind, durationMs });
    const result = await runTest({
      script: input.script,
      env: input.env,
      workers: input.workers,
      stopSignal: input.stopSignal,
      killSignal: input.killSignal,
      transformScriptOptions: (opts) => {
        const t = stepOptions(opts, input.scenario, rate, durationMs);
        if (!warnedOthers && t.others.length > 0) events.onWarning?.(`max-rate runs only the scenario ${input.scenario}; left out: ${t.others.join(', ')}`);
        warnedOthers = true;
        return t.options;
      },
      events: { onWarning: (m) => events.onWarning?.(m) },
    });
    const scenario = result.options.scenarios[0];
    if (scenario?.executor === 'constant-arrival-rate') timeUnitMs = scenario.timeUnitMs;
    const step = judgeStep(result, {
      ratePerSec: (rate * 1000) / timeUnitMs,
      durationMs,
      backlog: input.backlog ?? result.options.recovery?.backlog,
      growthTolerance,
      maxDropped,
    });
    events.onStepEnd?.({ ...step, index, rate, kind, durationMs });
    return step;
  };
  const result = await searchMaxRate(config, runStep);
  return { ...result, scenario: input.scenario, timeUnitMs };
}

/** The script's options with only `scenario`, at `rate` for `durationMs`, VUs scaled with the rate. */
export function stepOptions(opts: unknown, scenario: string, rate: number, durationMs: number): { options: unknown; others: string[] } {
  const scenarios = isRecord(opts) && isRecord(opts.scenarios) ? opts.scenarios : {};
  const s = scenarios[scenario];
  if (!isRecord(s)) {
    const names = Object.keys(scenarios);
    throw new ConfigError([{ path: '--scenario', message: `the script has no scenario "${scenario}"; its scenarios: ${names.length > 0 ? names.join(', ') : '(none: declare one in options.scenarios)'}` }]);
  }
  if (s.executor !== 'constant-arrival-rate') {
    throw new ConfigError([{ path: `scenarios.${scenario}.executor`, message: `max-rate searches the rate of a constant-arrival-rate scenario, but this one is ${JSON.stringify(s.executor)}` }]);
  }
  const baseRate = typeof s.rate === 'number' && s.rate > 0 ? s.rate : 1;
  const factor = Math.max(1, rate / baseRate);
  const pre = Math.max(1, Math.ceil((typeof s.preAllocatedVUs === 'number' ? s.preAllocatedVUs : 1) * factor));
  const maxVUs = Math.max(pre, Math.ceil((typeof s.maxVUs === 'number' ? s.maxVUs : pre) * factor));
  const { startTime: _startTime, ...rest } = s;
  return {
    options: { ...(opts as Record<string, unknown>), scenarios: { [scenario]: { ...rest, rate, duration: `${durationMs}ms`, preAllocatedVUs: pre, maxVUs } } },
    others: Object.keys(scenarios).filter((n) => n !== scenario),
  };
}

/** Judges one step's run: thresholds, dropped iterations, backlog growth. */
export function judgeStep(
  r: RunTestResult,
  c: { ratePerSec: number; durationMs: number; backlog: string | undefined; growthTolerance: number; maxDropped: number },
): MaxRateStep {
  const m = r.summary.metrics;
  const iterations = m.iterations?.values.count ?? 0;
  const dropped = m.dropped_iterations?.values.count ?? 0;
  const reasons: string[] = [];
  for (const t of r.thresholdResults) if (!t.ok) reasons.push(`threshold ${t.key}: ${t.source} failed (actual ${formatNumber(t.actual)})`);
  const planned = (c.ratePerSec * c.durationMs) / 1000;
  if (dropped > Math.max(1, c.maxDropped * planned)) {
    reasons.push(`${dropped} of ${Math.round(planned)} iterations could not start on time (dropped_iterations): responses too slow for the rate, or maxVUs too low`);
  }
  let backlog: BacklogTrend | undefined;
  if (c.backlog !== undefined) {
    // Skip the first quarter (the pipeline filling up) and judge the rest of the load.
    backlog = backlogTrend(r.timeSeries, c.backlog, r.startedAtEpochMs + c.durationMs / 4, r.startedAtEpochMs + c.durationMs + 1000);
    if (backlog === undefined) {
      // Unjudged is not sustained: a step without backlog data must not pass on thresholds alone.
      reasons.push(`backlog ${c.backlog} could not be judged: fewer than 3 per-second values during the step (see observe_scrape_errors; lengthen --step or the scrape timeout)`);
    } else if (backlogGrew(backlog, c.growthTolerance)) {
      reasons.push(`backlog ${c.backlog} grew ${formatNumber(backlog.slopePerSec)}/s (from ${formatNumber(backlog.first)} to ${formatNumber(backlog.last)})`);
    }
  }
  if (r.interruption?.by === 'script') reasons.push(`the script aborted the test: ${r.interruption.message}`);
  if (r.interruption?.by === 'threshold') reasons.push(`aborted by threshold ${r.interruption.key}: ${r.interruption.source}`);
  return {
    pass: reasons.length === 0 && r.interruption === undefined,
    reasons,
    interrupted: r.interruption?.by === 'signal',
    targetRatePerSec: c.ratePerSec,
    achievedRatePerSec: iterations / (c.durationMs / 1000),
    iterations,
    droppedIterations: dropped,
    httpReqDurationP95Ms: m.http_req_duration?.values['p(95)'],
    httpReqFailedRate: m.http_req_failed?.values.rate,
    thresholds: r.thresholdResults.map((t) => ({ key: t.key, source: t.source, ok: t.ok, actual: t.actual })),
    backlog,
    recoveryMs: r.recovery?.recoveryMs,
  };
}

function formatNumber(v: number | undefined): string {
  if (v === undefined) return 'no data';
  return Math.abs(v) >= 100 ? String(Math.round(v)) : String(Math.round(v * 100) / 100);
}
