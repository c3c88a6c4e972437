import type { ResolvedOptions } from '../config/types.js';
import type { TimeSeriesPoint } from '../metrics/time-series-point.js';

/**
 * The narrow hook a distributed run plugs into `runTest` (see distributed/coordination): the engine
 * calls it at five points and knows nothing of how the instances meet. Every method is awaited or
 * polled from the run loop; none throws except `awaitStart` and `setupData`, whose errors end the run.
 */
export interface RunCoordinator {
  /** True when the fleet's coordinator judges thresholds on the merge: the instance's own live judgement is skipped. */
  readonly judgesThresholds: boolean;
  /** Start barrier: resolves when every instance is ready; rejects (SquallError) naming the missing ones. */
  awaitStart(options: ResolvedOptions): Promise<void>;
  /** setup() once for the fleet: instance 0 calls `runSetup` and shares its data; the others receive it. */
  setupData(runSetup: () => Promise<unknown>): Promise<unknown>;
  /** Every closed interval of this instance (the same point the live outputs get). */
  publishInterval(point: TimeSeriesPoint): void;
  /** The fleet-wide abortOnFail verdict, once the coordinator has reached one. */
  shouldAbort(): { readonly key: string; readonly source: string } | undefined;
  /** After this instance's load: teardown() once for the fleet (instance 0, after every instance finished). */
  finish(runTeardown: () => Promise<void>): Promise<void>;
}
