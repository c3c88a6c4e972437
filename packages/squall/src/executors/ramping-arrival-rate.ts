import type { ResolvedScenario } from '../config/types.js';
import { arrivalRatePlan } from './arrival-rate-plan.js';
import { arrivalSchedule } from './arrival-schedule.js';
import type { ExecutorPlan, Share } from './types.js';

type Scenario = Extract<ResolvedScenario, { executor: 'ramping-arrival-rate' }>;

/**
 * ramping-arrival-rate: the rate (per timeUnit) starts at startRate and moves linearly to each
 * stage's target; iteration k is due where the integral of the rate reaches k. Zero-rate stretches
 * produce nothing; with every target equal to startRate it matches constant-arrival-rate exactly.
 */
export function planRampingArrivalRate(scenario: Scenario, share: Share): ExecutorPlan {
  const schedule = arrivalSchedule(scenario.startRate, scenario.timeUnitMs, scenario.stages);
  return arrivalRatePlan(schedule, share, scenario.preAllocatedVUs, scenario.maxVUs);
}
