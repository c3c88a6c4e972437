/**
 * The search of `squall max-rate`, separate from running steps so it can be tested with a model
 * system: raise the arrival rate step by step (x `growth`) while every step holds the SLOs, bisect
 * between the last rate that held and the first that did not until they are within `precision`,
 * then hold the best rate for `confirmMs`; a confirmation that fails backs off to the next lower
 * rate that held. Bounded: no step starts that would end past `budgetMs`.
 */

/** Search settings, resolved. Rates are iterations per the scenario's timeUnit. */
export interface MaxRateSearchConfig {
  readonly startRate: number;
  readonly maxRate: number;
  readonly growth: number;
  /** Bisection stops when (first failing - last holding) <= precision x last holding. */
  readonly precision: number;
  readonly stepMs: number;
  readonly confirmMs: number;
  readonly budgetMs: number;
  /** Pause between steps (on top of any recovery wait inside a step). */
  readonly cooldownMs: number;
  /** Most confirmation attempts (each failed one backs off). */
  readonly maxConfirmations: number;
}

export type StepKind = 'ramp' | 'bisect' | 'confirm';

/** What one step found; `pass` means every SLO held at this rate. */
export interface StepVerdict {
  readonly pass: boolean;
  /** Why the step failed (empty when it passed). */
  readonly reasons: readonly string[];
  /** The step was cut short by a signal: the search stops. */
  readonly interrupted: boolean;
}

/** The outcome of the search. */
export interface MaxRateSearchResult<S extends StepVerdict> {
  /** Highest rate that held (confirmed when `confirmed`); undefined when even the start rate failed. */
  readonly maxRate: number | undefined;
  readonly confirmed: boolean;
  /** Lowest rate that failed, when one did. */
  readonly firstFailingRate: number | undefined;
  /** Why the search ended. */
  readonly ended: 'converged' | 'reached-max' | 'start-failed' | 'budget' | 'interrupted';
  readonly steps: readonly (S & { readonly rate: number; readonly kind: StepKind; readonly durationMs: number; readonly wallMs: number })[];
  readonly elapsedMs: number;
}

export type StepRunner<S extends StepVerdict> = (rate: number, durationMs: number, kind: StepKind, index: number) => Promise<S>;

/** Runs the search with `runStep`; `nowMs` and `sleep` are injectable for tests. */
export async function searchMaxRate<S extends StepVerdict>(
  config: MaxRateSearchConfig,
  runStep: StepRunner<S>,
  clock: { nowMs(): number; sleep(ms: number): Promise<void> } = { nowMs: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) },
): Promise<MaxRateSearchResult<S>> {
  const t0 = clock.nowMs();
  const steps: MaxRateSearchResult<S>['steps'][number][] = [];
  let overheadMs = 0;
  let lo: number | undefined;
  let hi: number | undefined;
  let ended: MaxRateSearchResult<S>['ended'] | undefined;
  const state = { interrupted: false };

  const fits = (durationMs: number) => clock.nowMs() - t0 + (steps.length > 0 ? config.cooldownMs : 0) + durationMs + overheadMs <= config.budgetMs;
  const step = async (rate: number, durationMs: number, kind: StepKind): Promise<S> => {
    if (steps.length > 0 && config.cooldownMs > 0) await clock.sleep(config.cooldownMs);
    const started = clock.nowMs();
    const verdict = await runStep(rate, durationMs, kind, steps.length);
    const wallMs = clock.nowMs() - started;
    // Start-up, recovery waits and teardown: what a step costs beyond its load.
    overheadMs = Math.max(overheadMs, wallMs - durationMs);
    steps.push({ ...verdict, rate, kind, durationMs, wallMs });
    if (verdict.interrupted) state.interrupted = true;
    return verdict;
  };

  // 1. Ramp up geometrically until a step fails or the maximum is reached.
  let rate = config.startRate;
  for (;;) {
    if (!fits(config.stepMs)) {
      ended = 'budget';
      break;
    }
    const v = await step(rate, config.stepMs, 'ramp');
    if (state.interrupted) break;
    if (!v.pass) {
      hi = rate;
      if (lo === undefined) ended = 'start-failed';
      break;
    }
    lo = rate;
    if (rate >= config.maxRate) break;
    rate = Math.min(config.maxRate, Math.max(rate + 1, Math.round(rate * config.growth)));
  }

  // 2. Bisect between the last rate that held and the first that failed.
  while (ended === undefined && !state.interrupted && lo !== undefined && hi !== undefined && hi - lo > Math.max(1, lo * config.precision)) {
    if (!fits(config.stepMs)) {
      ended = 'budget';
      break;
    }
    const mid = Math.round((lo + hi) / 2);
    const v = await step(mid, config.stepMs, 'bisect');
    if (state.interrupted) break;
    if (v.pass) lo = mid;
    else hi = mid;
  }

  // 3. Hold the best rate longer; back off to the next lower rate that held when it does not.
  let confirmed = false;
  for (let attempt = 0; !state.interrupted && ended !== 'start-failed' && lo !== undefined && attempt < config.maxConfirmations; attempt++) {
    if (!fits(config.confirmMs)) {
      ended = 'budget';
      break;
    }
    const v = await step(lo, config.confirmMs, 'confirm');
    if (state.interrupted) break;
    if (v.pass) {
      confirmed = true;
      break;
    }
    hi = lo;
    const failedAt = lo;
    const lower = steps.filter((s) => s.pass && s.rate < failedAt).map((s) => s.rate);
    lo = lower.length > 0 ? Math.max(...lower) : undefined;
    if (lo === undefined) ended = 'start-failed';
  }
  if (state.interrupted) ended = 'interrupted';
  if (ended === undefined) ended = hi === undefined && lo !== undefined && lo >= config.maxRate ? 'reached-max' : 'converged';
  return { maxRate: lo, confirmed, firstFailingRate: hi, ended, steps, elapsedMs: clock.nowMs() - t0 };
}
