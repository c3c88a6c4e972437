import type { ResolvedScenario } from '../config/types.js';
import { ownedIndexes } from './owned.js';
import type { ExecutorPlan, Share } from './types.js';

type Scenario = Extract<ResolvedScenario, { executor: 'ramping-vus' }>;
type Step = { atMs: number; vus: number };

/** Most VUs the scenario ever has: its start or any stage's target. */
export function rampingVusMax(scenario: Scenario): number {
  return scenario.stages.reduce((max, s) => Math.max(max, s.target), scenario.startVUs);
}

/**
 * ramping-vus: the global VU count starts at startVUs and, in a stage from a to b over d ms, moves
 * by one at stageStart + d*i/|b-a| for i = 1..|b-a| (0 -> 10 over 10 s: 1 VU at 1 s, 10 at 10 s).
 * The worker's count at global count G is share.count(G); steps are emitted only where it changes.
 */
export function planRampingVus(scenario: Scenario, share: Share): ExecutorPlan {
  const steps: Step[] = [{ atMs: 0, vus: share.count(scenario.startVUs) }];
  const change = (atMs: number, globalVus: number): void => {
    const vus = share.count(globalVus);
    const last = steps[steps.length - 1] as Step;
    if (last.atMs === atMs) {
      // Zero-length stages move several VUs at one instant: keep only where the instant ends up.
      last.vus = vus;
      const before = steps[steps.length - 2];
      if (before && before.vus === vus) steps.pop();
    } else if (last.vus !== vus) {
      steps.push({ atMs, vus });
    }
  };
  let stageStartMs = 0;
  let current = scenario.startVUs;
  for (const stage of scenario.stages) {
    const diff = Math.abs(stage.target - current);
    const dir = stage.target > current ? 1 : -1;
    for (let i = 1; i <= diff; i++) change(stageStartMs + (stage.durationMs * i) / diff, current + dir * i);
    current = stage.target;
    stageStartMs += stage.durationMs;
  }
  return {
    kind: 'ramping-vus',
    vuIndexes: ownedIndexes(share, rampingVusMax(scenario)),
    steps,
    durationMs: stageStartMs,
    gracefulRampDownMs: scenario.gracefulRampDownMs,
  };
}
