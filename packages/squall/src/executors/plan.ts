/**
 * Executor plans: what one worker runs for one scenario, given its share. Executors are registered
 * in a typed map (one planner per executor name), never by side effect.
 */
import type { ExecutorName, ResolvedScenario } from '../config/types.js';
import { planConstantArrivalRate } from './constant-arrival-rate.js';
import { planConstantVus } from './constant-vus.js';
import { planPerVuIterations } from './per-vu-iterations.js';
import { planRampingArrivalRate } from './ramping-arrival-rate.js';
import { planRampingVus, rampingVusMax } from './ramping-vus.js';
import { planSharedIterations } from './shared-iterations.js';
import type { ExecutorPlan, Share } from './types.js';

type ScenarioOf<E extends ExecutorName> = Extract<ResolvedScenario, { executor: E }>;

/** Planner per executor; the mapped type makes a missing or mistyped entry a compile error. */
export const EXECUTOR_PLANNERS: { readonly [E in ExecutorName]: (scenario: ScenarioOf<E>, share: Share) => ExecutorPlan } = {
  'shared-iterations': planSharedIterations,
  'per-vu-iterations': planPerVuIterations,
  'constant-vus': planConstantVus,
  'ramping-vus': planRampingVus,
  'constant-arrival-rate': planConstantArrivalRate,
  'ramping-arrival-rate': planRampingArrivalRate,
};

/** What the worker owning `share` runs for `scenario`; pure, computed once per worker per run. */
export function planScenario(scenario: ResolvedScenario, share: Share): ExecutorPlan {
  const planner = EXECUTOR_PLANNERS[scenario.executor] as (s: ResolvedScenario, sh: Share) => ExecutorPlan;
  return planner(scenario, share);
}

/** Most VUs the scenario can ever have (all instances together): vus, the ramp's peak, or maxVUs. */
export function maxVUsOf(scenario: ResolvedScenario): number {
  switch (scenario.executor) {
    case 'shared-iterations':
    case 'per-vu-iterations':
    case 'constant-vus':
      return scenario.vus;
    case 'ramping-vus':
      return rampingVusMax(scenario);
    case 'constant-arrival-rate':
    case 'ramping-arrival-rate':
      return scenario.maxVUs;
  }
}

/**
 * The scenario's run time in ms, excluding startTime and gracefulStop (and gracefulRampDown):
 * maxDuration for iteration-based executors, which may end sooner.
 */
export function scenarioDurationMs(scenario: ResolvedScenario): number {
  switch (scenario.executor) {
    case 'shared-iterations':
    case 'per-vu-iterations':
      return scenario.maxDurationMs;
    case 'constant-vus':
    case 'constant-arrival-rate':
      return scenario.durationMs;
    case 'ramping-vus':
    case 'ramping-arrival-rate':
      return scenario.stages.reduce((sum, s) => sum + s.durationMs, 0);
  }
}
