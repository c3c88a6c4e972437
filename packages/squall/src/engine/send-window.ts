import type { ResolvedOptions, ResolvedScenario } from '../config/types.js';
import { planScenario, scenarioDurationMs } from '../executors/plan.js';
import { createShare } from '../executors/segment.js';

/** What the sending window is computed from; times are ms since the test's start. */
export interface SendWindowInput {
  /** The load's duration (the test's `testRunDurationMs`). */
  readonly durationMs: number;
  /** When the last request counted in http_reqs_sent was written; undefined when none was. */
  readonly lastSentMs: number | undefined;
  readonly scenarios: readonly ResolvedScenario[];
  /** When a stop (signal, abortOnFail, script abort) was requested; undefined when none was. */
  readonly stoppedAtMs: number | undefined;
}

/**
 * The window `http_reqs_sent`'s rate is computed over (docs/metrics.md): from the test's start to
 * the later of the last request written and the planned end of the time-based scenarios
 * (startTime + duration, or the moment a stop was requested if earlier), never past the load's end.
 * So a gracefulStop drain after the last request does not dilute the rate the executors achieved.
 */
export function sendWindowMs(input: SendWindowInput): number {
  let plannedEnd = 0;
  for (const s of input.scenarios) {
    if (s.executor === 'shared-iterations' || s.executor === 'per-vu-iterations') continue;
    plannedEnd = Math.max(plannedEnd, s.startTimeMs + scenarioDurationMs(s));
  }
  if (input.stoppedAtMs !== undefined) plannedEnd = Math.min(plannedEnd, input.stoppedAtMs);
  const end = Math.max(plannedEnd, input.lastSentMs ?? 0);
  return end > 0 ? Math.min(end, input.durationMs) : input.durationMs;
}

/**
 * The iterations this instance's arrival-rate scenarios plan to start (their due times before the
 * end), or undefined when any scenario is not arrival-rate: the total that `iterations +
 * iterations_interrupted + dropped_iterations` equals after a run that was not stopped early.
 */
export function plannedArrivals(options: Pick<ResolvedOptions, 'scenarios' | 'executionSegment' | 'executionSegmentSequence'>): number | undefined {
  const share = createShare(options.executionSegmentSequence, options.executionSegment, 0, 1);
  let total = 0;
  for (const s of options.scenarios) {
    const plan = planScenario(s, share);
    if (plan.kind !== 'arrival-rate') return undefined;
    total += share.count(plan.totalIterations);
  }
  return total;
}
