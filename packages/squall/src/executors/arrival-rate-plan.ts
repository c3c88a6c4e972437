import { ownedIndexes } from './owned.js';
import type { ArrivalSchedule } from './arrival-schedule.js';
import type { ExecutorPlan, Share } from './types.js';

/** The plan both arrival-rate executors produce: this worker's VUs and its arrivals of `schedule`. */
export function arrivalRatePlan(
  schedule: ArrivalSchedule,
  share: Share,
  preAllocatedVUs: number,
  maxVUs: number,
): ExecutorPlan {
  const total = schedule.totalIterations;
  return {
    kind: 'arrival-rate',
    vuIndexes: ownedIndexes(share, maxVUs),
    preAllocated: share.count(preAllocatedVUs),
    durationMs: schedule.durationMs,
    totalIterations: total,
    arrivals() {
      const timeOf = schedule.cursor();
      let j = 0;
      return {
        next(): IteratorResult<{ readonly atMs: number; readonly index: number }> {
          const index = share.at(j);
          if (index >= total) return { done: true, value: undefined };
          const atMs = timeOf(index);
          if (!Number.isFinite(atMs)) return { done: true, value: undefined };
          j++;
          return { done: false, value: { atMs, index } };
        },
      };
    },
  };
}
