import type { ResolvedScenario } from '../config/types.js';
import type { MetricSink } from '../metrics/types.js';
import type { InstanceCounters } from '../runtime/thread-runtime.js';
import { IterationInterrupted, TestAbort } from '../runtime/interrupted.js';
import { vuContextStorage, type ScenarioInfo, type VuContext, type VuState } from '../runtime/vu-context.js';
import { SlotSet } from './slot-set.js';
import type { InterruptCause } from './stop-control.js';

/** An exported exec function of the script. */
export type ExecFn = (data: unknown) => unknown;

/** Metric ids the engine records on every iteration, resolved once per worker. */
export interface EngineMetricIds {
  readonly iterations: number;
  readonly iterationDuration: number;
  readonly iterationErrors: number;
  readonly droppedIterations: number;
  readonly iterationStartDelay: number;
  readonly iterationsInterrupted: number;
}

/** What every scenario runner in a worker shares. */
export interface WorkerContext {
  readonly sink: MetricSink;
  readonly ids: EngineMetricIds;
  readonly counters: InstanceCounters;
  readonly setupData: unknown;
  /** ms since the test's start (shared origin across workers). */
  now(): number;
  /** Records an exception thrown by an iteration (deduplicated by the caller of the worker). */
  reportError(err: unknown, scenario: string): void;
  /** Called when VU code aborted the test. */
  reportAbort(message: string): void;
  readonly baseTags: Readonly<Record<string, string>>;
  /** Next VU id in this worker (1-based), for `exec.vu.idInInstance`. */
  nextVuId(): number;
  /** True when VU loops have kept the event loop from turning too long at `nowMs` (a `now()` reading): yield before the next iteration (see LoopGuard). */
  starved(nowMs: number): boolean;
}

/** Live per-scenario tallies, sent to the main thread with each snapshot. */
export interface ScenarioProgress {
  readonly name: string;
  activeVUs: number;
  allocatedVUs: number;
  completed: number;
  interrupted: number;
  dropped: number;
  done: boolean;
}

export type IterationOutcome = 'ok' | 'error' | 'interrupted';

/** Per-scenario state shared by its VUs in one worker. */
export class ScenarioState {
  readonly info: ScenarioInfo;
  readonly tags: Readonly<Record<string, string>>;
  readonly tagSetId: number;
  readonly progress: ScenarioProgress;
  /** VU incarnations with an iteration in flight. */
  readonly busy = new SlotSet<VuState>();
  /** The scenario's tags plus `cause`, one tag set per cause seen. */
  readonly #causeTagSets = new Map<InterruptCause, number>();

  constructor(
    readonly w: WorkerContext,
    readonly scenario: ResolvedScenario,
    readonly fn: ExecFn,
    /** Offset added to scenario VU indices to make `exec.vu.idInTest` unique across scenarios. */
    readonly vuIdOffset: number,
  ) {
    this.tags = { ...w.baseTags, ...scenario.tags, scenario: scenario.name };
    this.tagSetId = w.sink.tagSet(this.tags);
    this.info = { name: scenario.name, executor: scenario.executor, startTimeMs: 0, iterationsInInstance: 0 };
    this.progress = { name: scenario.name, activeVUs: 0, allocatedVUs: 0, completed: 0, interrupted: 0, dropped: 0, done: false };
  }

  /**
   * Mirrors `progress.activeVUs` into `slots[index]`, shared memory the main thread reads even
   * while this thread is stuck in an iteration that never yields (to say how many VUs were stuck).
   */
  shareActiveVUs(slots: Int32Array, index: number): void {
    Object.defineProperty(this.progress, 'activeVUs', {
      get: () => slots[index] ?? 0,
      set: (v: number) => {
        slots[index] = v;
      },
      enumerable: true,
    });
  }

  /** A new VU incarnation for global scenario VU index `index`. */
  newVu(index: number): VuState {
    this.w.counters.vusInitialized++;
    return {
      idInInstance: this.w.nextVuId(),
      idInTest: this.vuIdOffset + index + 1,
      scenario: this.info,
      customTags: {},
      iterationInInstance: -1,
      iterationInScenario: -1,
      interrupted: false,
      slot: -1,
    };
  }

  /** Abandons `vu`'s in-flight iteration (a graceful stop or ramp-down expired, a hard stop): counted as interrupted. */
  interrupt(vu: VuState, cause: InterruptCause): void {
    if (!this.busy.delete(vu)) return;
    vu.interrupted = true;
    this.progress.activeVUs--;
    this.countInterrupted(cause);
    this.w.counters.vusActive--;
  }

  /** Abandons every in-flight iteration. */
  interruptAll(cause: InterruptCause): void {
    for (const vu of this.busy.toArray()) this.interrupt(vu, cause);
  }

  /** Counts one interrupted iteration: progress, `exec.instance`, and `iterations_interrupted{scenario, cause}`. */
  countInterrupted(cause: InterruptCause): void {
    this.progress.interrupted++;
    this.w.counters.iterationsInterrupted++;
    let tagSetId = this.#causeTagSets.get(cause);
    if (tagSetId === undefined) {
      tagSetId = this.w.sink.tagSet({ ...this.tags, cause });
      this.#causeTagSets.set(cause, tagSetId);
    }
    this.w.sink.add(this.w.ids.iterationsInterrupted, tagSetId, 1);
  }
}

/** Told when an iteration that did not end synchronously has ended; the outcome as counted. */
export type IterationEnded = (outcome: IterationOutcome) => void;

/**
 * Runs iterations one after another for one VU slot. It observes the script's promise with a
 * single `then` and has no promise of its own: in Node 20 every promise created while an
 * AsyncLocalStorage is in use pays an init hook, and the previous `async iterate` + awaits cost
 * four per iteration.
 *
 * Lifecycle: one per VU loop (closed model) or per VU (open model), reused for each of its
 * iterations; `run` again only after the previous iteration ended.
 */
export class IterationRunner {
  #vu: VuState | undefined;
  #tagSetId = 0;
  #startedMs = 0;
  /** `now()` when the last iteration ended (ms since the test's origin), for the caller's own checks. */
  endedAtMs = 0;
  readonly #fulfilled = (): void => this.ended(this.#end('ok'));
  readonly #rejected = (err: unknown): void => this.ended(this.#end(this.#failure(err)));

  constructor(
    readonly s: ScenarioState,
    /** Called once per iteration that `run` left running. */
    readonly ended: IterationEnded,
  ) {}

  /**
   * Starts one iteration on `vu`; `startDelayMs` > 0 only for late arrival-rate iterations.
   * Returns the outcome when the iteration ended synchronously (`ended` is then not called), else
   * undefined and `ended` is called when it ends.
   */
  run(vu: VuState, startDelayMs: number, iterationInScenario: number): IterationOutcome | undefined {
    const s = this.s;
    const w = s.w;
    vu.iterationInInstance++;
    vu.iterationInScenario = iterationInScenario;
    s.info.iterationsInInstance++;
    let tags = s.tags;
    this.#tagSetId = s.tagSetId;
    if (hasKeys(vu.customTags)) {
      tags = { ...s.tags, ...vu.customTags };
      this.#tagSetId = w.sink.tagSet(tags);
    }
    const ctx: VuContext = { vu, groupPath: '', tags, startDelayMs };
    this.#vu = vu;
    s.busy.add(vu);
    s.progress.activeVUs++;
    w.counters.vusActive++;
    this.#startedMs = w.now();
    let result: unknown;
    try {
      result = vuContextStorage.run(ctx, s.fn, w.setupData);
    } catch (err) {
      return this.#end(this.#failure(err));
    }
    if (result instanceof Promise) {
      result.then(this.#fulfilled, this.#rejected);
      return undefined;
    }
    if (typeof (result as { then?: unknown } | null)?.then === 'function') {
      // A foreign thenable: adopted the way `await` would.
      Promise.resolve(result).then(this.#fulfilled, this.#rejected);
      return undefined;
    }
    return this.#end('ok');
  }

  #failure(err: unknown): IterationOutcome {
    const vu = this.#vu as VuState;
    if (err instanceof TestAbort) {
      this.s.w.reportAbort(err.message);
      return 'interrupted';
    }
    if (vu.interrupted || err instanceof IterationInterrupted) return 'interrupted';
    this.s.w.reportError(err, this.s.scenario.name);
    return 'error';
  }

  /** Counts the iteration that just ended and records its samples; returns the outcome as counted. */
  #end(result: IterationOutcome): IterationOutcome {
    const s = this.s;
    const w = s.w;
    const vu = this.#vu as VuState;
    this.#vu = undefined;
    const outcome = vu.interrupted ? 'interrupted' : result;
    this.endedAtMs = w.now();
    // An abandoned iteration was already counted as interrupted when it was cut off.
    if (!s.busy.delete(vu)) return 'interrupted';
    s.progress.activeVUs--;
    w.counters.vusActive--;
    if (outcome === 'interrupted') {
      // Ended itself as interrupted (exec.test.abort(), or an IterationInterrupted it caught late).
      s.countInterrupted('end');
      return outcome;
    }
    const tagSetId = this.#tagSetId;
    w.sink.add(w.ids.iterationDuration, tagSetId, this.endedAtMs - this.#startedMs);
    w.sink.add(w.ids.iterations, tagSetId, 1);
    if (outcome === 'error') w.sink.add(w.ids.iterationErrors, tagSetId, 1);
    s.progress.completed++;
    w.counters.iterationsCompleted++;
    return outcome;
  }
}

/** Whether `o` has an own enumerable key (without building the key array). */
function hasKeys(o: Readonly<Record<string, string>>): boolean {
  for (const _ in o) return true;
  return false;
}
