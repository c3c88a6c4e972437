import { setFlagsFromString } from 'node:v8';
import type { ResourceLimits } from 'node:worker_threads';

/**
 * Young-generation size of every worker, fixed (MiB per semi-space; the new space is two of them).
 * V8 starts a worker's new space at 1 MiB, doubles it as objects survive, and its memory reducer
 * halves it again whenever the worker looks idle enough: on a 10-minute soak at 5,000 req/s that
 * moved each worker's committed heap between 13 and 30 MiB every ~100 s, so the process's RSS
 * stepped up and down by 20-30 MiB with no change in what squall held (docs/benchmarks.md, goal 5).
 * A fixed size keeps a run's memory flat and its scavenges regular; 8 MiB is V8's usual largest
 * size for a heap this small, so throughput is what it was at its best.
 */
export const WORKER_SEMI_SPACE_MIB = 8;

let configured = false;

/** The resource limits to create workers with (sets V8's minimum semi-space once, before the first worker). */
export function workerResourceLimits(): ResourceLimits {
  if (!configured) {
    // Read when an isolate's heap is set up: affects the workers created from now on, not this thread.
    setFlagsFromString(`--min-semi-space-size=${WORKER_SEMI_SPACE_MIB}`);
    configured = true;
  }
  // V8 sizes the young generation as three semi-spaces (two plus the large-object part).
  return { maxYoungGenerationSizeMb: 3 * WORKER_SEMI_SPACE_MIB };
}
