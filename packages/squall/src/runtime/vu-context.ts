import { AsyncLocalStorage } from 'node:async_hooks';
import type { Tags } from '../metrics/types.js';

/** Per-scenario facts VU code can read through `exec.scenario`. */
export interface ScenarioInfo {
  readonly name: string;
  readonly executor: string;
  /** Epoch ms at which the scenario started. */
  readonly startTimeMs: number;
  /** Iterations started by this scenario in this worker. Mutable counter. */
  iterationsInInstance: number;
}

/**
 * The state of one virtual user. One object per VU for its whole life; iterations and groups
 * derive short-lived `VuContext`s from it.
 */
export interface VuState {
  readonly idInInstance: number;
  readonly idInTest: number;
  readonly scenario: ScenarioInfo;
  /** Tags set by the VU's code through `exec.vu.tags`; merged into every sample it emits. */
  readonly customTags: Record<string, string>;
  iterationInInstance: number;
  iterationInScenario: number;
  /** Set when the VU's iteration was abandoned (graceful stop expired); API calls then throw. */
  interrupted: boolean;
  /** Position in its scenario's set of busy VUs (engine/slot-set.ts), -1 while idle. */
  slot: number;
}

/** What the script API needs to know about the code that is running right now. */
export interface VuContext {
  readonly vu: VuState | undefined;
  /** `::a::b` inside group b in group a; '' at the top. */
  readonly groupPath: string;
  /** Tags every sample emitted here carries (options tags, scenario, group, VU tags). */
  readonly tags: Tags;
  /** How late the current iteration started after its intended time (arrival-rate), in ms. */
  readonly startDelayMs: number;
}

/** Carries the running VU's context across awaits. One per thread. */
export const vuContextStorage = new AsyncLocalStorage<VuContext>();
