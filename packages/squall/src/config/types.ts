import type { TlsAuthEntry } from './tls-auth.js';
/**
 * Resolved options: the output of config validation (`config/resolve.ts`). Everything after the
 * boundary trusts these. Durations are in milliseconds, all defaults applied.
 */
import type { Segment, SegmentSequence } from '../executors/segment.js';
import type { ThresholdSet } from '../thresholds/types.js';
import type { ObserveOptions } from './observe-option.js';
import type { RecoveryOptions } from './recovery-option.js';

export type ExecutorName =
  | 'shared-iterations'
  | 'per-vu-iterations'
  | 'constant-vus'
  | 'ramping-vus'
  | 'constant-arrival-rate'
  | 'ramping-arrival-rate';

export interface ScenarioCommon {
  readonly name: string;
  readonly startTimeMs: number;
  readonly gracefulStopMs: number;
  /** Name of the exported function each iteration calls (`default` unless `exec` is set). */
  readonly exec: string;
  readonly env: Readonly<Record<string, string>>;
  readonly tags: Readonly<Record<string, string>>;
}

export interface Stage {
  readonly durationMs: number;
  /** VUs for ramping-vus; iterations per timeUnit for ramping-arrival-rate. */
  readonly target: number;
}

export type ResolvedScenario = ScenarioCommon &
  (
    | { readonly executor: 'shared-iterations'; readonly vus: number; readonly iterations: number; readonly maxDurationMs: number }
    | { readonly executor: 'per-vu-iterations'; readonly vus: number; readonly iterations: number; readonly maxDurationMs: number }
    | { readonly executor: 'constant-vus'; readonly vus: number; readonly durationMs: number }
    | {
        readonly executor: 'ramping-vus';
        readonly startVUs: number;
        readonly stages: readonly Stage[];
        readonly gracefulRampDownMs: number;
      }
    | {
        readonly executor: 'constant-arrival-rate';
        readonly rate: number;
        readonly timeUnitMs: number;
        readonly durationMs: number;
        readonly preAllocatedVUs: number;
        readonly maxVUs: number;
      }
    | {
        readonly executor: 'ramping-arrival-rate';
        readonly startRate: number;
        readonly timeUnitMs: number;
        readonly stages: readonly Stage[];
        readonly preAllocatedVUs: number;
        readonly maxVUs: number;
      }
  );

/** Which HTTP statuses count as expected (not failed) for `http_req_failed`. */
export type ExpectedStatuses = readonly (number | { readonly min: number; readonly max: number })[];

export interface ResolvedOptions {
  readonly scenarios: readonly ResolvedScenario[];
  readonly thresholds: ThresholdSet;
  readonly summaryTrendStats: readonly string[];
  readonly summaryTimeUnit: string | null;
  readonly discardResponseBodies: boolean;
  readonly setupTimeoutMs: number;
  readonly teardownTimeoutMs: number;
  /** Tags added to every sample. */
  readonly tags: Readonly<Record<string, string>>;
  readonly userAgent: string;
  readonly maxRedirects: number;
  readonly httpTimeoutMs: number;
  readonly expectedStatuses: ExpectedStatuses;
  readonly noConnectionReuse: boolean;
  readonly insecureSkipTLSVerify: boolean;
  /** k6 `tlsAuth`: client certificates per domain ([] or absent: none). */
  readonly tlsAuth?: readonly TlsAuthEntry[];
  /** k6 `noCookiesReset`: a VU's cookie jar is kept across its iterations. */
  readonly noCookiesReset?: boolean;
  /** Most requests in flight at once per `http.batch` call, and per host within it. */
  readonly batch: number;
  readonly batchPerHost: number;
  readonly executionSegment: Segment;
  readonly executionSegmentSequence: SegmentSequence;
  readonly noColor: boolean;
  /** Prometheus endpoints of the system under test scraped during the run (docs/observe.md). */
  readonly observe: ObserveOptions;
  /** Backlog and latency recovery after the load (docs/recovery.md); undefined when not asked for. */
  readonly recovery: RecoveryOptions | undefined;
}
