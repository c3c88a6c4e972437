import type { ScenarioProgress } from './worker-context.js';

/** One scenario's live state, summed over workers. */
export interface ScenarioProgressView extends ScenarioProgress {
  readonly executor: string;
  /** Planned run time of the scenario (without startTime and gracefulStop), ms. */
  readonly durationMs: number;
  readonly startTimeMs: number;
  /** Iterations the scenario will run in total when that is fixed in advance (iteration-based, arrival-rate). */
  readonly plannedIterations: number | undefined;
  readonly maxVUs: number;
}

/** Live state of a run, passed to progress listeners about once per second. */
export interface ProgressUpdate {
  readonly elapsedMs: number;
  readonly scenarios: readonly ScenarioProgressView[];
}

/** Sums per-worker scenario progress by scenario name. */
export function sumProgress(perWorker: readonly (readonly ScenarioProgress[])[]): Map<string, ScenarioProgress> {
  const out = new Map<string, ScenarioProgress>();
  for (const list of perWorker) {
    for (const p of list) {
      const acc = out.get(p.name);
      if (!acc) {
        out.set(p.name, { ...p });
        continue;
      }
      acc.activeVUs += p.activeVUs;
      acc.allocatedVUs += p.allocatedVUs;
      acc.completed += p.completed;
      acc.interrupted += p.interrupted;
      acc.dropped += p.dropped;
      acc.done = acc.done && p.done;
    }
  }
  return out;
}
