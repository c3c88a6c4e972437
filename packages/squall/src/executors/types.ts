/**
 * Executor plans: pure descriptions of what one worker must run for one scenario, computed from a
 * resolved scenario and the worker's share. The engine's runtime executes them against a clock.
 */

/**
 * A share of a global index space (VU numbers, iteration numbers) owned by one worker of one
 * instance. Shares of all workers of all instances of a segment sequence partition the space
 * exactly, and `count` is monotone in `n`.
 */
export interface Share {
  /** How many of the global indices 0..n-1 this share owns. */
  count(n: number): number;
  /** The global index of this share's j-th (0-based) owned item. */
  at(j: number): number;
}

/** Offsets are milliseconds from the scenario's own start (after `startTime`). */
export type ExecutorPlan =
  | {
      readonly kind: 'shared-iterations';
      /** Global VU indices (within the scenario) this worker runs. */
      readonly vuIndexes: readonly number[];
      /** Iterations this worker's VUs share among themselves. */
      readonly iterations: number;
      readonly maxDurationMs: number;
    }
  | {
      readonly kind: 'per-vu-iterations';
      readonly vuIndexes: readonly number[];
      readonly iterationsPerVu: number;
      readonly maxDurationMs: number;
    }
  | { readonly kind: 'constant-vus'; readonly vuIndexes: readonly number[]; readonly durationMs: number }
  | {
      readonly kind: 'ramping-vus';
      /** Every VU index this worker may ever run, in activation order. */
      readonly vuIndexes: readonly number[];
      /**
       * How many of `vuIndexes` should be active, as change points (ascending `atMs`, first at 0).
       * Between points the count is constant (the plan already applies k6's stepping).
       */
      readonly steps: readonly { readonly atMs: number; readonly vus: number }[];
      readonly durationMs: number;
      readonly gracefulRampDownMs: number;
    }
  | {
      readonly kind: 'arrival-rate';
      /** VU indices, in allocation order: the first `preAllocated` are created up front. */
      readonly vuIndexes: readonly number[];
      readonly preAllocated: number;
      readonly durationMs: number;
      /** Global iteration count of the whole scenario (all instances), for progress. */
      readonly totalIterations: number;
      /**
       * This worker's intended iteration starts, ascending, as ms offsets. An iterator so that
       * memory stays constant for any rate and duration. Each value carries the global index.
       */
      arrivals(): Iterator<{ readonly atMs: number; readonly index: number }>;
    };
