import type { ResolvedScenario } from '../config/types.js';
import { arrivalRatePlan } from './arrival-rate-plan.js';
import { arrivalSchedule } from './arrival-schedule.js';
import type { ExecutorPlan, Share } from './types.js';

type Scenario = Extract<ResolvedScenario, { executor: 'constant-arrival-rate' }>;

/**
 * constant-arrival-rate: global iteration k is due at k*timeUnitMs/rate for every such time before
 * durationMs (10/s for 1 s: 0, 100, ..., 900 ms); the worker runs the k its share owns.
 */
export function planConstantArrivalRate(scenario: Scenario, share: Share): ExecutorPlan {
  const { rate, timeUnitMs, durationMs } = scenario;
  const schedule = arrivalSchedule(rate, timeUnitMs, [{ durationMs, target: rate }]);
  return arrivalRatePlan(schedule, share, scenario.preAllocatedVUs, scenario.maxVUs);
}
