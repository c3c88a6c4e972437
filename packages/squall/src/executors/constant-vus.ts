import type { ResolvedScenario } from '../config/types.js';
import { ownedIndexes } from './owned.js';
import type { ExecutorPlan, Share } from './types.js';

type Scenario = Extract<ResolvedScenario, { executor: 'constant-vus' }>;

/** constant-vus: the VUs this worker owns loop for `durationMs`. */
export function planConstantVus(scenario: Scenario, share: Share): ExecutorPlan {
  return { kind: 'constant-vus', vuIndexes: ownedIndexes(share, scenario.vus), durationMs: scenario.durationMs };
}
