import type { ResolvedOptions } from '../config/types.js';
import type { SampleStreamOptions } from '../metrics/sample-stream.js';
import type { MetricDef, MetricsSnapshot } from '../metrics/types.js';
import type { InterruptCause } from './stop-control.js';
import type { ScenarioProgress } from './worker-context.js';

/** Data each worker starts with. */
export interface WorkerInit {
  readonly bundleUrl: string;
  readonly sourcePath: string;
  readonly workerIndex: number;
  readonly workerCount: number;
  readonly options: ResolvedOptions;
  readonly env: Readonly<Record<string, string>>;
  readonly connectionsPerOrigin: number | undefined;
  /** Shared data loaded by init code on the main thread (see runtime/shared-registry.ts). */
  readonly shared: Readonly<Record<string, unknown>>;
  /** Keep individual samples for outputs that write them (absent: none kept). */
  readonly sampleStream?: SampleStreamOptions | undefined;
  /** Active VUs per scenario (options.scenarios order), shared with the main thread (set by WorkerPool). */
  readonly activeVUs?: Int32Array | undefined;
}

/** An iteration exception, deduplicated by its text; `count` is new occurrences since the last report. */
export interface ErrorTally {
  readonly text: string;
  readonly scenario: string;
  count: number;
}

export type ToWorker =
  | { readonly type: 'start'; readonly startAtEpochMs: number; readonly setupData: unknown }
  | { readonly type: 'snapshot'; readonly seq: number }
  | { readonly type: 'stop'; readonly hard: boolean; readonly cause?: InterruptCause };

export type FromWorker =
  | { readonly type: 'ready'; readonly defs: readonly MetricDef[] }
  | { readonly type: 'init-error'; readonly message: string; readonly location: string | undefined }
  | {
      readonly type: 'snapshot';
      readonly seq: number;
      readonly snapshot: MetricsSnapshot;
      readonly progress: readonly ScenarioProgress[];
      readonly errors: readonly ErrorTally[];
      /** ms since the test's origin at which this worker last wrote a request (http_reqs_sent); undefined before any. */
      readonly lastRequestSentMs?: number | undefined;
    }
  | { readonly type: 'abort'; readonly message: string }
  | { readonly type: 'done' };
