import type { ResolvedScenario } from '../config/types.js';
import { ownedIndexes } from './owned.js';
import type { ExecutorPlan, Share } from './types.js';

type Scenario = Extract<ResolvedScenario, { executor: 'per-vu-iterations' }>;

/** per-vu-iterations: each VU this worker owns runs `iterations` itself. */
export function planPerVuIterations(scenario: Scenario, share: Share): ExecutorPlan {
  return {
    kind: 'per-vu-iterations',
    vuIndexes: ownedIndexes(share, scenario.vus),
    iterationsPerVu: scenario.iterations,
    maxDurationMs: scenario.maxDurationMs,
  };
}
