import type { ResolvedScenario } from '../config/types.js';
import { ownedIndexes } from './owned.js';
import type { ExecutorPlan, Share } from './types.js';

type Scenario = Extract<ResolvedScenario, { executor: 'shared-iterations' }>;

/**
 * shared-iterations: iteration k is attributed to VU k mod vus for splitting only, so a worker gets
 * the iterations of the VUs it owns (none if it owns none) and all workers' counts sum exactly.
 * Its VUs then take them dynamically, as k6's do.
 */
export function planSharedIterations(scenario: Scenario, share: Share): ExecutorPlan {
  const { vus, iterations } = scenario;
  // Every VU gets floor(iterations/vus); VUs below the remainder get one more.
  const perVu = Math.floor(iterations / vus);
  const remainder = iterations - perVu * vus;
  return {
    kind: 'shared-iterations',
    vuIndexes: ownedIndexes(share, vus),
    iterations: perVu * share.count(vus) + share.count(remainder),
    maxDurationMs: scenario.maxDurationMs,
  };
}
